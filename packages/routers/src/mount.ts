// Registers routers' URL tables on a Hono app under a prefix, once, at startup.

import { type ApiSettings, setApiContext, type UrlResolver } from "@x/views";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { joinParts, parseHonoPath, toHonoPath } from "./path.js";
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
  const prefixParams = prefixParts.flatMap((p) => (typeof p === "string" ? [] : [p.name]));

  for (const mounted of resolver.urls) {
    const { pattern } = mounted;
    // What every request of this route puts in the API context, built once.
    const patch = {
      routeName: pattern.name,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.settings !== undefined ? { settings: options.settings } : {}),
    };
    const handler: MiddlewareHandler = (c, next) => {
      // The views read route name, resolver and settings from the API context.
      // Prefix parameters (`/api/:version/`) carry over to every URL reversed during this request.
      const bound = prefixParams.length > 0 ? new RequestResolver(resolver, c, prefixParams) : resolver;
      setApiContext(c, { resolver: bound, ...patch });
      return pattern.view(c, next);
    };
    for (const match of pattern.matches) app.all(toHonoPath([...prefixParts, ...match]), handler);
  }
  if (options.appendSlash) {
    // After every route of the mount, so a route that really has no slash wins.
    for (const mounted of resolver.urls) {
      const parts = mounted.parts;
      const last = parts[parts.length - 1];
      if (typeof last !== "string" || !last.endsWith("/")) continue;
      const bare = joinParts(parts.slice(0, -1), [last.slice(0, -1)]);
      if (bare.length === 0) continue; // the site root has no slash-less form
      if (mounted.pattern.matches.some((m) => toHonoPath([...prefixParts, ...m]) === toHonoPath(bare)))
        continue;
      app.on(["GET", "HEAD"], toHonoPath(bare), appendSlashRedirect);
    }
  }
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
  readonly #c: Context;
  readonly #prefixParams: readonly string[];
  #options: ReverseOptions | undefined;

  constructor(resolver: URLResolver, c: Context, prefixParams: readonly string[]) {
    this.#resolver = resolver;
    this.#c = c;
    this.#prefixParams = prefixParams;
  }

  reverse(name: string, kwargs?: ReverseKwargs, options?: { namespace?: string }): string {
    // Read once per request, on the first link: most responses reverse many.
    this.#options ??= { fallbackKwargs: pick(this.#c.req.param(), this.#prefixParams) };
    const opts =
      options?.namespace !== undefined ? { ...this.#options, namespace: options.namespace } : this.#options;
    return this.#resolver.reverse(name, kwargs, opts);
  }

  resolve(path: string): ResolverMatch | null {
    return this.#resolver.resolve(path);
  }
}

function pick(values: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (values[name] !== undefined) out[name] = values[name];
  return out;
}
