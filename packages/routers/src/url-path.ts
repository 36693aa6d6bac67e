// Django's path(): a plain view (APIView, generic view, function view) at a named route,
// mounted beside routers so it is reversible and documented like them.
import type { Handler } from "hono";
import { joinParts, paramsOf, parseHonoPath, toTemplate } from "./path.js";
import type { Router } from "./simple-router.js";
import type { URLPattern } from "./url-pattern.js";
import type { ViewClassLike } from "./viewset.js";

/** An APIView class, or what `apiView()` returns (a handler carrying its `viewClass`). */
export type PlainView =
  | (ViewClassLike & { asView(initkwargs?: Record<string, unknown>): Handler })
  | (Handler & { viewClass: ViewClassLike });

export interface PathOptions {
  /** Route name for reverse (Django's `name=`). */
  name?: string;
  /** Set on each view instance (DRF's `as_view(**initkwargs)`). */
  initkwargs?: Record<string, unknown>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
// What a generic view's handler does, so it is documented as that action.
const GENERIC_ACTION: Record<string, readonly string[]> = {
  get: ["retrieve", "list"],
  post: ["create"],
  put: ["update"],
  patch: ["partialUpdate"],
  delete: ["destroy"],
};

function isViewClass(
  view: PlainView,
): view is ViewClassLike & { asView(initkwargs?: Record<string, unknown>): Handler } {
  return typeof (view as { asView?: unknown }).asView === "function";
}

/**
 * `path("auth/token/", ObtainAuthToken, { name: "api-token" })` → a one-route router for `mount()`.
 * `route` is relative to the mount and may hold Hono-style parameters (`items/:pk{[0-9]+}/`).
 */
export function path(route: string, view: PlainView, options: PathOptions = {}): Router {
  const viewClass = isViewClass(view) ? view : view.viewClass;
  const initkwargs = options.initkwargs ?? {};
  const handler = isViewClass(view) ? view.asView(initkwargs) : view;
  const parts = joinParts(parseHonoPath(route.replace(/^\/+/, "")));
  const proto = viewClass.prototype as Record<string, unknown>;
  const mapping: Record<string, string> = {};
  for (const method of METHODS) {
    if (typeof proto[method] !== "function") continue;
    mapping[method] = GENERIC_ACTION[method]?.find((a) => typeof proto[a] === "function") ?? method;
  }
  const first = typeof parts[0] === "string" ? (parts[0].split("/")[0] ?? "") : "";
  const pattern: URLPattern = {
    route: toTemplate(parts),
    parts,
    matches: [parts],
    params: paramsOf(parts),
    name: options.name ?? "",
    mapping,
    detail: paramsOf(parts).length > 0,
    basename: null,
    prefix: first,
    kind: "view",
    viewset: null,
    viewClass,
    initkwargs,
    view: handler,
  };
  return { urls: [pattern] };
}
