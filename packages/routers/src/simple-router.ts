// DRF's SimpleRouter: a registry of (prefix, viewset, basename) expanded into a URL table.
import { ImproperlyConfigured } from "./errors.js";
import { expandTemplate } from "./expand.js";
import { lookupParam } from "./lookup.js";
import { type PathParam, type PathParts, paramsOf, parseHonoPath, toTemplate } from "./path.js";
import { type ActionMapping, type AnyRoute, type RouteDescription, simpleRoutes } from "./routes.js";
import type { URLPattern } from "./url-pattern.js";
import {
  actionMapping,
  type ExtraAction,
  hasAction,
  type RoutableViewSet,
  viewsetAttribute,
} from "./viewset.js";

export type TrailingSlash = boolean | "optional";

export interface RouterOptions {
  /** `true` (default) `/products/`, `false` `/products`, `"optional"` both (reverse writes the slash). */
  trailingSlash?: TrailingSlash;
  /** Replaces the router's route descriptions (DRF's `routes` class attribute). */
  routes?: readonly AnyRoute[];
}

export interface RegisterOptions {
  basename?: string;
}

export interface Registration {
  readonly prefix: string;
  readonly viewset: RoutableViewSet;
  readonly basename: string;
}

/** Anything `mount()` accepts: it has a URL table. */
export interface Router {
  readonly urls: readonly URLPattern[];
}

export class SimpleRouter implements Router {
  /** The route descriptions, in match order; override in a subclass or pass `routes`. */
  routes: readonly AnyRoute[];
  readonly trailingSlash: TrailingSlash;
  readonly registry: Registration[] = [];
  #urls: readonly URLPattern[] | undefined;

  constructor(options: RouterOptions = {}) {
    this.trailingSlash = options.trailingSlash ?? true;
    this.routes = options.routes ?? simpleRoutes;
  }

  /**
   * Registers a viewset under `prefix`, which may hold Hono-style parameters
   * (`users/:user_pk{[0-9]+}/accounts`, DRF's regex prefixes).
   */
  register(prefix: string, viewset: RoutableViewSet, options: RegisterOptions = {}): this {
    const basename = options.basename ?? this.getDefaultBasename(viewset);
    if (this.registry.some((r) => r.basename === basename)) {
      throw new ImproperlyConfigured(
        `Router with basename "${basename}" is already registered. Please provide a unique basename for viewset "${viewset.name}"`,
      );
    }
    if (/^\/|\/$/.test(prefix)) {
      throw new ImproperlyConfigured(`Router prefix "${prefix}" must not start or end with "/".`);
    }
    this.registry.push({ prefix, viewset, basename });
    this.#urls = undefined;
    return this;
  }

  /** DRF: the lower-cased model name of the viewset's queryset. */
  getDefaultBasename(viewset: RoutableViewSet): string {
    const queryset = viewsetAttribute(viewset, "queryset") as {
      model?: { meta?: { modelName?: string } };
    } | null;
    const modelName = queryset?.model?.meta?.modelName;
    if (typeof modelName !== "string") {
      throw new ImproperlyConfigured(
        `\`basename\` argument not specified, and could not automatically determine the name from the viewset "${viewset.name}", as it does not have a \`queryset\` attribute.`,
      );
    }
    return modelName.toLowerCase();
  }

  /** The URL table, built once (and again only after another `register`). */
  get urls(): readonly URLPattern[] {
    this.#urls ??= Object.freeze(this.getUrls());
    return this.#urls;
  }

  /** Path parts a registration's routes start with; nested routers prepend their parents. */
  protected prefixParts(registration: Registration): PathParts {
    return parseHonoPath(registration.prefix);
  }

  /** Kwarg prefix of the `{lookup}` parameter (nested routers' `{lookup}_`). */
  protected lookupPrefix(): string {
    return "";
  }

  getLookup(viewset: RoutableViewSet): PathParam {
    return lookupParam(viewset, this.lookupPrefix());
  }

  getUrls(): URLPattern[] {
    const patterns: URLPattern[] = [];
    for (const registration of this.registry) {
      const { viewset, basename } = registration;
      const prefix = this.prefixParts(registration);
      const lookup = this.getLookup(viewset);
      for (const r of this.getRoutes(viewset)) {
        const mapping = this.getMethodMap(viewset, r.mapping);
        if (Object.keys(mapping).length === 0) continue;
        const expand = (slash: string) => expandTemplate(r.url, { prefix, lookup, trailingSlash: slash });
        const matches =
          this.trailingSlash === "optional"
            ? [expand("/"), expand("")]
            : [expand(this.trailingSlash ? "/" : "")];
        const parts = matches[0] as PathParts;
        const initkwargs = { ...r.initkwargs, basename, detail: r.detail };
        patterns.push({
          route: toTemplate(parts),
          parts,
          matches: dedupe(matches),
          params: paramsOf(parts),
          name: r.name.replaceAll("{basename}", basename),
          mapping,
          detail: r.detail,
          basename,
          prefix: registration.prefix,
          kind: "viewset",
          viewset,
          viewClass: viewset,
          initkwargs,
          view: viewset.asView(mapping, initkwargs),
        });
      }
    }
    return patterns;
  }

  /** The routes for one viewset: dynamic descriptions expanded once per `@action` (DRF's get_routes). */
  getRoutes(viewset: RoutableViewSet): RouteDescription[] {
    const knownActions = new Set(
      this.routes.flatMap((r) => (r.kind === "route" ? Object.values(r.mapping) : [])),
    );
    const extraActions = viewset.getExtraActions();
    const clashing = extraActions.filter((a) => knownActions.has(a.name)).map((a) => a.name);
    if (clashing.length > 0) {
      throw new ImproperlyConfigured(
        `Cannot use the @action decorator on the following methods, as they are existing routes: ${clashing.join(", ")}`,
      );
    }
    const routes: RouteDescription[] = [];
    for (const r of this.routes) {
      if (r.kind === "route") routes.push(r);
      else
        for (const a of extraActions)
          if (a.detail === r.detail) routes.push(dynamicToRoute(r.url, r.name, r.initkwargs, a));
    }
    return routes;
  }

  /** Keeps only the actions the viewset implements (DRF's get_method_map). */
  getMethodMap(viewset: RoutableViewSet, mapping: ActionMapping): Record<string, string> {
    const bound: Record<string, string> = {};
    for (const [method, action] of Object.entries(mapping))
      if (hasAction(viewset, action)) bound[method] = action;
    return bound;
  }
}

function dynamicToRoute(
  url: string,
  name: string,
  initkwargs: Readonly<Record<string, unknown>>,
  action: ExtraAction,
): RouteDescription {
  return {
    kind: "route",
    url: url.replaceAll("{url_path}", action.urlPath),
    mapping: actionMapping(action),
    name: name.replaceAll("{url_name}", action.urlName),
    detail: action.detail,
    initkwargs: { ...initkwargs, ...action.kwargs },
  };
}

function dedupe(matches: PathParts[]): PathParts[] {
  const seen = new Set<string>();
  return matches.filter((m) => {
    const key = JSON.stringify(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
