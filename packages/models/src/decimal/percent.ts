import { divValue } from "./arithmetic.js";
import { format } from "./format.js";
import { parse } from "./parse.js";
import type { Rounding } from "./rounding.js";
import { DecimalError, type DecimalInput, type DecimalString } from "./value.js";

const HUNDRED = { int: 100n, scale: 0 } as const;

function placesFor(amount: { scale: number }, places: number | undefined): number {
  return places ?? Math.max(amount.scale, 0);
}

/**
 * `amount × percent / 100`, rounded once (default ROUND_HALF_UP) to `places`
 * (default: the amount's places). `percentOf("19.99", 33)` → `"6.60"`.
 */
export function percentOf(
  amount: DecimalInput,
  percent: DecimalInput,
  places?: number,
  rounding: Rounding = "ROUND_HALF_UP",
): DecimalString {
  const a = parse(amount);
  const p = parse(percent);
  return format(
    divValue({ int: a.int * p.int, scale: a.scale + p.scale }, HUNDRED, placesFor(a, places), rounding),
  );
}

/**
 * The price less `percent` %: `price × (100 − percent) / 100`, rounded once
 * (default ROUND_HALF_UP, the shop's rule) to `places` (default: the price's places).
 * `applyDiscount("19.99", 33)` → `"13.39"`. A percent outside 0–100 throws `DecimalError`.
 */
export function applyDiscount(
  price: DecimalInput,
  percent: DecimalInput,
  places?: number,
  rounding: Rounding = "ROUND_HALF_UP",
): DecimalString {
  const a = parse(price);
  const p = parse(percent);
  const hundred = 100n * 10n ** BigInt(Math.max(p.scale, 0));
  const pInt = p.scale >= 0 ? p.int : p.int * 10n ** BigInt(-p.scale);
  if (pInt < 0n || pInt > hundred) {
    throw new DecimalError(`Discount percentage must be between 0 and 100, got ${format(p)}.`);
  }
  const pScale = Math.max(p.scale, 0);
  const remaining = { int: hundred - pInt, scale: pScale };
  return format(
    divValue(
      { int: a.int * remaining.int, scale: a.scale + remaining.scale },
      HUNDRED,
      placesFor(a, places),
      rounding,
    ),
  );
}
