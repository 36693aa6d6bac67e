// The Node request/response @hono/node-server hands every request (its env). Middlewares
// that add headers to every response hand them to Node's writeHead instead of setting them
// on the Fetch Response: a Fetch Headers is validated on every set and copied into a record
// again on the way out, and even Node's setHeader validates and stores each one separately.
import { type OutgoingHttpHeaders, ServerResponse } from "node:http";
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

// Node's own writeHead, with its overloads (status[, reason][, headers]) as one signature.
const writeHead = ServerResponse.prototype.writeHead as (
  this: ServerResponse,
  status: number,
  reason?: unknown,
  headers?: unknown,
) => ServerResponse;

function writeHeadWithDefaults(
  this: Outgoing,
  status: number,
  reason?: string | OutgoingHttpHeaders,
  object?: OutgoingHttpHeaders,
): ServerResponse {
  const headers = object ?? (typeof reason === "object" && !Array.isArray(reason) ? reason : undefined);
  const defaults = this[DEFAULTS] ?? [];
  const drop = this[DROP] ?? [];
  const own = this.getHeaderNames(); // set by setHeader: usually none
  if (headers !== undefined) {
    // Names as given (@hono/node-server passes lower-case ones; a handler's own may not be).
    let lower: Set<string> | undefined;
    for (const name in headers) {
      const l = name.toLowerCase();
      if (l !== name || drop.includes(l)) {
        lower ??= new Set();
        if (drop.includes(l)) delete headers[name];
        else lower.add(l);
      }
    }
    for (const [name, value] of defaults) {
      if (name in headers || lower?.has(name) || own.includes(name)) continue;
      headers[name] = value;
    }
  } else {
    // No header object (an implicit head, or raw header arrays): Node's own header store.
    for (const [name, value] of defaults) if (!own.includes(name)) this.setHeader(name, value);
  }
  for (const name of drop) if (own.includes(name)) this.removeHeader(name);
  if (object !== undefined) return writeHead.call(this, status, reason, object);
  return reason === undefined ? writeHead.call(this, status) : writeHead.call(this, status, reason);
}

/** One request header by lower-case name, from Node's parsed headers when there are some. */
export function incomingHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return typeof value === "string" ? value : value?.join(", ");
}
