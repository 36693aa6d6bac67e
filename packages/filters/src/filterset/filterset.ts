import { anyOf, type Condition, not } from "../condition.js";
import type { Filter } from "../filters/filter.js";
import type { ModelLike, QueryData, SchemaParameter } from "../ports.js";
import { applyCondition, distinctQueryset, restrictToRowsOf } from "../queryset-ops.js";

/** Query data a FilterSet accepts: URLSearchParams / request.queryParams, or a plain object. */
export type FilterData = QueryData | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface FilterSetInit<QS> {
  /** The query parameters; null or absent = unbound (no filtering). */
  data?: FilterData | null;
  /** The QuerySet to filter; defaults to the model's `objects.all()`. */
  queryset?: QS;
  /** The current request (method filters can read it as `this.request`). */
  request?: unknown;
}

/** Field name → messages, django-filter's `filterset.errors` (DRF's 400 body). */
export type FilterErrors = Record<string, string[]>;

function toQueryData(data: FilterData | null | undefined): QueryData {
  if (!data) return { getAll: () => [] };
  if (typeof (data as QueryData).getAll === "function") return data as QueryData;
  const record = data as Readonly<Record<string, string | readonly string[] | undefined>>;
  return {
    getAll(name) {
      const value = Object.hasOwn(record, name) ? record[name] : undefined;
      if (value === undefined) return [];
      return typeof value === "string" ? [value] : [...value];
    },
  };
}

/**
 * A lookup filter; `distinct` keeps each row once through a primary-key subquery rather than SELECT
 * DISTINCT, which PostgreSQL rejects next to an ORDER BY on another table (DRF 3.15 does the same
 * for search), and which would drop the ordering and annotations of the queryset so far.
 */
function filterBy<QS>(queryset: QS, condition: Condition, exclude: boolean, distinct: boolean): QS {
  const filtered = applyCondition(queryset, condition, exclude);
  return distinct ? restrictToRowsOf(queryset, filtered) : filtered;
}

/**
 * django-filter's FilterSet. Subclasses are made by `defineFilterSet`, which fills the static
 * `baseFilters`; an instance validates one request's parameters and filters a QuerySet.
 */
export class FilterSet<QS = unknown, Values extends Record<string, unknown> = Record<string, unknown>> {
  static baseFilters: Readonly<Record<string, Filter<unknown, unknown>>> = {};
  static model: ModelLike | undefined = undefined;
  static orGroups: readonly (readonly string[])[] = [];

  readonly isBound: boolean;
  readonly data: QueryData;
  readonly queryset: QS;
  readonly request: unknown;
  readonly filters: Readonly<Record<string, Filter<unknown, QS>>>;
  #cleaned: { values: Partial<Values>; errors: FilterErrors } | undefined;

  constructor(init: FilterSetInit<QS> = {}) {
    const cls = this.constructor as typeof FilterSet;
    this.isBound = init.data !== undefined && init.data !== null;
    this.data = toQueryData(init.data);
    this.request = init.request;
    this.filters = cls.baseFilters as Readonly<Record<string, Filter<unknown, QS>>>;
    if (init.queryset !== undefined) {
      this.queryset = init.queryset;
    } else {
      const objects = (cls.model as { objects?: { all(): QS } } | undefined)?.objects;
      if (!objects) throw new Error(`${cls.name}: pass a queryset (the FilterSet has no model)`);
      this.queryset = objects.all();
    }
  }

  /** OpenAPI query parameters of every filter. */
  static schemaParameters(): SchemaParameter[] {
    // biome-ignore lint/complexity/noThisInStatic: each defineFilterSet subclass has its own baseFilters.
    return Object.entries(this.baseFilters).flatMap(([name, filter]) => filter.schema(name));
  }

  #clean() {
    if (this.#cleaned) return this.#cleaned;
    const values: Record<string, unknown> = {};
    const errors: FilterErrors = {};
    for (const [name, filter] of Object.entries(this.filters)) {
      const parsed = filter.clean(this.data, name);
      if (parsed.ok) values[name] = parsed.value;
      else if (!parsed.skip) errors[name] = [parsed.message];
    }
    this.#cleaned = { values: values as Partial<Values>, errors };
    return this.#cleaned;
  }

  /** True when every parameter is valid (unknown parameters are ignored). */
  isValid(): boolean {
    return Object.keys(this.#clean().errors).length === 0;
  }

  get errors(): FilterErrors {
    return this.#clean().errors;
  }

  /**
   * isValid() plus what needs the database: model choice keys that name no row (django-filter's
   * "Select a valid choice..."). One query per model choice filter given; their errors join `errors`.
   */
  async validate(): Promise<boolean> {
    const { values, errors } = this.#clean();
    for (const [name, filter] of Object.entries(this.filters)) {
      if (!filter.checkExists || !Object.hasOwn(values, name) || errors[name]) continue;
      const message = await filter.checkExists((values as Record<string, unknown>)[name]);
      if (message !== null) {
        errors[name] = [message];
        delete (values as Record<string, unknown>)[name];
      }
    }
    return Object.keys(errors).length === 0;
  }

  /** The parsed value of each filter that applies (filters with errors or no value are absent). */
  get cleanedData(): Partial<Values> {
    return this.#clean().values;
  }

  /** The filtered QuerySet (filters with invalid values are left out, as in django-filter). */
  get qs(): QS {
    return this.filterQueryset(this.queryset);
  }

  filterQueryset(queryset: QS): QS {
    const cls = this.constructor as typeof FilterSet;
    const values = this.cleanedData as Record<string, unknown>;
    const groupOf = new Map<string, number>();
    cls.orGroups.forEach((group, index) => {
      for (const name of group) groupOf.set(name, index);
    });
    const grouped: { conditions: Condition[]; distinct: boolean }[] = cls.orGroups.map(() => ({
      conditions: [],
      distinct: false,
    }));
    for (const [name, filter] of Object.entries(this.filters)) {
      if (!Object.hasOwn(values, name)) continue;
      const value = values[name];
      const path = filter.fieldName ?? name;
      const group = groupOf.get(name);
      if (group !== undefined) {
        const condition = filter.condition(path, value);
        grouped[group]!.conditions.push(filter.exclude ? not(condition) : condition);
        grouped[group]!.distinct ||= filter.distinct;
        continue;
      }
      if (filter.method) {
        queryset = filter.method.call(this, queryset, name, value);
        if (filter.distinct) queryset = distinctQueryset(queryset);
      } else if (filter.transform) {
        queryset = filter.transform(queryset, path, value);
      } else {
        queryset = filterBy(queryset, filter.condition(path, value), filter.exclude, filter.distinct);
      }
    }
    for (const { conditions, distinct } of grouped) {
      if (conditions.length === 0) continue;
      queryset = filterBy(queryset, anyOf(conditions), false, distinct);
    }
    return queryset;
  }
}
