export { AnonRateThrottle } from "./anon-rate-throttle.js";
export { parseRate, type Rate } from "./rate.js";
export { ScopedRateThrottle } from "./scoped-rate-throttle.js";
export { SimpleRateThrottle, type ThrottleWindow } from "./simple-rate-throttle.js";
export { UserRateThrottle } from "./user-rate-throttle.js";
