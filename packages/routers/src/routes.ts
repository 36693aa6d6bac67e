// DRF's Route / DynamicRoute: the route descriptions a router expands per viewset.

/** HTTP method (lower case) → viewset action name, e.g. `{ get: "list", post: "create" }`. */
export type ActionMapping = Readonly<Record<string, string>>;

export interface RouteDescription {
  readonly kind: "route";
  /** Template with `{prefix}`, `{lookup}`, `{trailing_slash}`; DRF's `^`/`$` anchors are ignored. */
  readonly url: string;
  readonly mapping: ActionMapping;
  /** Template with `{basename}`. */
  readonly name: string;
  readonly detail: boolean;
  readonly initkwargs: Readonly<Record<string, unknown>>;
}

export interface DynamicRouteDescription {
  readonly kind: "dynamic";
  /** Template with `{prefix}`, `{lookup}`, `{url_path}`, `{trailing_slash}`. */
  readonly url: string;
  /** Template with `{basename}` and `{url_name}`. */
  readonly name: string;
  readonly detail: boolean;
  readonly initkwargs: Readonly<Record<string, unknown>>;
}

export type AnyRoute = RouteDescription | DynamicRouteDescription;

export function route(
  description: Omit<RouteDescription, "kind" | "initkwargs"> & {
    initkwargs?: Record<string, unknown>;
  },
): RouteDescription {
  return { kind: "route", initkwargs: {}, ...description };
}

export function dynamicRoute(
  description: Omit<DynamicRouteDescription, "kind" | "initkwargs"> & {
    initkwargs?: Record<string, unknown>;
  },
): DynamicRouteDescription {
  return { kind: "dynamic", initkwargs: {}, ...description };
}

/** DRF's SimpleRouter.routes, in match order. */
export const simpleRoutes: readonly AnyRoute[] = [
  route({
    url: "{prefix}{trailing_slash}",
    mapping: { get: "list", post: "create" },
    name: "{basename}-list",
    detail: false,
    initkwargs: { suffix: "List" },
  }),
  dynamicRoute({ url: "{prefix}/{url_path}{trailing_slash}", name: "{basename}-{url_name}", detail: false }),
  route({
    url: "{prefix}/{lookup}{trailing_slash}",
    mapping: { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
    name: "{basename}-detail",
    detail: true,
    initkwargs: { suffix: "Instance" },
  }),
  dynamicRoute({
    url: "{prefix}/{lookup}/{url_path}{trailing_slash}",
    name: "{basename}-{url_name}",
    detail: true,
  }),
];
