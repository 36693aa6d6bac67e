// The Node request/response @hono/node-server hands every request (its env). Middlewares
// that add headers to every response hand them to Node's writeHead instead of setting them
// on the Fetch Response: a Fetch Headers is validated on every set and copied into a record
// again on the way out, and even Node's setHeader validates and stores each one separately.
import type { ServerResponse } from "node:http";
import type { Context } from "hono";

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
  outgoing?: ServerResponse;
}

const DEFAULTS = Symbol("x.defaultHeaders");
const DROP = Symbol("x.dropHeaders");
type Outgoing = ServerResponse & { [DEFAULTS]?: [string, string][]; [DROP]?: string[] };

/** Node's ServerResponse of this request while its headers can still be set; else undefined. */
function nodeResponseOf(c: Context): Outgoing | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  return outgoing && typeof outgoing.writeHead === "function" && !outgoing.headersSent
    ? (outgoing as Outgoing)
    : undefined;
}

/**
 * Headers every response of this request gets unless it sets them itself (Django's
 * `setdefault`), and header names it must not carry, applied when Node writes the head.
 * False when the request has no Node response (the in-process client): the caller then
 * works on the Fetch Response.
 */
export function defaultNodeHeaders(
  c: Context,
  headers: readonly (readonly [string, string])[],
  drop: readonly string[] = [],
): boolean {
  const outgoing = nodeResponseOf(c);
  if (!outgoing) return false;
  let defaults = outgoing[DEFAULTS];
  if (defaults === undefined) {
    defaults = [];
    outgoing[DEFAULTS] = defaults;
    outgoing[DROP] = [];
    // An own property on this response only: every path to the head goes through it
    // (@hono/node-server's writeHead, and Node's implicit head on a first write).
    outgoing.writeHead = writeHeadWithDefaults as typeof outgoing.writeHead;
  }
  for (const pair of headers) defaults.push(pair as [string, string]);
  for (const name of drop) outgoing[DROP]?.push(name);
  return true;
}

function writeHeadWithDefaults(this: Outgoing, status: number, ...rest: unknown[]): ServerResponse {
  const defaults = this[DEFAULTS] ?? [];
  const drop = this[DROP] ?? [];
  const last = rest[rest.length - 1];
  if (last !== null && typeof last === "object" && !Array.isArray(last)) {
    const headers = last as Record<string, unknown>;
    const present = new Set<string>();
    for (const name in headers) {
      const lower = name.toLowerCase();
      if (drop.includes(lower)) delete headers[name];
      else present.add(lower);
    }
    for (const [name, value] of defaults) {
      if (!present.has(name) && !this.hasHeader(name)) headers[name] = value;
    }
  } else {
    // No header object (an implicit head, or raw header arrays): Node's own header store.
    for (const [name, value] of defaults) if (!this.hasHeader(name)) this.setHeader(name, value);
  }
  for (const name of drop) if (this.hasHeader(name)) this.removeHeader(name);
  return (Object.getPrototypeOf(this) as ServerResponse).writeHead.call(
    this,
    status,
    ...(rest as [Record<string, string>]),
  );
}

/** One request header by lower-case name, from Node's parsed headers when there are some. */
export function incomingHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return typeof value === "string" ? value : value?.join(", ");
}
