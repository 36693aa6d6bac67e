import type { FilterBackend, Request, SchemaParameter, ViewLike } from "@x/views";
import { ValidationError } from "@x/views";
import { defineFilterSet, type FieldsSpec, type FilterSetClass } from "../filterset/define.js";
import { FilterSet } from "../filterset/filterset.js";
import type { ModelLike } from "../ports.js";
import { viewAttribute, viewHookOrAttribute } from "./view-attribute.js";

// One generated FilterSet per (model, filtersetFields) declaration, built on first use, not per request.
const autoFilterSets = new WeakMap<object, Map<FieldsSpec, FilterSetClass>>();

function modelOf(queryset: unknown): ModelLike | undefined {
  const model = (queryset as { model?: ModelLike } | null | undefined)?.model;
  return model?.meta ? model : undefined;
}

function autoFilterSet(model: ModelLike, fields: FieldsSpec): FilterSetClass {
  let byFields = autoFilterSets.get(model);
  if (!byFields) {
    byFields = new Map();
    autoFilterSets.set(model, byFields);
  }
  let cls = byFields.get(fields);
  if (!cls) {
    cls = defineFilterSet({ model, fields });
    byFields.set(fields, cls);
  }
  return cls;
}

const EMPTY_QUERY = new URLSearchParams();

/** What of a FilterSet class decides whether a request can skip it. */
interface FilterSetShape {
  readonly prototype: object;
  readonly baseFilters: FilterSetClass["baseFilters"];
}

/** Per FilterSet class: the query parameters its filters read, or null when a request without them can filter or fail. */
const inertParams = new WeakMap<object, ReadonlySet<string> | null>();

/**
 * The parameters of a FilterSet class that leaves the queryset as it is when none of them is
 * given: every filter skips a missing parameter (none is required) and no subclass changes how
 * the FilterSet validates or filters. Null otherwise. Decided once per class: a request naming
 * none of them (no query string, or only `page=`) then builds no FilterSet at all (detail views
 * run the filter backends too, as DRF's get_object does).
 */
function paramsOfInert(cls: FilterSetShape): ReadonlySet<string> | null {
  let known = inertParams.get(cls);
  if (known === undefined) {
    const filters = Object.entries(cls.baseFilters);
    const inert =
      !overridesFiltering(cls) &&
      filters.every(([name, filter]) => {
        const parsed = filter.clean(EMPTY_QUERY, name);
        return !parsed.ok && parsed.skip;
      });
    known = inert ? new Set(filters.flatMap(([name, filter]) => filter.params(name))) : null;
    inertParams.set(cls, known);
  }
  return known;
}

/** True when this request gives none of the parameters of an inert FilterSet class: filtering is a no-op. */
function unfiltered(cls: FilterSetShape, request: Request): boolean {
  const params = paramsOfInert(cls);
  if (params === null) return false;
  if (!request.hasQuery) return true;
  for (const key of request.queryParams.keys()) if (params.has(key)) return false;
  return true;
}

const FILTERING = ["filterQueryset", "qs", "isValid", "validate", "cleanedData", "errors"];
function overridesFiltering(cls: { readonly prototype: object }): boolean {
  for (
    let proto = cls.prototype;
    proto && proto !== FilterSet.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (FILTERING.some((name) => Object.hasOwn(proto, name))) return true;
  }
  return false;
}

/**
 * django-filter's DjangoFilterBackend: filters with the view's `filtersetClass`, or a FilterSet generated
 * from `filtersetFields`; invalid values raise @x/views' ValidationError (400 `{"field": ["msg"]}`).
 */
export class DjangoFilterBackend implements FilterBackend {
  /** Raise the 400 on invalid values (django-filter's `raise_exception`); false ignores invalid filters. */
  raiseException = true;

  getFiltersetClass(view: ViewLike, queryset?: unknown): FilterSetClass | undefined {
    const declared = viewHookOrAttribute(view, "getFiltersetClass", "filtersetClass") as
      | FilterSetClass
      | undefined;
    if (declared) return declared;
    const fields = viewAttribute(view, "filtersetFields") as FieldsSpec | undefined;
    if (!fields) return undefined;
    const model = modelOf(queryset) ?? modelOf(viewAttribute(view, "queryset"));
    if (!model)
      throw new Error("DjangoFilterBackend: filtersetFields needs the view's queryset to have a model");
    return autoFilterSet(model, fields);
  }

  filterQueryset<Q>(request: Request, queryset: Q, view: ViewLike): Q {
    const filtersetClass = this.getFiltersetClass(view, queryset) as FilterSetClass<Q> | undefined;
    if (!filtersetClass || unfiltered(filtersetClass, request)) return queryset;
    const filterset = new filtersetClass({ data: request.queryParams, queryset, request });
    if (!filterset.isValid() && this.raiseException) throw new ValidationError(filterset.errors);
    return filterset.qs;
  }

  /** Runs before filterQueryset (views await it): checks what needs the database, such as model choice keys. */
  /** Undefined (nothing to wait for) when the request has none of the filterset's parameters. */
  validateRequest(request: Request, view: ViewLike): Promise<void> | undefined {
    const filtersetClass = this.getFiltersetClass(view);
    if (!filtersetClass || !this.raiseException || unfiltered(filtersetClass, request)) return undefined;
    const filterset = new filtersetClass({
      data: request.queryParams,
      queryset: viewAttribute(view, "queryset"),
      request,
    });
    return filterset.validate().then((valid) => {
      if (!valid) throw new ValidationError(filterset.errors);
    });
  }

  schemaParameters(view: ViewLike): SchemaParameter[] {
    return this.getFiltersetClass(view)?.schemaParameters() ?? [];
  }
}
