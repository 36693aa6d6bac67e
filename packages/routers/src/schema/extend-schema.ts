// drf-spectacular's @extend_schema: per-view, per-action corrections of what cannot be inferred.
import type { ExtraAction, OperationSchema, SchemaSource } from "@x/views";
import type { URLPattern } from "../url-pattern.js";
import type { ParameterObject, SecurityRequirement } from "./types.js";

/** A serializer class (documented through its `jsonSchema`) or a JSON Schema. */
export type { SchemaSource };

export interface OperationOverride {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  /** Leave the operation out of the document. */
  exclude?: boolean;
  /** Added to the inferred parameters (replacing any with the same name and location). */
  parameters?: ParameterObject[];
  /** The request body; null: none. */
  request?: SchemaSource | null;
  /** Responses by status code; null: a response without a body. Replaces the inferred success responses. */
  responses?: Readonly<Record<number | string, SchemaSource | null>>;
  /** The success response is a page of the view's pagination class holding the response's items. */
  paginated?: boolean;
  security?: SecurityRequirement[];
}

/** `"*"` applies to every action of the view; an action's own entry wins. */
export type SchemaOverrides = Record<string, OperationOverride>;

const registry = new WeakMap<object, SchemaOverrides>();

/** Attaches schema overrides to a view class (merged with earlier ones); returns the class. */
export function extendSchema<V extends object>(View: V, overrides: SchemaOverrides): V {
  const existing = registry.get(View) ?? {};
  const merged: SchemaOverrides = { ...existing };
  for (const [action, override] of Object.entries(overrides))
    merged[action] = { ...existing[action], ...override };
  registry.set(View, merged);
  return View;
}

/** The overrides for one action, walking up the class chain (a subclass's entries win). */
export function overridesFor(View: object, action: string): OperationOverride {
  const chain: object[] = [];
  for (let c: object | null = View; c && c !== Function.prototype; c = Object.getPrototypeOf(c))
    chain.push(c);
  let out: OperationOverride = {};
  for (const cls of chain.reverse()) {
    const entry = registry.get(cls);
    if (entry) out = { ...out, ...entry["*"], ...entry[action] };
  }
  return out;
}

function isOperationSchema(value: unknown): value is OperationSchema {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((k) => k === "request" || k === "responses" || k === "paginated")
  );
}

/**
 * What the view declares itself: an extra action's `schema` option (`actions: { favorite:
 * { detail: true, schema: { responses: { 200: FavoriteSerializer } } } }`), or a plain
 * view's `static schema` (the auth views'). `extendSchema()` entries win over both.
 */
export function declaredSchema(pattern: URLPattern, action: string): OperationOverride {
  const View = pattern.viewClass as unknown as {
    schema?: unknown;
    getExtraActions?(): readonly ExtraAction[];
  };
  if (pattern.kind === "view") {
    const own = View.schema;
    return isOperationSchema(own) ? { ...own } : {};
  }
  const extras = View.getExtraActions?.() ?? [];
  const extra =
    extras.find((a) => a.name === action) ?? extras.find((a) => Object.values(a.mapping).includes(action));
  return extra?.schema ? { ...extra.schema } : {};
}
