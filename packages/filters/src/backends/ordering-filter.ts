import type { FilterBackend, Request, SchemaParameter, ViewLike } from "@x/views";
import { resolvePath } from "../filterset/resolve-field.js";
import { orderingTerms, validOrdering } from "../ordering/terms.js";
import type { ModelLike } from "../ports.js";
import { orderQueryset } from "../queryset-ops.js";
import { stringList, viewAttribute, viewHookOrAttribute, viewSetting } from "./view-attribute.js";

type ReadSchema = { properties?: Record<string, unknown> };
type SerializerLike = { jsonSchema?(options: { mode: "read" }): ReadSchema };

const readableFieldsCache = new WeakMap<object, string[]>();

/**
 * DRF's OrderingFilter: `?ordering=-price,name` restricted to the view's `orderingFields`; terms outside
 * the allowlist are dropped before the QuerySet sees them; the view's `ordering` is the default.
 */
export class OrderingFilter implements FilterBackend {
  /** The query parameter; defaults to the `orderingParam` setting ("ordering"). */
  orderingParam?: string;

  getOrderingParam(view: ViewLike): string {
    return this.orderingParam ?? viewSetting(view, "orderingParam") ?? "ordering";
  }
  orderingTitle = "Ordering";
  orderingDescription = "Which field to use when ordering the results.";

  /** The default ordering: the view's `ordering` (a string or a list), or none. */
  getDefaultOrdering(view: ViewLike): string[] | undefined {
    return stringList(viewAttribute(view, "ordering"), "ordering");
  }

  /**
   * The allowlist: `orderingFields`, or with "__all__" / none the serializer's readable fields that are
   * model fields (a method field or a renamed source is not a column to order by).
   */
  getValidFields(view: ViewLike, queryset?: unknown): string[] {
    const declared = viewAttribute(view, "orderingFields");
    if (declared !== undefined && declared !== null && declared !== "__all__")
      return stringList(declared, "orderingFields") ?? [];
    const model =
      (queryset as { model?: ModelLike } | undefined)?.model ??
      (viewAttribute(view, "queryset") as { model?: ModelLike } | undefined)?.model;
    const readable = this.readableSerializerFields(view);
    return model?.meta ? readable.filter((name) => resolvePath(model, name) !== undefined) : readable;
  }

  /** DRF's default: the fields of the view's serializer that are readable. */
  readableSerializerFields(view: ViewLike): string[] {
    const serializerClass = viewHookOrAttribute(view, "getSerializerClass", "serializerClass") as
      | SerializerLike
      | undefined;
    if (!serializerClass) return [];
    // A serializer's read schema is fixed: computed once per class, not per request.
    let fields = readableFieldsCache.get(serializerClass);
    if (!fields) {
      const properties = serializerClass.jsonSchema?.({ mode: "read" }).properties;
      fields = properties ? Object.keys(properties) : [];
      readableFieldsCache.set(serializerClass, fields);
    }
    return fields;
  }

  getOrdering(request: Request, view: ViewLike, queryset?: unknown): string[] | undefined {
    const raw = request.queryParams.getAll(this.getOrderingParam(view)).at(-1);
    if (raw) {
      const ordering = validOrdering(orderingTerms(raw), new Set(this.getValidFields(view, queryset)));
      if (ordering.length) return ordering;
    }
    return this.getDefaultOrdering(view);
  }

  filterQueryset<Q>(request: Request, queryset: Q, view: ViewLike): Q {
    const ordering = this.getOrdering(request, view, queryset);
    return ordering?.length ? orderQueryset(queryset, ordering) : queryset;
  }

  schemaParameters(view: ViewLike): SchemaParameter[] {
    const fields = this.getValidFields(view);
    return [
      {
        name: this.getOrderingParam(view),
        in: "query",
        required: false,
        description: `${this.orderingDescription} Comma-separated; prefix a field with \`-\` for descending.`,
        schema: { type: "string", ...(fields.length ? { enum: fields.flatMap((f) => [f, `-${f}`]) } : {}) },
      },
    ];
  }
}
