import { hash } from "node:crypto";
import { type AnyModel, usingDatabase } from "@x/models";
import { bodyEtag, noneMatch, notModified } from "../conditional/etag.js";
import type { Awaitable } from "../interfaces.js";
import type { Request } from "../request/request.js";
import type { APIView, HandlerResult } from "../views/api-view.js";
import type { Cache } from "./cache.js";
import { getDefaultCache } from "./default-cache.js";
import { currentGenerations, watchModels } from "./generations.js";

/** Every cached page's key starts with this (then the page's `keyPrefix`). */
export const CACHE_PAGE_PREFIX = "cache_page:";

export interface VaryOn {
  /** Request headers whose values select the cached copy (Django's vary_on_headers). */
  headers?: readonly string[];
  /** `true`: the whole Cookie header (vary_on_cookie); a list: only these cookies. */
  cookie?: boolean | readonly string[];
  /** One copy per authenticated user; without it, authenticated requests bypass the cache. */
  user?: boolean;
}

export interface CachePageOptions {
  /** Seconds a page stays cached. */
  ttl: number;
  varyOn?: VaryOn;
  /** Default: the process-wide default cache (`setDefaultCache`). */
  cache?: Cache;
  /** Groups pages for `invalidateCachedPages({ prefix })`, e.g. `"categories:"`. */
  keyPrefix?: string;
  /** Tags for `invalidateCachedPages({ tags })`, fixed or per request. */
  tags?: readonly string[] | ((request: Request) => readonly string[]);
  /**
   * Models the page is built from: a committed save/delete of any of them
   * (or `touchModels`) makes every cached copy stale at once, in every process
   * sharing the cache. No `Cache-Control: max-age` is added then: a client
   * must not keep what the server has invalidated (it revalidates with the ETag).
   */
  dependsOn?: readonly AnyModel[];
  /**
   * A strong ETag (a digest of the body) stored with the page; a matching
   * `If-None-Match` is answered 304 from the cache, without running the view.
   */
  etag?: boolean;
}

interface CachedPage {
  status: number;
  headers: [string, string][];
  /** The bytes themselves in a cache that keeps objects (memory); base64 where it serialises (Redis). */
  body: string | Uint8Array;
  /** The ETag header's value, if any: read once when stored, not per hit. */
  etag?: string | null;
}

// Pages this process stored in a cache that keeps objects: known good, not re-checked per hit.
const ownPages = new WeakSet<object>();
// Their headers as a frozen record (lower-case names) with the body's Content-Length, made once
// and replayed as it is: nothing on the way out adds to a head that has its length (Node's
// writeHead reads the record; @hono/node-server adds a Content-Length only when it is missing).
const pageRecords = new WeakMap<object, Readonly<Record<string, string>>>();

function headerRecordOf(page: CachedPage): Readonly<Record<string, string>> {
  const made = pageRecords.get(page);
  if (made) return made;
  const record: Record<string, string> = {};
  for (const [name, value] of page.headers) record[name.toLowerCase()] = value;
  record["content-length"] = String(bodyLength(page.body));
  return record;
}

function bodyLength(body: CachedPage["body"]): number {
  return typeof body === "string" ? Buffer.byteLength(body, "base64") : body.byteLength;
}

function isCachedPage(value: unknown): value is CachedPage {
  if (typeof value !== "object" || value === null) return false;
  if (ownPages.has(value)) return true;
  const { status, headers, body } = value as Record<string, unknown>;
  return (
    typeof status === "number" &&
    (typeof body === "string" || body instanceof Uint8Array) &&
    Array.isArray(headers) &&
    headers.every((h) => Array.isArray(h) && h.length === 2 && h.every((x) => typeof x === "string"))
  );
}

