import { DecimalError, type DecimalValue, pow10 } from "./value.js";

/** Python's `decimal` rounding modes, by the same names. */
export type Rounding =
  | "ROUND_HALF_UP"
  | "ROUND_HALF_EVEN"
  | "ROUND_HALF_DOWN"
  | "ROUND_UP"
  | "ROUND_DOWN"
  | "ROUND_CEILING"
  | "ROUND_FLOOR"
  | "ROUND_05UP";

/** Python's default context rounding; used wherever a rounding is not given. */
export const DEFAULT_ROUNDING: Rounding = "ROUND_HALF_EVEN";

export const ROUNDINGS: readonly Rounding[] = [
  "ROUND_HALF_UP",
  "ROUND_HALF_EVEN",
  "ROUND_HALF_DOWN",
  "ROUND_UP",
  "ROUND_DOWN",
  "ROUND_CEILING",
  "ROUND_FLOOR",
  "ROUND_05UP",
];

/**
 * Divides `numerator` by a positive `denominator` and rounds the quotient to an
 * integer with `rounding`. Every rounding in this package goes through here.
 */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new DecimalError("Division by zero.", "division_by_zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = abs / denominator;
  const r = abs % denominator;
  if (r === 0n) return negative ? -q : q;
  const twice = r * 2n;
  let up: boolean;
  switch (rounding) {
    case "ROUND_DOWN":
      up = false;
      break;
    case "ROUND_UP":
      up = true;
      break;
    case "ROUND_CEILING":
      up = !negative;
      break;
    case "ROUND_FLOOR":
      up = negative;
      break;
    case "ROUND_HALF_UP":
      up = twice >= denominator;
      break;
    case "ROUND_HALF_DOWN":
      up = twice > denominator;
      break;
    case "ROUND_HALF_EVEN":
      up = twice > denominator || (twice === denominator && q % 2n === 1n);
      break;
    case "ROUND_05UP":
      // Away from zero only when the truncated last digit is 0 or 5 (Python's definition).
      up = q % 5n === 0n;
      break;
    default:
      throw new DecimalError(`Unknown rounding mode ${JSON.stringify(rounding)}.`);
  }
  const result = up ? q + 1n : q;
  return negative ? -result : result;
}

/** Brings a value to exactly `places` decimal places, rounding when places are dropped. */
export function rescale(value: DecimalValue, places: number, rounding: Rounding): DecimalValue {
  if (!Number.isInteger(places) || places < 0) {
    throw new DecimalError(`Decimal places must be a non-negative integer, got ${places}.`);
  }
  if (places >= value.scale) return { int: value.int * pow10(places - value.scale), scale: places };
  return { int: divRound(value.int, pow10(value.scale - places), rounding), scale: places };
}
