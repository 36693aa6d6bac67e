import { parse } from "./parse.js";
import { align, type DecimalInput } from "./value.js";

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (`"1.0"` equals `"1.00"`). */
export function compare(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function eq(a: DecimalInput, b: DecimalInput): boolean {
  return compare(a, b) === 0;
}
export function lt(a: DecimalInput, b: DecimalInput): boolean {
  return compare(a, b) < 0;
}
export function lte(a: DecimalInput, b: DecimalInput): boolean {
  return compare(a, b) <= 0;
}
export function gt(a: DecimalInput, b: DecimalInput): boolean {
  return compare(a, b) > 0;
}
export function gte(a: DecimalInput, b: DecimalInput): boolean {
  return compare(a, b) >= 0;
}

/** -1, 0 or 1: the sign of `a`. */
export function sign(a: DecimalInput): -1 | 0 | 1 {
  const { int } = parse(a);
  return int < 0n ? -1 : int > 0n ? 1 : 0;
}

export function isZero(a: DecimalInput): boolean {
  return parse(a).int === 0n;
}
export function isNegative(a: DecimalInput): boolean {
  return parse(a).int < 0n;
}
export function isPositive(a: DecimalInput): boolean {
  return parse(a).int > 0n;
}
