// The Node request/response @hono/node-server hands every request (its env). Headers every
// response gets go into the head Node writes instead of onto the Fetch Response: a Fetch
// Headers is validated on every set and copied into a record again on the way out, and even
// Node's setHeader validates and stores each one separately.
//
// Two ways in. The service's own server (serveApp) builds its ServerResponse class with the
// headers and request ids built in (`nodeResponseClass`): no middleware, no per-request work
// beyond writing them. Middleware on any other Node server installs them per response
// (`defaultNodeHeaders`).
import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Context } from "hono";
import { requestIdFrom } from "./request-id.js";

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> };
  outgoing?: ServerResponse;
}

// Node constructs a response with options too (its socket's highWaterMark, ...): @types/node
// declares only the request.
type ServerResponseOptions = object | undefined;
const NodeServerResponse = ServerResponse as unknown as new (
  req: IncomingMessage,
  options?: ServerResponseOptions,
) => ServerResponse;

type HeaderList = readonly (readonly [string, string])[];

/** What a service's responses carry, written by Node's response itself (`nodeResponseClass`). */
export interface NodeResponseOptions {
  /** Headers every response gets unless it sets them itself (Django's `setdefault`). */
  headers?: HeaderList;
  /** Header names no response carries (`X-Powered-By`). */
  drop?: readonly string[];
  /** An X-Request-Id on every response: the client's when it is a plain identifier, else a new UUID. */
  requestIds?: boolean;
}

/** A ServerResponse class built by `nodeResponseClass`. */
export interface NodeResponseClass {
  new (
    req: IncomingMessage,
    options?: ServerResponseOptions,
  ): ServerResponse & { readonly requestId: string | undefined };
  /** Set once the server shuts down: every head written from then on says `Connection: close`. */
  closing: boolean;
}

/**
 * Node's ServerResponse for a server whose every response carries `options`' headers (and
 * `Connection: close` once `closing` is set): given to `http.createServer({ ServerResponse })`.
 */
export function nodeResponseClass(options: NodeResponseOptions = {}): NodeResponseClass {
  const defaults = options.headers ?? [];
  if (defaults.length > MAX_DEFAULTS)
    throw new Error(`nodeResponseClass: at most ${MAX_DEFAULTS} default headers`);
  const drop = options.drop ?? [];
  const ids = options.requestIds === true;
  const plan = headPlan(defaults, drop, ids ? "x-request-id" : undefined, true);
  const ServiceResponse = class extends NodeServerResponse {
    static closing = false;
    readonly requestId: string | undefined;

    constructor(req: IncomingMessage, options?: ServerResponseOptions) {
      super(req, options);
      const given = ids ? req.headers["x-request-id"] : undefined;
      this.requestId = ids ? requestIdFrom(typeof given === "string" ? given : undefined) : undefined;
    }

    // One signature for Node's overloads (status[, reason][, headers]).
    override writeHead(status: number, reason?: unknown, object?: unknown): this {
      if (ServiceResponse.closing) this.setHeader("Connection", "close");
      const id = this.requestId;
      applyDefaults(this, status, reason, object, plan, id === undefined ? undefined : ["x-request-id", id]);
      return this;
    }
  };
  return ServiceResponse;
}

/** The X-Request-Id the service's own ServerResponse gave this request, if it gives them. */
export function nodeRequestId(c: Context): string | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing as { requestId?: unknown } | undefined;
  return typeof outgoing?.requestId === "string" ? outgoing.requestId : undefined;
}

// Which defaults a response has itself is a bit mask (one bit each, and one for the request id).
const MAX_DEFAULTS = 30;

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
export function defaultNodeHeaders(c: Context, headers: HeaderList, drop: readonly string[] = []): boolean {
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
  if (defaults.length > MAX_DEFAULTS)
    throw new Error(`defaultNodeHeaders: at most ${MAX_DEFAULTS} default headers`);
  for (const name of drop) outgoing[DROP]?.push(name);
  return true;
}

function writeHeadWithDefaults(
  this: Outgoing,
  status: number,
  reason?: unknown,
  object?: unknown,
): ServerResponse {
  applyDefaults(this, status, reason, object, headPlan(this[DEFAULTS] ?? [], this[DROP] ?? []), undefined);
  return this;
}

// Node's own writeHead, with its overloads (status[, reason][, headers]) as one signature.
const writeHead = ServerResponse.prototype.writeHead as (
  this: ServerResponse,
  status: number,
  reason?: unknown,
  headers?: unknown,
) => ServerResponse;

/**
 * Node's writeHead with `defaults` (and `extra`) added where the response has no such header.
 * The head goes to Node as one flat `[name, value, ...]` list: the response's own headers, then
 * the defaults it lacks. The response's record is read, never grown: records come in many shapes
 * (one per kind of response), and adding a dozen names to each made every later read of them
 * (Node's `for...in` over the head, @hono/node-server's) megamorphic.
 */
