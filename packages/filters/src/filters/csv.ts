import { lookupKey, lookups, NOTHING } from "../condition.js";
import { messages } from "../messages.js";
import type { FieldLike } from "../ports.js";
import { adaptList, adaptRange } from "../values/integer.js";
import type { Parsed } from "../values/parse.js";
import {
  describe,
  type Filter,
  failure,
  lastValue,
  MAX_LIST_VALUES,
  requireIfNeeded,
  skip,
} from "./filter.js";

/** Options of the CSV variant itself: a method receives the parsed list. */
export interface CsvOptions<V, QS> {
  method?: string | ((queryset: QS, name: string, values: V[]) => QS);
}

/** Each comma-separated part parsed by the base filter; empty parts are dropped, the first error wins. */
function parseCsv<V>(base: Filter<V, unknown>, raw: string): Parsed<V[]> {
  const parts = raw.split(",").filter((part) => part.trim() !== "");
  // Django's SimpleArrayField message: a huge list is the client's error, not a database error.
  if (parts.length > MAX_LIST_VALUES) return failure(messages.tooManyItems(parts.length, MAX_LIST_VALUES));
  const values: V[] = [];
  for (const part of parts) {
    const parsed = base.parseOne(part);
    if (parsed.ok) values.push(parsed.value);
    else if (!parsed.skip) return parsed;
  }
  return values.length ? { ok: true, value: values } : skip;
}

function csvFilter<V, QS>(
  kind: string,
  base: Filter<V, QS>,
  defaultLookup: string,
  check: (values: V[]) => Parsed<V[]>,
  extra: CsvOptions<V, QS>,
): Filter<V[], QS> {
  const baseSchema = base.schema("value")[0]?.schema ?? { type: "string" };
  const lookupExpr = base.lookupExpr === "exact" ? defaultLookup : base.lookupExpr;
  const {
    bind: _bind,
    parseOne: _parseOne,
    condition: _condition,
    method: _method,
    methodName: _methodName,
    transform: _transform,
    // a CSV variant checks its values itself; the base's existence check takes one value
    checkExists: _checkExists,
    ...rest
  } = base;
  const parseOne = (raw: string): Parsed<V[]> => {
    const parsed = parseCsv(base as Filter<V, unknown>, raw);
    return parsed.ok ? check(parsed.value) : parsed;
  };
  const filter: Filter<V[], QS> = {
    ...rest,
    kind: `${kind}(${base.kind})`,
    lookupExpr,
    params: (name) => [name],
    parseOne,
    clean(data, name) {
      const raw = lastValue(data, name);
      return requireIfNeeded(raw === undefined ? skip : parseOne(raw), base.required);
    },
    condition(path, values) {
      const key = lookupKey(path, lookupExpr);
      const range = base.integerRange;
      if (!range) return lookups({ [key]: values });
      // numbers against an integer column: only integral, in-range values reach the database
      const decimals = values.filter((value): value is V & string => typeof value === "string");
      if (lookupExpr.split("__").at(-1) === "range") {
        const bounds = decimals.length === 2 ? adaptRange(decimals[0]!, decimals[1]!, range) : null;
        return bounds ? lookups({ [key]: bounds }) : NOTHING;
      }
      const list = adaptList(decimals, range);
      return list.length ? lookups({ [key]: list }) : NOTHING;
    },
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: `${describe(name, base.label, base.helpText)} (comma-separated)`,
        schema: { type: "array", items: baseSchema },
        style: "form",
        explode: false,
      },
    ],
    bind: (field: FieldLike | undefined) =>
      csvFilter(kind, base.bind ? base.bind(field) : base, defaultLookup, check, extra),
  };
  if (typeof extra.method === "function") filter.method = extra.method;
  if (typeof extra.method === "string") return { ...filter, methodName: extra.method };
  return filter;
}

/** django-filter's BaseInFilter mixin: `?id__in=1,2,3`, each value parsed by `base`. */
export function inFilter<V, QS>(base: Filter<V, QS>, extra: CsvOptions<V, QS> = {}): Filter<V[], QS> {
  return csvFilter("BaseInFilter", base, "in", (values) => ({ ok: true, value: values }), extra);
}

/** django-filter's BaseRangeFilter mixin: `?price__range=10,20`, exactly two values parsed by `base`. */
export function rangeCsvFilter<V, QS>(base: Filter<V, QS>, extra: CsvOptions<V, QS> = {}): Filter<V[], QS> {
  return csvFilter(
    "BaseRangeFilter",
    base,
    "range",
    (values) => (values.length === 2 ? { ok: true, value: values } : failure(messages.rangeExpectsTwo)),
    extra,
  );
}
