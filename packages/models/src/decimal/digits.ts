import { parse } from "./parse.js";
import type { DecimalInput } from "./value.js";

/** Digit counts as Django's DecimalValidator computes them from `Decimal.as_tuple()`. */
export interface DigitCount {
  /** Significant digits in total (leading zeros of the integer part excluded). */
  readonly digits: number;
  /** Digits after the decimal point, trailing zeros included (`"1.50"` has 2). */
  readonly decimalPlaces: number;
  /** `digits - decimalPlaces`: the digits before the point. */
  readonly wholeDigits: number;
}

/**
 * Counts digits the way Django's `DecimalValidator` does, so `max_digits` /
 * `decimal_places` checks agree with Django: `"12.50"` → 4 digits, 2 places;
 * `"0.05"` → 2 digits, 2 places; `"100"` → 3 digits, 0 places.
 */
export function countDigits(a: DecimalInput): DigitCount {
  const { int, scale } = parse(a);
  const length = (int < 0n ? -int : int).toString().length;
  const exponent = -scale;
  let digits: number;
  let decimalPlaces: number;
  if (exponent >= 0) {
    // A zero with a positive exponent has one digit in Python's tuple; Django adds the exponent.
    digits = length + exponent;
    decimalPlaces = 0;
  } else if (-exponent > length) {
    digits = -exponent;
    decimalPlaces = -exponent;
  } else {
    digits = length;
    decimalPlaces = -exponent;
  }
  return { digits, decimalPlaces, wholeDigits: digits - decimalPlaces };
}

/** The number of places the value is written with: `"12.50"` → 2, `"3"` → 0. */
export function placesOf(a: DecimalInput): number {
  return Math.max(parse(a).scale, 0);
}
