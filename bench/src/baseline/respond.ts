// The head of each baseline response, as the shop-api writes it: the same endpoint by hand
// answers with the same headers, not only the same body. DRF's `Allow` and `Vary: Accept`, and on
// product responses a strong ETag of the body with `If-None-Match` answered by a 304 (the
// shop-api's conditional GET); the headers every response carries are Node's (node-head.ts).
// One plain header record per response, which @hono/node-server hands to Node's writeHead as it
// is (no Fetch Headers made or copied); request headers read from Node's parsed ones (asking
// Hono for one builds a Fetch Request).
import { hash } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";

/** The methods each benchmarked route answers, as DRF lists them in `Allow`. */
export const ALLOW = {
  readOnly: "GET, HEAD, OPTIONS",
  list: "GET, POST, HEAD, OPTIONS",
  detail: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS",
} as const;

export type BaselineContext = Context<{ Bindings: HttpBindings }>;

/** A request header from Node's parsed headers (lower-case name); Hono's without Node (in-process). */
export function requestHeader(c: BaselineContext, name: string): string | undefined {
  const incoming = c.env?.incoming as HttpBindings["incoming"] | undefined;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return typeof value === "string" ? value : value?.join(", ");
}

export interface Head {
  allow: string;
  /** A strong ETag of the body, and a 304 when the client has it (GET of a product list or detail). */
  etag?: boolean;
  cacheControl?: string;
  /** `WWW-Authenticate` of a 401. */
  authenticate?: string;
  /** `Retry-After` of a 429, in seconds. */
  retryAfter?: string;
}

/** A JSON response of `status` with the shop-api's head. */
export function respond(c: BaselineContext, status: number, body: string, head: Head): Response {
  const headers: Record<string, string> = {
    allow: head.allow,
    vary: "Accept",
    "content-type": "application/json",
  };
  if (head.etag === true && status === 200) {
    const etag = `"${hash("sha256", body, "base64url").slice(0, 27)}"`;
    const ifNoneMatch = requestHeader(c, "if-none-match");
    if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) return notModified(etag, head);
    headers.etag = etag;
  }
  if (head.cacheControl !== undefined) headers["cache-control"] = head.cacheControl;
  if (head.authenticate !== undefined) headers["www-authenticate"] = head.authenticate;
  if (head.retryAfter !== undefined) headers["retry-after"] = head.retryAfter;
  return new Response(body, { status, headers });
}

/** If-None-Match's weak comparison: `W/"a"` matches `"a"`, `*` matches anything. */
function matches(ifNoneMatch: string, etag: string): boolean {
  for (const candidate of ifNoneMatch.split(",")) {
    const tag = candidate.trim();
    if (tag === "*" || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** A 304 keeps the validators and caching headers of the full response (RFC 9110 §15.4.5). */
function notModified(etag: string, head: Head): Response {
  const headers: Record<string, string> = { etag, vary: "Accept" };
  if (head.cacheControl !== undefined) headers["cache-control"] = head.cacheControl;
  return new Response(null, { status: 304, headers });
}