function cacheKey(request: Request, options: CachePageOptions, generations: string, cache: Cache): string {
  // Everything the response may depend on: URL (host, path, query), the API version, the negotiated
  // media type, the generations of the models it was built from and the varied parts. The query
  // string is kept as sent, not reordered: pagination links echo it, so the bodies differ.
  const parts = `${request.buildAbsoluteUri()}\n${request.version ?? ""}\n${request.accepted?.mediaType ?? ""}\n${generations}${
    options.varyOn === undefined ? "" : variedParts(request, options.varyOn)
  }`;
  // A cache in this process (memory) takes the parts themselves as the key: exact, and no
  // digest per request (one string, flattened and hashed once by the cache's Map). A shared one
  // (Redis) gets SHA-256 (not the ETag's MD5): the URL is the client's, and two URLs sharing a
  // key would share a page; a digest also bounds the key's size.
  const id = cache.sharesObjects === true ? parts : hash("sha256", parts, "hex");
  return `${CACHE_PAGE_PREFIX}${options.keyPrefix ?? ""}${id}`;
}

/** The request headers, cookies and user a page varies on, as `\n`-separated key parts. */
function variedParts(request: Request, vary: VaryOn): string {
  let out = "";
  if (vary.headers !== undefined)
    for (const name of [...vary.headers].sort())
      out += `\nh:${name.toLowerCase()}=${request.header(name.toLowerCase()) ?? ""}`;
  if (vary.cookie === true) out += `\nc=${request.header("cookie") ?? ""}`;
  else if (vary.cookie) {
    const cookies = request.cookies;
    for (const name of [...vary.cookie].sort()) out += `\nc:${name}=${cookies[name] ?? ""}`;
  }
  if (vary.user) out += `\nu=${request.user.isAuthenticated ? String(request.user.pk) : ""}`;
  return out;
}

function varyHeaderNames(vary: VaryOn): string[] {
  const names = [...(vary.headers ?? [])];
  if (vary.cookie) names.push("Cookie");
  if (vary.user) names.push("Authorization", "Cookie");
  return names;
}

