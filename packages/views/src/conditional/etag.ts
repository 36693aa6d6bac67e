import { hash } from "node:crypto";

/**
 * A strong ETag of the body bytes (Django's ConditionalGetMiddleware: a quoted digest).
 * SHA-256, not Django's MD5: computed per response, and on CPUs with SHA extensions
 * (this deployment's) SHA-256 is about twice as fast as MD5 (bench/README.md).
 * The one-shot `hash()` skips the Hash object of `createHash`.
 */
export function bodyEtag(body: Uint8Array | string): string {
  // A string hashes as its UTF-8 bytes: the same tag as the encoded body.
  return `"${hash("sha256", body, "base64url").slice(0, 27)}"`;
}

/** Quotes a bare value; an already quoted (or weak) tag is kept. */
export function quoteEtag(tag: string): string {
  return /^(W\/)?"[^"]*"$/.test(tag) ? tag : `"${tag.replace(/"/g, "")}"`;
}

/** If-None-Match uses the weak comparison: `W/"a"` matches `"a"`; `*` matches anything. */
export function noneMatch(ifNoneMatch: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  const wanted = strip(etag);
  return ifNoneMatch.split(",").some((candidate) => candidate.trim() === "*" || strip(candidate) === wanted);
}

/** HTTP dates have second precision: a resource modified within the same second is not newer. */
export function notModifiedSince(ifModifiedSince: string, lastModified: Date): boolean {
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** Headers a 304 keeps (RFC 9110 §15.4.5, as Django's). */
const KEPT_ON_304 = ["cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary"];

/** A 304 Not Modified carrying the validators and caching headers of the full response. */
export function notModified(headers: Headers | Record<string, string>): globalThis.Response {
  const kept: Record<string, string> = {};
  for (const name of KEPT_ON_304) {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    if (value !== null && value !== undefined) kept[name] = value;
  }
  return new globalThis.Response(null, { status: 304, headers: kept });
}