function applyDefaults(
  res: ServerResponse,
  status: number,
  reason: unknown,
  object: unknown,
  plan: HeadPlan,
  extra: readonly [string, string] | undefined,
): void {
  const { defaults, drop, bits } = plan;
  const given = object ?? (typeof reason === "object" ? reason : undefined);
  const own = res.getHeaderNames(); // set by setHeader: usually none
  // A 204 or 304 has no content for a Content-Type to describe: DRF drops it from an empty
  // response and Django from a 304, but @hono/node-server gives every head without one
  // `text/plain` (a cache could take that over for the stored 200).
  const bodiless = status === 204 || status === 304;
  if (bodiless && own.includes("content-type")) res.removeHeader("content-type");
  if (given !== undefined && given !== null && !Array.isArray(given)) {
    const headers = given as OutgoingHttpHeaders;
    // A frozen record (a cached page replayed as stored) gives the same head every time: its
    // list with the defaults it lacks is made once, and each response copies it.
    const heads = own.length === 0 && Object.isFrozen(headers) ? plan.heads : undefined;
    if (heads !== undefined) {
      const made = heads.get(headers);
      if (made !== undefined && made.status === status) {
        const flat = made.flat.slice();
        if (extra !== undefined && !made.hasExtra) flat.push(extra[0], extra[1]);
        writeFlatHead(res, status, reason, flat);
        return;
      }
    }
    const flat: unknown[] = [];
    // Bit i: the response has defaults[i] (or the request id, bit `defaults.length`) itself.
    let present = 0;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      // Names as given (@hono/node-server passes lower-case ones; a handler's own may not be).
      let lower = name;
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (c >= 65 && c <= 90) {
          lower = name.toLowerCase();
          break;
        }
      }
      const bit = bits.get(lower);
      if (bit === DROPPED || (bodiless && lower === "content-type")) continue;
      if (bit !== undefined) present |= 1 << bit;
      flat.push(name, value);
    }
    for (const name of own) {
      const bit = bits.get(name);
      if (bit !== undefined && bit !== DROPPED) present |= 1 << bit;
    }
    for (let i = 0; i < defaults.length; i++) {
      if ((present & (1 << i)) === 0) {
        const pair = defaults[i] as readonly [string, string];
        flat.push(pair[0], pair[1]);
      }
    }
    const hasExtra = (present & (1 << defaults.length)) !== 0;
    heads?.set(headers, { status, flat: flat.slice(), hasExtra });
    if (extra !== undefined && !hasExtra) flat.push(extra[0], extra[1]);
    for (const name of drop) if (own.includes(name)) res.removeHeader(name);
    writeFlatHead(res, status, reason, flat);
    return;
  }
  // No header object (an implicit head, or a raw header list): Node's own header store.
  for (const [name, value] of defaults) if (!own.includes(name)) res.setHeader(name, value);
  if (extra !== undefined && !own.includes(extra[0])) res.setHeader(extra[0], extra[1]);
  for (const name of drop) if (own.includes(name)) res.removeHeader(name);
  if (object !== undefined) writeHead.call(res, status, reason, object);
  else if (reason === undefined) writeHead.call(res, status);
  else writeHead.call(res, status, reason);
}

/** Node's writeHead with a flat `[name, value, ...]` list, and the reason phrase when one was given. */
function writeFlatHead(res: ServerResponse, status: number, reason: unknown, flat: unknown[]): void {
  if (typeof reason === "string") writeHead.call(res, status, reason, flat);
  else writeHead.call(res, status, flat);
}

/** What writing a head with defaults needs, worked out once per set of defaults. */
interface HeadPlan {
  readonly defaults: HeaderList;
  readonly drop: readonly string[];
  /**
   * Header name → bit of `present` in applyDefaults (defaults[i]: i; the request id: the bit after
   * them), or DROPPED: one Map lookup per header of the head instead of a scan of the defaults.
   */
  readonly bits: ReadonlyMap<string, number>;
  /** Heads made from frozen header records: their flat list without the request id. */
  readonly heads?: WeakMap<object, { status: number; flat: readonly unknown[]; hasExtra: boolean }>;
}

const DROPPED = -1;

/** `lasting`: the plan serves many responses (a service's class), so it keeps frozen records' heads. */
function headPlan(
  defaults: HeaderList,
  drop: readonly string[],
  requestId?: string,
  lasting = false,
): HeadPlan {
  const bits = new Map<string, number>();
  if (requestId !== undefined) bits.set(requestId, defaults.length);
  for (let i = defaults.length - 1; i >= 0; i--) bits.set((defaults[i] as readonly [string, string])[0], i);
  for (const name of drop) bits.set(name, DROPPED);
  return { defaults, drop, bits, heads: lasting ? new WeakMap() : undefined };
}

/** One request header by lower-case name, from Node's parsed headers when there are some. */
export function incomingHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return typeof value === "string" ? value : value?.join(", ");
}
