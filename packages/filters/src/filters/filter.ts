import { type Condition, lookupKey, lookups } from "../condition.js";
import { messages } from "../messages.js";
import type { FieldLike, QueryData, SchemaParameter } from "../ports.js";
import type { IntRange } from "../values/integer.js";
import { type Parsed, parseValue, type ValueSchema } from "../values/parse.js";

/** Options every filter takes (django-filter's Filter kwargs in TypeScript casing). */
export interface FilterOptions<V, QS> {
  /** Model field path, across relations with `__`; defaults to the filter's name. */
  fieldName?: string;
  /** Lookup applied to the field (`exact` by default). */
  lookupExpr?: string;
  /** Use `queryset.exclude(...)` instead of `filter(...)`. */
  exclude?: boolean;
  /** Add `.distinct()` when the filter applies. */
  distinct?: boolean;
  /** A missing or empty value is an error (`This field is required.`). */
  required?: boolean;
  /**
   * Replaces the lookup: a function receiving the queryset, the filter's name and the parsed value, or
   * the name of a function in the FilterSet's `methods` (django-filter's `method="filter_in_stock"`).
   */
  method?: string | ((queryset: QS, name: string, value: V) => QS);
  label?: string;
  helpText?: string;
}

/**
 * A declared filter: how to read its query parameter(s), what the parsed value means as lookups, and
 * how to describe it in OpenAPI. Built by the factories (`numberFilter`, ...); plain data otherwise.
 */
export interface Filter<V = unknown, QS = never> {
  /** django-filter's class name, e.g. `"NumberFilter"`. */
  readonly kind: string;
  readonly fieldName: string | undefined;
  readonly lookupExpr: string;
  readonly exclude: boolean;
  readonly distinct: boolean;
  readonly required: boolean;
  readonly label: string | undefined;
  readonly helpText: string | undefined;
  // Method syntax (bivariant) so a Filter<boolean, QuerySet<Product>> is a Filter<unknown, unknown>.
  method?(queryset: QS, name: string, value: V): QS;
  /** A method named by string, resolved against the FilterSet's `methods` by defineFilterSet. */
  readonly methodName?: string;
  /** The query parameters read for a filter registered as `name`. */
  params(name: string): string[];
  /** Parse the request's values for this filter. */
  clean(data: QueryData, name: string): Parsed<V>;
  /** Parse one raw value (what the CSV variants split into). */
  parseOne(raw: string): Parsed<V>;
  /** What the value means as lookups on `path` (the field name, or the filter's name). */
  condition(path: string, value: V): Condition;
  /** Filters that are not a condition (ordering) transform the queryset themselves. */
  transform?(queryset: QS, path: string, value: V): QS;
  /** OpenAPI parameters for a filter registered as `name`. */
  schema(name: string): SchemaParameter[];
  /**
   * Model choice filters: the message when a well-formed key names no row (django-filter's
   * "Select a valid choice..."), or null. Async, so the FilterSet runs it in `validate()`.
   */
  checkExists?(value: V): Promise<string | null>;
  /** Set when the filter compares with an integer column (numbers are rounded and range-checked). */
  readonly integerRange?: IntRange;
  /** A copy adapted to the model field it targets (choices, key type, date vs datetime). */
  bind?(field: FieldLike | undefined): Filter<V, QS>;
}

/** Values one list parameter may carry (each becomes a bound parameter of the query). */
export const MAX_LIST_VALUES = 1000;

export const skip = { ok: false, skip: true } as const;
export const failure = (message: string) => ({ ok: false, skip: false, message }) as const;

/** The last value of a parameter, as Django's QueryDict does for single-value fields. */
export function lastValue(data: QueryData, name: string): string | undefined {
  return data.getAll(name).at(-1);
}

/** Applies `required` to a parse outcome that found nothing. */
export function requireIfNeeded<V>(parsed: Parsed<V>, required: boolean): Parsed<V> {
  return !parsed.ok && parsed.skip && required ? failure(messages.required) : parsed;
}

export function describe(name: string, label: string | undefined, helpText: string | undefined): string {
  return helpText ?? label ?? name;
}

/** The common parts of a filter built from its options. */
export function baseFilter<V, QS>(kind: string, options: FilterOptions<V, QS>) {
  return {
    kind,
    fieldName: options.fieldName,
    lookupExpr: options.lookupExpr ?? "exact",
    exclude: options.exclude ?? false,
    distinct: options.distinct ?? false,
    required: options.required ?? false,
    label: options.label,
    helpText: options.helpText,
    ...(typeof options.method === "function" ? { method: options.method } : {}),
    ...(typeof options.method === "string" ? { methodName: options.method } : {}),
  };
}

/**
 * A filter reading one query parameter through a valibot value schema (Char, Number, Boolean, Date,
 * DateTime, Time, UUID ...).
 */
export function singleValueFilter<V, QS>(
  kind: string,
  valueSchema: ValueSchema<V>,
  options: FilterOptions<V, QS>,
  openApi: Record<string, unknown>,
): Filter<V, QS> {
  const base = baseFilter(kind, options);
  const parseOne = (raw: string): Parsed<V> => parseValue(valueSchema, raw);
  return {
    ...base,
    params: (name) => [name],
    parseOne,
    clean(data, name) {
      const raw = lastValue(data, name);
      return requireIfNeeded(raw === undefined ? skip : parseOne(raw), base.required);
    },
    condition: (path, value) => lookups({ [lookupKey(path, base.lookupExpr)]: value }),
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText),
        schema: openApi,
      },
    ],
  };
}
