// Exact decimal arithmetic on canonical strings ("12.50"), BigInt inside.
// Exposed from the package root as the `decimal` namespace.
export { avg, max, min, sum } from "./aggregate.js";
export { abs, add, div, mul, neg, normalize, of, quantize, sub } from "./arithmetic.js";
export { compare, eq, gt, gte, isNegative, isPositive, isZero, lt, lte, sign } from "./compare.js";
export { countDigits, type DigitCount, placesOf } from "./digits.js";
export { isDecimal } from "./parse.js";
export { applyDiscount, percentOf } from "./percent.js";
export { DEFAULT_ROUNDING, ROUNDINGS, type Rounding } from "./rounding.js";
export { DecimalError, type DecimalInput, type DecimalString } from "./value.js";
