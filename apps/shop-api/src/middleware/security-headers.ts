// Hono's secureHeaders with the response's own value kept (its `overwrite: false`, Django's
// SecurityMiddleware setdefault), at a fraction of the cost when served by @hono/node-server:
// the headers are added to the head Node writes (node.ts), where the response's own headers
// take precedence, instead of set on the Fetch Response's Headers after the handler (each
// Headers.set validates; 13 of them cost as much as a small view, and reading the response's
// Headers to drop X-Powered-By made @hono/node-server copy them once more). Without a Node
// response (the in-process test client) the Fetch Response gets them, as Hono's middleware does.
import type { Context, MiddlewareHandler, Next } from "hono";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { defaultNodeHeaders, type NodeResponseOptions } from "./node.js";

const POWERED_BY = ["x-powered-by"];

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/** The headers Hono's middleware adds for these options, read from the middleware itself once. */
async function headersOf(options: SecureHeadersOptions): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use("*", secureHeaders({ ...options, overwrite: true }));
  probe.get("/", (c) => c.body(null, 204));
  const res = await probe.request("/");
  return [...res.headers].filter(([name]) => name !== "content-type");
}

/**
 * The same headers for a server whose ServerResponse writes them itself (`nodeResponseClass`,
 * no middleware); undefined when they need Hono's middleware (a Content-Security-Policy).
 */
export async function securityHeadersForNode(
  options: SecureHeadersOptions = {},
): Promise<Pick<NodeResponseOptions, "headers" | "drop"> | undefined> {
  if (needsHonoMiddleware(options)) return undefined;
  return { headers: await headersOf(options), drop: droppedNames(options) };
}

/** A Content-Security-Policy may carry a per-request nonce: that needs Hono's own middleware. */
function needsHonoMiddleware(options: SecureHeadersOptions): boolean {
  return Boolean(options.contentSecurityPolicy || options.contentSecurityPolicyReportOnly);
}

function droppedNames(options: SecureHeadersOptions): readonly string[] {
  return options.removePoweredBy !== false ? POWERED_BY : [];
}

export function securityHeaders(options: SecureHeadersOptions = {}): MiddlewareHandler {
  if (needsHonoMiddleware(options)) return secureHeaders({ ...options, overwrite: false });
  const drop = droppedNames(options);
  const removePoweredBy = drop.length > 0;
  let known: [string, string][] | undefined;
  let pending: Promise<[string, string][]> | undefined;
  const onFetchResponse = async (c: Context, next: Next, set: [string, string][]): Promise<void> => {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of set) if (!headers.has(name)) headers.set(name, value);
    if (removePoweredBy) headers.delete("x-powered-by");
  };
  const first = async (c: Context, next: Next): Promise<void> => {
    pending ??= headersOf(options);
    known = await pending;
    if (defaultNodeHeaders(c, known, drop)) return next();
    return onFetchResponse(c, next, known);
  };
  // Not an async function once the headers are known: returning next()'s promise from one
  // costs another promise and three microtasks per request.
  return (c, next) => {
    if (!known) return first(c, next);
    if (defaultNodeHeaders(c, known, drop)) return next();
    return onFetchResponse(c, next, known);
  };
}
