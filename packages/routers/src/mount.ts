// Registers routers' URL tables on a Hono app under a prefix, once, at startup.

import { type ApiSettings, setApiContext, type UrlResolver } from "@x/views";
import type { Hono, MiddlewareHandler } from "hono";
import { compileMatcher, literalHead } from "./dispatch.js";
import { joinParts, parseHonoPath } from "./path.js";
import { type ResolverMatch, type ReverseKwargs, type ReverseOptions, URLResolver } from "./resolver.js";
import type { Router } from "./simple-router.js";

export interface MountOptions {
  /** URL namespace of this mount (Django's `include(..., namespace)`): `"v1"` → `NamespaceVersioning` reads it, names reverse as `"v1:product-list"`. */
  namespace?: string;
  /** API settings for the views under this mount (else the app's). */
  settings?: ApiSettings;
  /**
   * Django's APPEND_SLASH: a GET or HEAD of a route's path without its trailing slash
   * answers 301 to the path with it (query kept). Off by default.
   */
  appendSlash?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: routes are added to any Hono app, whatever its env
type AnyHono = Hono<any, any, any>;

const appResolvers = new WeakMap<AnyHono, URLResolver[]>();

/** Normalises a mount prefix to start and end with "/". */
function normalisePrefix(prefix: string): string {
  let p = prefix.startsWith("/") ? prefix : `/${prefix}`;
  if (!p.endsWith("/")) p += "/";
  return p;
}

/**
 * Mounts one or more routers under `prefix` on `app`: every route is registered once,
 * for every method (the view answers 405 for methods it does not map, as DRF does).
 */
export function mount(
  app: AnyHono,
  prefix: string,
  routers: Router | readonly Router[],
  options: MountOptions = {},
): URLResolver {
  const list: readonly Router[] = Array.isArray(routers) ? routers : [routers as Router];
  const prefixParts = joinParts(parseHonoPath(normalisePrefix(prefix)));
  let siblings = appResolvers.get(app);
  if (!siblings) {
    siblings = [];
    appResolvers.set(app, siblings);
  }
  const resolver = new URLResolver(
    prefixParts,
    list.flatMap((r) => r.urls),
    options.namespace,
    siblings,
    options.settings,
  );
  siblings.push(resolver);
  const namespace = options.namespace;
  const settings = options.settings;
  // One Hono route per mount, matched by the mount's own table: Hono's fast RegExpRouter refuses
  // a literal segment beside a parameter (`products/featured/` beside `products/:pk/`), and
  // one such pair made the whole app fall back to its TrieRouter.
  const match = compileMatcher(
    prefixParts,
    resolver.urls.flatMap((mounted) => mounted.pattern.matches.map((parts) => ({ parts, target: mounted }))),
  );
  const hasPrefixParams = prefixParts.some((p) => typeof p !== "string");
  // The matcher hands out one frozen kwargs object per distinct prefix (`{ version: "v1" }`):
  // its resolver is made once, not per request.
  const prefixResolvers = new WeakMap<object, RequestResolver>();
  const prefixResolver = (kwargs: Readonly<Record<string, string>>): RequestResolver => {
    let made = prefixResolvers.get(kwargs);
    if (made === undefined) {
      made = new RequestResolver(resolver, kwargs);
      prefixResolvers.set(kwargs, made);
    }
    return made;
  };
  const appendSlash = options.appendSlash === true;
  const dispatch: MiddlewareHandler = (c, next) => {
    const path = c.req.path;
    const hit = match(path);
    if (hit === null) {
      // Django's APPEND_SLASH: only when no route matches the path as it is.
      if (appendSlash && !path.endsWith("/") && (c.req.method === "GET" || c.req.method === "HEAD")) {
        if (match(`${path}/`) !== null) return appendSlashRedirect(c, next);
      }
      return next();
    }
    const { pattern } = hit.target;
    // The views read route name, kwargs, resolver and settings from the API context. Prefix
    // parameters (`/api/:version/`) carry over to every URL reversed during this request.
    // One object shape for every request (unset keys undefined, which setApiContext skips).
    setApiContext(c, {
      resolver: hasPrefixParams ? prefixResolver(hit.prefixKwargs) : resolver,
      routeName: pattern.name,
      kwargs: hit.kwargs,
      namespace,
      settings,
    });
    return pattern.view(c, next);
  };
  app.all(`${literalHead(prefixParts)}*`, dispatch);
  return resolver;
}

const appendSlashRedirect: MiddlewareHandler = async (c) => {
  const url = new URL(c.req.url);
  // One leading slash only: "//host/..." would be a protocol-relative (open) redirect.
  return c.redirect(`${url.pathname.replace(/^\/+/, "/")}/${url.search}`, 301);
};

/** Every mount of `app`, in mount order (the schema generator documents them). */
export function mountsOf(app: AnyHono): readonly URLResolver[] {
  return appResolvers.get(app) ?? [];
}

/** The mount's resolver for one request: the request's prefix kwargs fill parameters the caller leaves out. */
class RequestResolver implements UrlResolver {
  readonly #resolver: URLResolver;
  readonly #options: ReverseOptions;

  constructor(resolver: URLResolver, kwargs: Readonly<Record<string, string>>) {
    this.#resolver = resolver;
    this.#options = { fallbackKwargs: kwargs };
  }

  reverse(name: string, kwargs?: ReverseKwargs, options?: { namespace?: string }): string {
    const opts =
      options?.namespace !== undefined ? { ...this.#options, namespace: options.namespace } : this.#options;
    return this.#resolver.reverse(name, kwargs, opts);
  }

  resolve(path: string): ResolverMatch | null {
    return this.#resolver.resolve(path);
  }
}