/** Django's patch_vary_headers: add names not already listed (case-insensitively). */
function patchVary(headers: Headers, names: readonly string[]): void {
  const current = (headers.get("vary") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const seen = new Set(current.map((s) => s.toLowerCase()));
  for (const name of names) {
    if (!seen.has(name.toLowerCase())) {
      current.push(name);
      seen.add(name.toLowerCase());
    }
  }
  if (current.length > 0) headers.set("Vary", current.join(", "));
}

function replay(request: Request, page: CachedPage, options: CachePageOptions): globalThis.Response {
  if (options.etag) {
    const ifNoneMatch = request.header("if-none-match");
    const etag = page.etag === undefined ? (headerRecordOf(page).etag ?? null) : page.etag;
    if (ifNoneMatch !== null && etag !== null && noneMatch(ifNoneMatch, etag))
      return notModified(headerRecordOf(page));
  }
  const status = page.status;
  const stored = page.body;
  const body =
    status === 204 || status === 304
      ? null
      : typeof stored === "string"
        ? Buffer.from(stored, "base64")
        : stored;
  return new globalThis.Response(body, { status, headers: headerRecordOf(page) });
}

/**
 * Serves `produce()`'s response from the cache when a copy exists, else runs
 * it, renders it (with the view's negotiated renderer) and stores the exact
 * bytes, status and headers. Only GET/HEAD 200s without Set-Cookie are
 * stored; authenticated requests bypass the cache unless `varyOn.user`.
 * Runs inside the handler, so authentication, permissions and throttles
 * still apply to every request (as Django's cache_page on a DRF method).
 */
export function cacheResponse(
  view: APIView,
  request: Request,
  produce: () => Awaitable<HandlerResult>,
  options: CachePageOptions,
): Awaitable<HandlerResult> {
  const cacheable =
    (request.method === "GET" || request.method === "HEAD") &&
    (!request.user.isAuthenticated || options.varyOn?.user === true);
  if (!cacheable) return produce();
  const cache = options.cache ?? getDefaultCache();
  if (options.dependsOn)
    return cacheWithGenerations(view, request, produce, options, cache, options.dependsOn);
  const key = cacheKey(request, options, "", cache);
  // A memory cache answers at once: a hit is then replayed in the same tick (no microtask).
  const hit = cache.lookup ? cache.lookup(key) : cache.get(key);
  if (hit instanceof Promise)
    return hit.then((page) =>
      isCachedPage(page)
        ? replay(request, page, options)
        : store(view, request, produce(), options, cache, key),
    );
  if (isCachedPage(hit)) return replay(request, hit, options);
  return store(view, request, produce(), options, cache, key);
}

/** cacheResponse for a page built from models: the key carries their current generations. */
async function cacheWithGenerations(
  view: APIView,
  request: Request,
  produce: () => Awaitable<HandlerResult>,
  options: CachePageOptions,
  cache: Cache,
  models: readonly AnyModel[],
): Promise<HandlerResult> {
  // Read before the view runs: a write committing meanwhile bumps past this, so what the view
  // reads (possibly older rows) is stored under a generation that is already out of date.
  const generations = await currentGenerations(models, cache);
  if (generations === null) return usingDatabase("primary", produce); // counters unreadable: bypass
  const key = cacheKey(request, options, generations, cache);
  const hit = await cache.get(key);
  if (isCachedPage(hit)) return replay(request, hit, options);
  // A page stored under the current generations must hold rows at least that new: a read
  // replica may lag behind the commit that bumped them, so a miss renders on the primary.
  return store(view, request, usingDatabase("primary", produce), options, cache, key);
}

/** A miss: the view's response rendered, stored under `key` when it may be, and replayed. */
async function store(
  view: APIView,
  request: Request,
  produced: Awaitable<HandlerResult>,
  options: CachePageOptions,
  cache: Cache,
  key: string,
): Promise<HandlerResult> {
  const rendered = await view.finalizeResponse(request, await produced);
  if (request.method === "HEAD" || rendered.status !== 200 || rendered.headers.has("set-cookie"))
    return rendered;
  const headers = new Headers(rendered.headers);
  patchVary(headers, varyHeaderNames(options.varyOn ?? {}));
  if (!headers.has("cache-control") && !options.dependsOn) {
    headers.set(
      "Cache-Control",
      `${options.varyOn?.user ? "private, " : ""}max-age=${Math.floor(options.ttl)}`,
    );
  }
  const body = new Uint8Array(await rendered.arrayBuffer());
  if (options.etag && !headers.has("etag")) headers.set("ETag", bodyEtag(body));
  // A memory cache keeps the page object itself (shared by every hit, so never changed):
  // no JSON and no base64 per hit. A serialising cache (Redis) gets the bytes as base64.
  const shared = cache.sharesObjects === true;
  const page: CachedPage = {
    status: rendered.status,
    headers: [...headers],
    body: shared ? body : Buffer.from(body).toString("base64"),
    etag: headers.get("etag"),
  };
  const tags = typeof options.tags === "function" ? options.tags(request) : (options.tags ?? []);
  if (shared) {
    Object.freeze(page);
    ownPages.add(page);
    pageRecords.set(page, Object.freeze(headerRecordOf(page)));
  }
  await cache.set(key, page, options.ttl, { tags, shared });
  return replay(request, page, options);
}

export type ViewHandler<V extends APIView> = (this: V, request: Request) => Awaitable<HandlerResult>;

/**
 * Django's `cache_page` for a view method:
 * `get = cachePage({ ttl: 900 })(async function (this: CategoryList, request) { ... })`.
 */
export function cachePage(options: CachePageOptions) {
  if (options.dependsOn) watchModels(options.dependsOn, options.cache);
  return <V extends APIView>(handler: ViewHandler<V>): ViewHandler<V> =>
    function (this: V, request: Request) {
      return cacheResponse(this, request, () => handler.call(this, request), options);
    };
}

/** Drops cached pages by tag and/or key prefix (the `keyPrefix` given to cachePage); returns how many. */
export async function invalidateCachedPages(
  options: { tags?: readonly string[]; prefix?: string; cache?: Cache } = {},
): Promise<number> {
  const cache = options.cache ?? getDefaultCache();
  let n = 0;
  if (options.tags && options.tags.length > 0) n += await cache.invalidateTags(options.tags);
  if (options.prefix !== undefined) n += await cache.deletePrefix(`${CACHE_PAGE_PREFIX}${options.prefix}`);
  return n;
}
