import { type Condition, EVERYTHING, lookups, NOTHING } from "../condition.js";
import type { FieldLike } from "../ports.js";
import { dateValue } from "../values/date.js";
import { decimalValue } from "../values/decimal.js";
import { type IntRange, integerTarget } from "../values/integer.js";
import { type Parsed, parseValue, type ValueSchema } from "../values/parse.js";
import {
  baseFilter,
  describe,
  type Filter,
  type FilterOptions,
  lastValue,
  requireIfNeeded,
  skip,
} from "./filter.js";
import { integerCondition } from "./number.js";

/** A range with either end optional; at least one end is set when a range filter applies. */
export interface Bounds<T> {
  readonly start?: T;
  readonly stop?: T;
}

/** django-filter's RangeFilter.filter: both ends → `range`, one end → `gte` / `lte`. */
function boundsCondition<T>(path: string, bounds: Bounds<T>): Condition {
  if (bounds.start !== undefined && bounds.stop !== undefined)
    return lookups({ [`${path}__range`]: [bounds.start, bounds.stop] });
  if (bounds.start !== undefined) return lookups({ [`${path}__gte`]: bounds.start });
  return lookups({ [`${path}__lte`]: bounds.stop });
}

function twoParamFilter<T, R, QS>(
  kind: string,
  suffixes: readonly [string, string],
  valueSchema: ValueSchema<T>,
  toBounds: (start: T | undefined, stop: T | undefined) => Bounds<R>,
  options: FilterOptions<Bounds<R>, QS>,
  openApi: Record<string, unknown>,
): Filter<Bounds<R>, QS> {
  const base = baseFilter(kind, options);
  const names = (name: string) => suffixes.map((suffix) => `${name}_${suffix}`);
  const parseEnd = (raw: string | undefined): Parsed<T> =>
    raw === undefined ? skip : parseValue(valueSchema, raw);
  const combine = (start: Parsed<T>, stop: Parsed<T>): Parsed<Bounds<R>> => {
    for (const end of [start, stop]) if (!end.ok && !end.skip) return end;
    if (!start.ok && !stop.ok) return skip;
    return {
      ok: true,
      value: toBounds(start.ok ? start.value : undefined, stop.ok ? stop.value : undefined),
    };
  };
  return {
    ...base,
    params: names,
    parseOne: (raw) => combine(parseEnd(raw), skip),
    clean(data, name) {
      const [startName, stopName] = names(name) as [string, string];
      return requireIfNeeded(
        combine(parseEnd(lastValue(data, startName)), parseEnd(lastValue(data, stopName))),
        base.required,
      );
    },
    condition: (path, bounds) => boundsCondition(path, bounds),
    schema: (name) =>
      names(name).map((param) => ({
        name: param,
        in: "query" as const,
        required: false,
        description: describe(name, base.label, base.helpText),
        schema: openApi,
      })),
  };
}

/** Number bounds against an integer column: rounded inwards, clamped to the column's range. */
function integerBoundsCondition(path: string, bounds: Bounds<string>, range: IntRange): Condition {
  const parts = [
    bounds.start === undefined ? EVERYTHING : integerCondition(`${path}__gte`, "gte", bounds.start, range),
    bounds.stop === undefined ? EVERYTHING : integerCondition(`${path}__lte`, "lte", bounds.stop, range),
  ];
  if (parts.includes(NOTHING)) return NOTHING;
  return lookups(Object.assign({}, ...parts.map((part) => (part.kind === "lookups" ? part.lookups : {}))));
}

function buildRange<QS>(
  options: FilterOptions<Bounds<string>, QS>,
  range: IntRange | undefined,
): Filter<Bounds<string>, QS> {
  const filter = twoParamFilter(
    "RangeFilter",
    ["min", "max"],
    decimalValue,
    (start, stop) => ({ ...(start !== undefined && { start }), ...(stop !== undefined && { stop }) }),
    options,
    { type: range ? "integer" : "number" },
  );
  return {
    ...filter,
    ...(range && {
      integerRange: range,
      condition: (path: string, bounds: Bounds<string>) => integerBoundsCondition(path, bounds, range),
    }),
    bind: (field) => buildRange(options, integerTarget(field, "exact")),
  };
}

/** django-filter's RangeFilter: `?price_min=10&price_max=20` numbers (exact decimal strings). */
export function rangeFilter<QS = never>(
  options: FilterOptions<Bounds<string>, QS> = {},
): Filter<Bounds<string>, QS> {
  return buildRange(options, undefined);
}

export interface DateFromToRangeOptions<QS> extends FilterOptions<Bounds<string | Date>, QS> {
  /** The target is a DateTimeField: the dates become the first and last instant of their days (UTC). */
  datetime?: boolean;
}

const startOfDay = (date: string) => new Date(`${date}T00:00:00.000Z`);
const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);

/** django-filter's DateFromToRangeFilter: `?created_after=2024-01-01&created_before=2024-01-31`. */
export function dateFromToRangeFilter<QS = never>(
  options: DateFromToRangeOptions<QS> = {},
): Filter<Bounds<string | Date>, QS> {
  const datetime = options.datetime ?? false;
  const filter = twoParamFilter<string, string | Date, QS>(
    "DateFromToRangeFilter",
    ["after", "before"],
    dateValue,
    (start, stop) => ({
      ...(start !== undefined && { start: datetime ? startOfDay(start) : start }),
      ...(stop !== undefined && { stop: datetime ? endOfDay(stop) : stop }),
    }),
    options,
    { type: "string", format: "date" },
  );
  return {
    ...filter,
    bind: (field: FieldLike | undefined) =>
      options.datetime === undefined && field?.type === "DateTimeField"
        ? dateFromToRangeFilter({ ...options, datetime: true })
        : filter,
  };
}
