import type { Handler } from "hono";
import type { PathParam, PathParts } from "./path.js";
import type { ActionMapping } from "./routes.js";
import type { RoutableViewSet, ViewClassLike } from "./viewset.js";

/** One row of a router's URL table. */
export interface URLPattern {
  /** Readable path relative to the mount, `products/{pk}/`. */
  readonly route: string;
  /** The canonical path (what reverse writes). */
  readonly parts: PathParts;
  /** Every form the route matches, canonical first (two with `trailingSlash: "optional"`). */
  readonly matches: readonly PathParts[];
  readonly params: readonly PathParam[];
  /** `{basename}-list`, `{basename}-detail`, `{basename}-{url_name}`, `api-root`. */
  readonly name: string;
  /** HTTP method → action; empty for the API root. */
  readonly mapping: ActionMapping;
  readonly detail: boolean;
  readonly basename: string | null;
  /** The registration prefix (`products`); "" for the API root. */
  readonly prefix: string;
  /** `viewset`: a router's route; `view`: a plain view from `path()`; `root`: the API root. */
  readonly kind: "viewset" | "view" | "root";
  /** The viewset, or null for a plain view and the API root. */
  readonly viewset: RoutableViewSet | null;
  /** The view class answering the route (the viewset, the plain view, the root view). */
  readonly viewClass: ViewClassLike;
  readonly initkwargs: Readonly<Record<string, unknown>>;
  /** The Hono handler answering every method on this path (the view replies 405 itself). */
  readonly view: Handler;
}
