export const packageName = "@x/models";
// core (models-A): connection, fields, models, querysets, relations, transactions, signals, DDL, testing
export * from "./core.js";
// decimal (models-B)
export * as decimal from "./decimal/index.js";
export { DecimalError, type DecimalInput, type DecimalString, type Rounding } from "./decimal/index.js";
// fixtures (models-B)
export * from "./fixtures/index.js";
// migrations (models-B)
export * from "./migrations/index.js";
// file storage (models-B)
export * from "./storage/index.js";
// validators (models-B)
export * from "./validators/index.js";
