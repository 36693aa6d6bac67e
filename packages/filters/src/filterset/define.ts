import type { Filter } from "../filters/filter.js";
import type { ModelLike } from "../ports.js";
import { filterForField } from "./filter-for-field.js";
import { FilterSet, type FilterSetInit } from "./filterset.js";
import { requirePath, resolvePath } from "./resolve-field.js";

/** The QuerySet type of a model (what `Model.objects.all()` returns). */
export type QuerySetOf<M> = M extends { objects: { all(): infer R } } ? R : unknown;

/** Meta.fields: field paths (exact lookup), a dict of field path → lookups, or "__all__". */
export type FieldsSpec = readonly string[] | Readonly<Record<string, readonly string[]>> | "__all__";

export interface FilterSetSpec<M, QS, F extends Record<string, Filter<unknown, QS>>> {
  /** Meta.model: filters for `fields` are generated from its field definitions. */
  model?: M;
  /** Meta.fields. */
  fields?: FieldsSpec;
  /** Meta.exclude: fields left out of `fields` / "__all__". */
  exclude?: readonly string[];
  /** Declared filters (override generated ones of the same name). */
  filters?: F;
  /** Groups of filter names OR-ed together (the group is AND-ed with the other filters). */
  orGroups?: readonly (readonly string[])[];
  /** Functions that filters name in their `method` option (`this` is the FilterSet instance). */
  methods?: Readonly<Record<string, FilterMethod<QS>>>;
}

/**
 * A method filter named by string. `value` is the naming filter's parsed value: annotate it
 * (`value: boolean`); TypeScript cannot connect a method name to its filter's value type.
 */
// biome-ignore lint/suspicious/noExplicitAny: the value type belongs to the filter that names the method (see above).
export type FilterMethod<QS> = (this: FilterSet<QS>, queryset: QS, name: string, value: any) => QS;

type ValueOf<T> = T extends Filter<infer V, unknown> ? V : never;
/** Parsed values by filter name: declared filters typed, generated ones unknown. */
export type FilterValues<F> = { [K in keyof F]: ValueOf<F[K]> } & Record<string, unknown>;

/** A FilterSet class made by defineFilterSet. */
export interface FilterSetClass<
  QS = unknown,
  Values extends Record<string, unknown> = Record<string, unknown>,
> {
  new (init?: FilterSetInit<QS>): FilterSet<QS, Values>;
  readonly baseFilters: Readonly<Record<string, Filter<unknown, unknown>>>;
  readonly model: ModelLike | undefined;
  readonly orGroups: readonly (readonly string[])[];
  schemaParameters(): ReturnType<typeof FilterSet.schemaParameters>;
}

function generatedFilters(
  model: ModelLike,
  spec: { fields?: FieldsSpec; exclude?: readonly string[]; filters?: object },
) {
  const declared = spec.filters ?? {};
  const exclude = new Set(spec.exclude ?? []);
  const fields = spec.fields ?? (spec.exclude ? "__all__" : []);
  const lookupsByPath: [string, readonly string[]][] =
    fields === "__all__"
      ? model.meta.fields.map((field) => [field.name, ["exact"]])
      : Array.isArray(fields)
        ? fields.map((path: string) => [path, ["exact"]])
        : Object.entries(fields as Record<string, readonly string[]>);
  const generated: Record<string, Filter<unknown, unknown>> = {};
  for (const [path, lookupExprs] of lookupsByPath) {
    if (exclude.has(path)) continue;
    for (const lookupExpr of lookupExprs) {
      const name = lookupExpr === "exact" ? path : `${path}__${lookupExpr}`;
      if (Object.hasOwn(declared, name)) continue;
      generated[name] = filterForField(path, requirePath(model, path).field, lookupExpr, model.meta.label);
    }
  }
  return generated;
}

function withNamedMethod(
  name: string,
  filter: Filter<unknown, unknown>,
  methodName: string,
  methods: Readonly<Record<string, unknown>> | undefined,
): Filter<unknown, unknown> {
  const method = methods && Object.hasOwn(methods, methodName) ? methods[methodName] : undefined;
  if (typeof method !== "function")
    throw new Error(
      `defineFilterSet: filter '${name}' names method '${methodName}', which is not in \`methods\``,
    );
  return { ...filter, method: method as (queryset: unknown, name: string, value: unknown) => unknown };
}

/**
 * Declares a FilterSet (django-filter's `class ProductFilter(FilterSet)` with its Meta): generated
 * filters from `model` + `fields`, declared `filters`, and `orGroups`. Returns a FilterSet class.
 */
export function defineFilterSet<
  M extends ModelLike | undefined = undefined,
  F extends Record<string, Filter<unknown, QuerySetOf<M>>> = Record<never, never>,
>(spec: FilterSetSpec<M, QuerySetOf<M>, F>): FilterSetClass<QuerySetOf<M>, FilterValues<F>> {
  const model = spec.model as ModelLike | undefined;
  const declared: Record<string, Filter<unknown, unknown>> = { ...(spec.filters ?? {}) };
  if (!model && (spec.fields || spec.exclude))
    throw new Error("defineFilterSet: `fields`/`exclude` need a `model`");
  const base: Record<string, Filter<unknown, unknown>> = model ? generatedFilters(model, spec) : {};
  for (const [name, filter] of Object.entries(declared)) {
    const resolved = model ? resolvePath(model, filter.fieldName ?? name) : undefined;
    const bound = filter.bind ? filter.bind(resolved?.field) : filter;
    base[name] = filter.methodName ? withNamedMethod(name, bound, filter.methodName, spec.methods) : bound;
  }
  const orGroups = (spec.orGroups ?? []).map((group) => [...group]);
  const seen = new Set<string>();
  for (const group of orGroups) {
    for (const name of group) {
      const filter = base[name];
      if (!filter) throw new Error(`defineFilterSet: OR group names an unknown filter '${name}'`);
      if (filter.method || filter.transform)
        throw new Error(
          `defineFilterSet: filter '${name}' cannot be in an OR group (a method or ordering filter is not a condition)`,
        );
      if (seen.has(name)) throw new Error(`defineFilterSet: filter '${name}' is in two OR groups`);
      seen.add(name);
    }
  }
  return class extends FilterSet<QuerySetOf<M>, FilterValues<F>> {
    static override baseFilters = base;
    static override model = model;
    static override orGroups = orGroups;
  };
}
