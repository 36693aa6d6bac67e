import type { Request } from "../request/request.js";
import { SimpleRateThrottle } from "./simple-rate-throttle.js";

/** Throttles anonymous clients by address; authenticated requests pass. Scope `anon`. */
export class AnonRateThrottle extends SimpleRateThrottle {
  override scope: string | null = "anon";

  getCacheKey(request: Request): string | null {
    if (request.user.isAuthenticated) return null;
    return this.formatKey(this.getIdent(request));
  }
}
