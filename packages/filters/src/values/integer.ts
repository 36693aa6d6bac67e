import type { FieldLike } from "../ports.js";

/** The values an integer column can hold; a lookup value outside it must not reach the database. */
export interface IntRange {
  readonly min: bigint;
  readonly max: bigint;
}

const INT2: IntRange = { min: -32768n, max: 32767n };
const INT4: IntRange = { min: -2147483648n, max: 2147483647n };
const INT8: IntRange = { min: -9223372036854775808n, max: 9223372036854775807n };

const RANGE_BY_TYPE: Record<string, IntRange> = {
  SmallAutoField: INT2,
  SmallIntegerField: INT2,
  PositiveSmallIntegerField: INT2,
  AutoField: INT4,
  IntegerField: INT4,
  PositiveIntegerField: INT4,
  BigAutoField: INT8,
  BigIntegerField: INT8,
  PositiveBigIntegerField: INT8,
};

/** Date transforms @x/models turns into integers. */
export const NUMBER_TRANSFORMS: ReadonlySet<string> = new Set(["year", "month", "day"]);

export function integerRangeOfType(type: string): IntRange | undefined {
  return RANGE_BY_TYPE[type];
}

/** The integer range a number filter compares against: an integer field, or a year/month/day transform. */
export function integerTarget(field: FieldLike | undefined, lookupExpr: string): IntRange | undefined {
  if (NUMBER_TRANSFORMS.has(lookupExpr.split("__")[0]!)) return INT4;
  return field ? integerRangeOfType(field.type) : undefined;
}

/** Floor and ceiling of a canonical decimal string, exactly. */
export function floorCeil(value: string): { floor: bigint; ceil: bigint } {
  const [whole = "0", fraction = ""] = value.split(".");
  const truncated = BigInt(whole);
  if (!/[1-9]/.test(fraction)) return { floor: truncated, ceil: truncated };
  return value.startsWith("-")
    ? { floor: truncated - 1n, ceil: truncated }
    : { floor: truncated, ceil: truncated + 1n };
}

const SAFE = 2n ** 53n;
/** A bound parameter: a JS number when exact, else the integer's text. */
export const integerParam = (n: bigint): number | string =>
  n >= -SAFE && n <= SAFE ? Number(n) : n.toString();

export type Adapted = { kind: "value"; value: number | string } | { kind: "none" } | { kind: "all" };

const none: Adapted = { kind: "none" };
const all: Adapted = { kind: "all" };
const value = (n: bigint): Adapted => ({ kind: "value", value: integerParam(n) });

/**
 * A decimal compared with an integer column, as mathematics says (`stock__gt=1.5` is `stock > 1`,
 * `stock=1.5` matches nothing) and never outside the column's range (`stock__lt=1e30` matches all).
 */
export function adaptScalar(lookup: string, decimal: string, range: IntRange): Adapted {
  const { floor, ceil } = floorCeil(decimal);
  switch (lookup) {
    case "gt":
      return floor >= range.max ? none : floor < range.min ? all : value(floor);
    case "gte":
      return ceil > range.max ? none : ceil <= range.min ? all : value(ceil);
    case "lt":
      return ceil <= range.min ? none : ceil > range.max ? all : value(ceil);
    case "lte":
      return floor < range.min ? none : floor >= range.max ? all : value(floor);
    default:
      return floor !== ceil || floor < range.min || floor > range.max ? none : value(floor);
  }
}

/** The integral, in-range values of an `in` list. */
export function adaptList(decimals: readonly string[], range: IntRange): (number | string)[] {
  return decimals.flatMap((decimal) => {
    const adapted = adaptScalar("exact", decimal, range);
    return adapted.kind === "value" ? [adapted.value] : [];
  });
}

/** `range` bounds rounded inwards and clamped; null when no integer lies between them. */
export function adaptRange(
  start: string,
  stop: string,
  range: IntRange,
): [number | string, number | string] | null {
  const low = floorCeil(start).ceil;
  const high = floorCeil(stop).floor;
  // bigint: Math.max/min do not apply
  let lo = low;
  if (lo < range.min) lo = range.min;
  let hi = high;
  if (hi > range.max) hi = range.max;
  return lo > hi ? null : [integerParam(lo), integerParam(hi)];
}
