export const packageName = "@x/models";
// decimal (models-B)
export * as decimal from "./decimal/index.js";
export { DecimalError, type DecimalInput, type DecimalString, type Rounding } from "./decimal/index.js";
// validators (models-B)
export * from "./validators/index.js";
// file storage (models-B)
export * from "./storage/index.js";
