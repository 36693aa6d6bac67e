import { compare as compareDecimals } from "../decimal/compare.js";
import { isDecimal } from "../decimal/parse.js";

/** A value the min/max/step validators can compare: numbers, decimal strings, bigints, dates, strings. */
export type Comparable = number | bigint | string | Date;

/**
 * Orders two values the way Python would compare them for a field: numerically
 * when both are numbers or decimal strings (exactly, never through floats), by
 * time for dates, lexically for other strings ("YYYY-MM-DD" sorts by date).
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (isNumeric(a) && isNumeric(b)) return compareDecimals(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new TypeError(`Cannot compare ${describe(a)} with ${describe(b)}.`);
}

function isNumeric(v: unknown): v is number | bigint | string {
  return (
    typeof v === "bigint" ||
    (typeof v === "number" && Number.isFinite(v)) ||
    (typeof v === "string" && isDecimal(v))
  );
}

function describe(v: unknown): string {
  return v instanceof Date ? "a Date" : `${typeof v} ${JSON.stringify(String(v))}`;
}
