// The Node request/response @hono/node-server hands every request (its env), for
// middlewares that set headers on Node's response directly: a header written there
// costs one setHeader, where the Fetch Response's Headers validates and is copied again.
import type { Context } from "hono";

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
  outgoing?: { setHeader(name: string, value: string): unknown; headersSent?: boolean };
}

/** Node's ServerResponse of this request, while its headers can still be set; else undefined. */
export function nodeResponseOf(c: Context): NonNullable<NodeBindings["outgoing"]> | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === "function" && !outgoing.headersSent ? outgoing : undefined;
}

/** One request header by lower-case name, from Node's parsed headers when there are some. */
export function incomingHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return typeof value === "string" ? value : value?.join(", ");
}
