import { format } from "./format.js";
import { parse } from "./parse.js";
import { DEFAULT_ROUNDING, divRound, type Rounding, rescale } from "./rounding.js";
import { align, type DecimalInput, type DecimalString, type DecimalValue, pow10 } from "./value.js";

function finish(value: DecimalValue, places: number | undefined, rounding: Rounding): DecimalString {
  return format(places === undefined ? value : rescale(value, places, rounding));
}

/** The value as a plain decimal string keeping its own places: `of(12.5)` → `"12.5"`, `of("1e2")` → `"100"`. */
export function of(a: DecimalInput): DecimalString {
  return format(parse(a));
}

/**
 * Rounds (or pads) to exactly `places` decimal places, like Python's
 * `quantize(Decimal(10) ** -places, rounding)`. `quantize("2.675", 2, "ROUND_HALF_UP")` → `"2.68"`.
 */
export function quantize(
  a: DecimalInput,
  places: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  return format(rescale(parse(a), places, rounding));
}

/** Exact sum; the result keeps the larger number of places unless `places` is given. */
export function add(
  a: DecimalInput,
  b: DecimalInput,
  places?: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  const [x, y, scale] = align(parse(a), parse(b));
  return finish({ int: x + y, scale }, places, rounding);
}

/** Exact difference; the result keeps the larger number of places unless `places` is given. */
export function sub(
  a: DecimalInput,
  b: DecimalInput,
  places?: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  const [x, y, scale] = align(parse(a), parse(b));
  return finish({ int: x - y, scale }, places, rounding);
}

/** Exact product (places add up: `"1.10" × "3"` → `"3.30"`), rounded only when `places` is given. */
export function mul(
  a: DecimalInput,
  b: DecimalInput,
  places?: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  const x = parse(a);
  const y = parse(b);
  return finish({ int: x.int * y.int, scale: x.scale + y.scale }, places, rounding);
}

/** Divides to exactly `places` places, rounding once. Division by zero throws `DecimalError`. */
export function divValue(x: DecimalValue, y: DecimalValue, places: number, rounding: Rounding): DecimalValue {
  // x/y = (x.int / 10^xs) / (y.int / 10^ys); scaled by 10^places.
  const shift = y.scale + places - x.scale;
  const numerator = shift >= 0 ? x.int * pow10(shift) : x.int;
  const denominator = shift >= 0 ? y.int : y.int * pow10(-shift);
  return { int: divRound(numerator, denominator, rounding), scale: places };
}

/** `a / b` to exactly `places` places: `div("10", "3", 2)` → `"3.33"`. Division by zero throws `DecimalError`. */
export function div(
  a: DecimalInput,
  b: DecimalInput,
  places: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  return format(divValue(parse(a), parse(b), rescaleCheck(places), rounding));
}

function rescaleCheck(places: number): number {
  // Reuse rescale's validation of `places` on a zero value.
  rescale({ int: 0n, scale: 0 }, places, "ROUND_DOWN");
  return places;
}

/** `-a`, keeping its places. */
export function neg(a: DecimalInput): DecimalString {
  const x = parse(a);
  return format({ int: -x.int, scale: x.scale });
}

/** `|a|`, keeping its places. */
export function abs(a: DecimalInput): DecimalString {
  const x = parse(a);
  return format({ int: x.int < 0n ? -x.int : x.int, scale: x.scale });
}

/** Drops trailing zeros after the point: `"12.50"` → `"12.5"`, `"3.00"` → `"3"`. */
export function normalize(a: DecimalInput): DecimalString {
  let { int, scale } = parse(a);
  while (scale > 0 && int % 10n === 0n) {
    int /= 10n;
    scale -= 1;
  }
  return format({ int, scale });
}
