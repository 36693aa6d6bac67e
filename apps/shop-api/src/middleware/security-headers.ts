// Hono's secureHeaders with the response's own value kept (its `overwrite: false`, Django's
// SecurityMiddleware setdefault), at a fraction of the cost when served by @hono/node-server:
// the headers go straight onto Node's ServerResponse before the handler runs, instead of
// through the Fetch Response's Headers after it (each Headers.set validates; 13 of them
// cost as much as a small view). Node merges them into writeHead, where the response's
// own headers take precedence. Without a Node response (the in-process test client) the
// Fetch Response gets them, as Hono's middleware does.
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { nodeResponseOf } from "./node.js";

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/** The headers Hono's middleware adds for these options, read from the middleware itself once. */
async function headersOf(options: SecureHeadersOptions): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use("*", secureHeaders({ ...options, overwrite: true }));
  probe.get("/", (c) => c.body(null, 204));
  const res = await probe.request("/");
  return [...res.headers].filter(([name]) => name !== "content-type");
}

export function securityHeaders(options: SecureHeadersOptions = {}): MiddlewareHandler {
  // A Content-Security-Policy may carry a per-request nonce: that needs Hono's own middleware.
  if (options.contentSecurityPolicy || options.contentSecurityPolicyReportOnly) {
    return secureHeaders({ ...options, overwrite: false });
  }
  const removePoweredBy = options.removePoweredBy !== false;
  let known: [string, string][] | undefined;
  let pending: Promise<[string, string][]> | undefined;
  return async (c, next) => {
    if (!known) {
      pending ??= headersOf(options);
      known = await pending;
    }
    const outgoing = nodeResponseOf(c);
    if (outgoing) {
      for (const [name, value] of known) outgoing.setHeader(name, value);
      await next();
      if (removePoweredBy && c.res.headers.has("x-powered-by")) c.res.headers.delete("x-powered-by");
      return;
    }
    await next();
    const headers = c.res.headers;
    for (const [name, value] of known) if (!headers.has(name)) headers.set(name, value);
    if (removePoweredBy) headers.delete("x-powered-by");
  };
}
