import { lookups } from "../condition.js";
import { messages } from "../messages.js";
import { orderQueryset } from "../queryset-ops.js";
import type { Parsed } from "../values/parse.js";
import {
  baseFilter,
  describe,
  type Filter,
  type FilterOptions,
  failure,
  lastValue,
  requireIfNeeded,
  skip,
} from "./filter.js";

export interface OrderingFilterOptions<QS> extends FilterOptions<string[], QS> {
  /** Model field paths allowed, or a map model field path → parameter value (`{ created_at: "created" }`). */
  fields: readonly string[] | Readonly<Record<string, string>>;
}

/**
 * django-filter's OrderingFilter (a FilterSet filter, unlike DRF's OrderingFilter backend):
 * `?o=-price,name`, each value (with an optional `-`) one of the declared parameter values.
 */
export function orderingFilter<QS = never>(options: OrderingFilterOptions<QS>): Filter<string[], QS> {
  const base = baseFilter("OrderingFilter", options);
  const fieldFor = new Map(
    Array.isArray(options.fields)
      ? options.fields.map((field: string) => [field, field] as const)
      : Object.entries(options.fields).map(([field, param]) => [param, field] as const),
  );
  const choices = [...fieldFor.keys()].flatMap((param) => [param, `-${param}`]);
  const parseOne = (raw: string): Parsed<string[]> => {
    const ordering: string[] = [];
    for (const part of raw.split(",")) {
      const term = part.trim();
      if (term === "") continue;
      const field = fieldFor.get(term.replace(/^-/, ""));
      if (field === undefined) return failure(messages.invalidChoice(term));
      ordering.push(term.startsWith("-") ? `-${field}` : field);
    }
    return ordering.length ? { ok: true, value: ordering } : skip;
  };
  return {
    ...base,
    params: (name) => [name],
    parseOne,
    clean(data, name) {
      const raw = lastValue(data, name);
      return requireIfNeeded(raw === undefined ? skip : parseOne(raw), base.required);
    },
    // Ordering is not a condition: it never joins an OR group (defineFilterSet rejects that).
    condition: () => lookups({}),
    transform: (queryset, _path, ordering) => orderQueryset(queryset, ordering),
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText ?? "Ordering"),
        schema: { type: "array", items: { type: "string", enum: choices } },
        style: "form",
        explode: false,
      },
    ],
  };
}
