// The headers every baseline response carries whatever its route: the hardening headers the
// shop-api sends (Hono's secureHeaders defaults, Django's SecurityMiddleware) and an
// X-Request-Id. Written by Node's response itself, as the shop-api does (its own
// `nodeResponseClass`): a careful engineer who profiles puts constant headers into the head
// Node writes rather than onto every Fetch Response, where each costs a validated set and a copy.

import { randomUUID } from "node:crypto";
import { type IncomingMessage, ServerResponse } from "node:http";

const HARDENING = [
  "cross-origin-opener-policy",
  "same-origin",
  "cross-origin-resource-policy",
  "same-origin",
  "referrer-policy",
  "same-origin",
  "strict-transport-security",
  "max-age=15552000; includeSubDomains",
  "x-content-type-options",
  "nosniff",
  "x-frame-options",
  "SAMEORIGIN",
  "x-permitted-cross-domain-policies",
  "none",
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

// Node's writeHead with its overloads (status[, reason][, headers]) as one signature.
const writeHead = ServerResponse.prototype.writeHead as (
  this: ServerResponse,
  status: number,
  ...rest: unknown[]
) => ServerResponse;

// Node constructs a response with options too (its socket's highWaterMark...): @types/node
// declares only the request.
const NodeServerResponse = ServerResponse as unknown as new (
  req: IncomingMessage,
  options?: object,
) => ServerResponse;

/** Node's ServerResponse for the baseline server (`http.createServer({ ServerResponse })`). */
export class BaselineResponse extends NodeServerResponse {
  /** The client's X-Request-Id when it is short and harmless, else a new UUID (as the shop-api). */
  readonly requestId: string;

  constructor(req: IncomingMessage, options?: object) {
    super(req, options);
    const given = req.headers["x-request-id"];
    this.requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  }

  // @hono/node-server writes every head as (status, header record).
  override writeHead(status: number, reason?: unknown, record?: unknown): this {
    const headers = (record ?? (typeof reason === "object" ? reason : undefined)) as
      | Record<string, string | number>
      | undefined;
    const flat: (string | number)[] = [];
    // No Content-Type on a 204 or 304 (as the shop-api; @hono/node-server adds `text/plain`).
    const bodiless = status === 204 || status === 304;
    for (const name in headers)
      if (!bodiless || name !== "content-type") flat.push(name, headers[name] as string | number);
    for (const item of HARDENING) flat.push(item);
    flat.push("x-request-id", this.requestId);
    if (typeof reason === "string") writeHead.call(this, status, reason, flat);
    else writeHead.call(this, status, flat);
    return this;
  }
}
