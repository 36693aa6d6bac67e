import { divValue } from "./arithmetic.js";
import { format } from "./format.js";
import { parse } from "./parse.js";
import { DEFAULT_ROUNDING, type Rounding, rescale } from "./rounding.js";
import { align, type DecimalInput, type DecimalString, type DecimalValue } from "./value.js";

function total(values: readonly DecimalInput[]): DecimalValue {
  let acc: DecimalValue = { int: 0n, scale: 0 };
  for (const v of values) {
    const [x, y, scale] = align(acc, parse(v));
    acc = { int: x + y, scale };
  }
  return acc;
}

/** Exact sum of a list (`"0"` when empty); keeps the largest number of places unless `places` is given. */
export function sum(
  values: readonly DecimalInput[],
  places?: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString {
  const acc = total(values);
  return format(places === undefined ? acc : rescale(acc, places, rounding));
}

/**
 * Mean of a list rounded once to `places` (default ROUND_HALF_EVEN, as the shop's
 * `average_rating`); `null` for an empty list, like SQL's AVG.
 */
export function avg(
  values: readonly DecimalInput[],
  places: number,
  rounding: Rounding = DEFAULT_ROUNDING,
): DecimalString | null {
  if (values.length === 0) return null;
  return format(divValue(total(values), { int: BigInt(values.length), scale: 0 }, places, rounding));
}

function pick(
  values: readonly DecimalInput[],
  better: (x: bigint, y: bigint) => boolean,
): DecimalString | null {
  let best: DecimalValue | null = null;
  for (const v of values) {
    const value = parse(v);
    if (best === null) best = value;
    else {
      const [x, y] = align(value, best);
      if (better(x, y)) best = value;
    }
  }
  return best === null ? null : format(best);
}

/** The smallest value as written (`null` when empty). */
export function min(values: readonly DecimalInput[]): DecimalString | null {
  return pick(values, (x, y) => x < y);
}

/** The largest value as written (`null` when empty). */
export function max(values: readonly DecimalInput[]): DecimalString | null {
  return pick(values, (x, y) => x > y);
}
