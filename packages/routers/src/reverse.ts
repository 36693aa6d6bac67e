// DRF's rest_framework.reverse.reverse: a route name to an absolute URL on the request's host.

import { getApiContext, type Request } from "@x/views";
import type { Context } from "hono";
import { NoReverseMatch } from "./errors.js";
import type { ResolverMatch, ReverseKwargs, URLResolver } from "./resolver.js";

// biome-ignore lint/suspicious/noExplicitAny: a route may run under any Hono app's env
type AnyContext = Context<any, any, any>;

export interface ReverseRequestOptions {
  /** Resolve in the mount of this namespace. */
  namespace?: string;
}

function contextOf(request: Request | AnyContext): AnyContext {
  return "context" in request ? request.context : request;
}

/**
 * The absolute URL of a named route, resolved in the mount the request came through
 * (then in the app's other mounts); throws NoReverseMatch.
 */
export function reverse(
  name: string,
  kwargs: ReverseKwargs | undefined,
  request: Request | AnyContext,
  options: ReverseRequestOptions = {},
): string {
  const c = contextOf(request);
  const { resolver } = getApiContext(c);
  if (!resolver) {
    throw new NoReverseMatch(
      `Reverse for '${name}' not found: the request did not come through a mounted router.`,
    );
  }
  const path = resolver.reverse(
    name,
    kwargs ?? {},
    options.namespace !== undefined ? { namespace: options.namespace } : {},
  );
  return absoluteUrl(path, c);
}

/** `path` on the request's scheme and host (Django's build_absolute_uri). */
export function absoluteUrl(path: string, c: AnyContext): string {
  const url = new URL(c.req.url);
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Django's resolve(): the route a URL (absolute or a path) matches among the mounts of the
 * app the request came through, or null. Serializers' writable hyperlinked fields use it.
 */
export function resolve(url: string, request: Request | AnyContext): ResolverMatch | null {
  const { resolver } = getApiContext(contextOf(request));
  const withResolve = resolver as Partial<Pick<URLResolver, "resolve">> | undefined;
  if (!withResolve?.resolve) return null;
  let path: string;
  try {
    path = new URL(url, "http://resolve.invalid").pathname;
  } catch {
    return null;
  }
  return withResolve.resolve(path);
}
