// DRF's @action as data: a static `actions` map on the ViewSet naming which
// methods are extra actions and how they are routed.
import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import type { SerializerClassLike } from "../generics/contracts.js";
import type { ViewOptions } from "../views/api-view.js";

export type ActionMethod =
  | "get"
  | "post"
  | "put"
  | "patch"
  | "delete"
  | "GET"
  | "POST"
  | "PUT"
  | "PATCH"
  | "DELETE";

/** A serializer class (documented by its `jsonSchema`) or a JSON Schema object. */
export type SchemaSource = SerializerClassLike | { readonly [key: string]: unknown };

/**
 * What the OpenAPI generator cannot infer about an operation (drf-spectacular's
 * `extend_schema(request=..., responses=...)`), declared next to the view.
 */
export interface OperationSchema {
  /** The request body; null: none. */
  request?: SchemaSource | null;
  /**
   * Responses by status code; null: no body (`{ 201: ReviewSerializer }`, `{ 204: null }`).
   * A JSON Schema may hold serializer classes: `{ type: "array", items: ReviewSerializer }`.
   */
  responses?: Readonly<Record<number | string, SchemaSource | null>>;
  /** The success response is a page of the view's pagination class holding its serializer's items. */
  paginated?: boolean;
}

export interface ActionOptions extends ViewOptions {
  /** true: `/{prefix}/{lookup}/{urlPath}/`; false: `/{prefix}/{urlPath}/`. */
  detail: boolean;
  /** HTTP methods the action answers (default `["get"]`). */
  methods?: readonly ActionMethod[];
  /** URL segment (default: the method name). */
  urlPath?: string;
  /** Route name suffix, `{basename}-{urlName}` (default: the method name in kebab case). */
  urlName?: string;
  /** More HTTP methods on the same route served by other methods of the view (DRF's `@featured.mapping.delete`). */
  mapping?: Partial<Record<Lowercase<ActionMethod>, string>>;
  /** Its documented request/responses when its `serializerClass` does not describe them. */
  schema?: OperationSchema;
}

/** `static actions: ActionsOf<ProductViewSet> = { featured: { detail: false } }` — keys must be methods of the view. */
export type ActionsOf<V> = {
  [K in keyof V & string]?: V[K] extends (...args: never[]) => unknown ? ActionOptions : never;
};

/** What a router needs to route one extra action (DRF's get_extra_actions()). */
export interface ExtraAction {
  name: string;
  detail: boolean;
  /** Lowercase HTTP methods. */
  methods: string[];
  urlPath: string;
  urlName: string;
  /** Lowercase HTTP method → view method serving it (the action itself, plus `mapping`). */
  mapping: Record<string, string>;
  /** Per-action view options (permissionClasses, serializerClass, throttleClasses, ...) set on the instance. */
  kwargs: ViewOptions;
  /** The action's declared OpenAPI request/responses, if any. */
  schema?: OperationSchema;
}

export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

/** Collects `static actions` up the class chain (a subclass's entry wins), sorted by name like DRF. */
export function collectExtraActions(View: Function): ExtraAction[] {
  const merged = new Map<string, ActionOptions>();
  const chain: Function[] = [];
  for (
    let c: unknown = View;
    typeof c === "function" && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    chain.push(c as Function);
  }
  for (const ctor of chain.reverse()) {
    if (!Object.hasOwn(ctor, "actions")) continue;
    const map = (ctor as { actions?: Record<string, ActionOptions | undefined> }).actions ?? {};
    for (const [name, options] of Object.entries(map)) if (options) merged.set(name, options);
  }
  const proto = (View as { prototype: Record<string, unknown> }).prototype;
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, options]) => {
      if (typeof proto[name] !== "function") {
        throw new ImproperlyConfigured(
          `${View.name}.actions names "${name}", which is not a method of the view.`,
        );
      }
      const { detail, methods, urlPath, urlName, mapping: extraMapping, schema, ...kwargs } = options;
      const own = (methods ?? ["get"]).map((m) => m.toLowerCase());
      const mapping: Record<string, string> = Object.fromEntries(own.map((m) => [m, name]));
      for (const [method, handler] of Object.entries(extraMapping ?? {})) {
        if (typeof proto[handler as string] !== "function") {
          throw new ImproperlyConfigured(
            `${View.name}.actions.${name}.mapping names "${handler}", which is not a method.`,
          );
        }
        mapping[method] = handler as string;
      }
      return {
        name,
        detail,
        methods: Object.keys(mapping),
        mapping,
        urlPath: urlPath ?? name,
        urlName: urlName ?? kebabCase(name),
        kwargs,
        ...(schema ? { schema } : {}),
      };
    });
}
