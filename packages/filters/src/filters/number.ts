import { type Condition, EVERYTHING, lookupKey, lookups, NOTHING } from "../condition.js";
import { decimalValue } from "../values/decimal.js";
import { adaptScalar, type IntRange, integerTarget } from "../values/integer.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

const COMPARISONS = new Set(["exact", "gt", "gte", "lt", "lte"]);

/** The comparison a lookup expression ends with (`year__gte` → `gte`, `year` → `exact`). */
export function finalComparison(lookupExpr: string): string {
  const last = lookupExpr.split("__").at(-1)!;
  return COMPARISONS.has(last) ? last : "exact";
}

/** A decimal compared with an integer column: rounded the mathematical way, never out of range. */
export function integerCondition(key: string, lookupExpr: string, value: string, range: IntRange): Condition {
  const adapted = adaptScalar(finalComparison(lookupExpr), value, range);
  if (adapted.kind === "none") return NOTHING;
  if (adapted.kind === "all") return EVERYTHING;
  return lookups({ [key]: adapted.value });
}

function build<QS>(options: FilterOptions<string, QS>, range: IntRange | undefined): Filter<string, QS> {
  const filter = singleValueFilter("NumberFilter", decimalValue, options, {
    type: range ? "integer" : "number",
  });
  return {
    ...filter,
    ...(range && {
      integerRange: range,
      condition: (path: string, value: string) =>
        integerCondition(lookupKey(path, filter.lookupExpr), filter.lookupExpr, value, range),
    }),
    bind: (field) => build(options, integerTarget(field, filter.lookupExpr)),
  };
}

/**
 * django-filter's NumberFilter: an exact decimal string (`"12.50"`), `Enter a number.` otherwise. On an
 * integer field (or a year/month/day transform) the value is compared as mathematics says and kept
 * within the column's range, so no client value turns into a database error.
 */
export function numberFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return build(options, undefined);
}
