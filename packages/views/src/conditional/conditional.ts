import { wrapActions } from "../cache/cache-actions.js";
import type { Awaitable } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { type HeaderRecord, Response } from "../response/response.js";
import { type APIView, type HandlerResult, renderedBodyOf, renderedHeadersOf } from "../views/api-view.js";
import { bodyEtag, noneMatch, notModified, notModifiedSince, quoteEtag } from "./etag.js";

export interface ConditionalOptions {
  /**
   * The resource's ETag, computed before the handler runs (a version column,
   * a max(updated_at)...): a match answers 304 without running the handler.
   * Without it, the ETag is a digest of the rendered body.
   */
  etag?: (request: Request) => Awaitable<string | null>;
  /** When the resource last changed, if known; checked when If-None-Match is absent. */
  lastModified?: (request: Request) => Awaitable<Date | null>;
}

function isFresh(request: Request, etag: string | null, lastModified: Date | null): boolean {
  const ifNoneMatch = request.header("if-none-match");
  if (ifNoneMatch !== null) return etag !== null && noneMatch(ifNoneMatch, etag);
  const ifModifiedSince = request.header("if-modified-since");
  return ifModifiedSince !== null && lastModified !== null && notModifiedSince(ifModifiedSince, lastModified);
}

/**
 * Conditional GET for one view method: ETag (and Last-Modified when known)
 * on 200 responses to GET/HEAD, and 304 Not Modified when the client's copy
 * is current. Other methods and statuses pass through untouched.
 */
export function conditionalResponse(
  view: APIView,
  request: Request,
  produce: () => Awaitable<HandlerResult>,
  options: ConditionalOptions = {},
): Awaitable<HandlerResult> {
  if (request.method !== "GET" && request.method !== "HEAD") return produce();
  if (options.etag || options.lastModified) return withValidators(view, request, produce, options);
  // Only the body's digest: the view's own rendering tags it (Response.etagFromBody), so the body
  // is rendered once and no second Fetch Response is made.
  const produced = produce();
  if (produced instanceof Promise) return produced.then((result) => tagBody(view, request, result));
  return tagBody(view, request, produced);
}

function tagBody(view: APIView, request: Request, result: HandlerResult): Awaitable<HandlerResult> {
  if (result instanceof Response) {
    result.etagFromBody = true;
    return result;
  }
  // A rendered Fetch Response (a cached page's replay): tagged from its bytes.
  return finish(view, request, result, {}, null);
}

/** Conditional GET with validators known before the handler runs (`options.etag`, `lastModified`). */
async function withValidators(
  view: APIView,
  request: Request,
  produce: () => Awaitable<HandlerResult>,
  options: ConditionalOptions,
): Promise<HandlerResult> {
  const known = options.etag ? await options.etag(request) : null;
  const etag = known === null ? null : quoteEtag(known);
  const lastModified = options.lastModified ? await options.lastModified(request) : null;
  const validators: HeaderRecord = {};
  if (etag !== null) validators.etag = etag;
  if (lastModified !== null) validators["last-modified"] = lastModified.toUTCString();
  // Known validators: answer before doing the work.
  if ((etag !== null || lastModified !== null) && isFresh(request, etag, lastModified))
    return notModified(validators);
  return finish(view, request, await produce(), validators, lastModified);
}

/** The rendered response with its validators (the body's digest unless known), or a 304. */
async function finish(
  view: APIView,
  request: Request,
  result: HandlerResult,
  validators: HeaderRecord,
  lastModified: Date | null,
): Promise<HandlerResult> {
  const rendered = await view.finalizeResponse(request, result);
  if (rendered.status !== 200) return rendered;
  const head = request.method === "HEAD";
  const body = head
    ? await headBody(request, result)
    : (renderedBodyOf(rendered) ?? new Uint8Array(await rendered.arrayBuffer()));
  // The rendered record when there is one (no Headers built); else a Headers copy (Set-Cookie kept).
  const record = renderedHeadersOf(rendered);
  if (record) {
    // Object.assign, not { ...a, ...b }: V8 (Node 20) copies that on a slow path (~0.7 µs).
    const headers: HeaderRecord = Object.assign({}, record, validators);
    headers.etag ??= bodyEtag(body);
    if (isFresh(request, headers.etag, lastModified)) return notModified(headers);
    return new globalThis.Response(head ? null : body, { status: rendered.status, headers });
  }
  const headers = new Headers(rendered.headers);
  for (const name in validators) headers.set(name, validators[name] as string);
  if (!headers.has("etag")) headers.set("ETag", bodyEtag(body));
  if (isFresh(request, headers.get("etag"), lastModified)) return notModified(headers);
  return new globalThis.Response(head ? null : body, { status: rendered.status, headers });
}

/** The body a GET would have had: HEAD's ETag must be GET's. */
async function headBody(request: Request, result: HandlerResult): Promise<Uint8Array> {
  if (!(result instanceof Response)) return new Uint8Array(await result.arrayBuffer());
  if (!request.accepted || result.data === undefined) return new Uint8Array();
  const out = await request.accepted.renderer.render(result.data, request.accepted.mediaType);
  return typeof out === "string" ? new TextEncoder().encode(out) : out;
}

/** `get = conditional({ lastModified: ... })(async function (this: V, request) { ... })`. */
export function conditional(options: ConditionalOptions = {}) {
  return <V extends APIView>(
    handler: (this: V, request: Request) => Awaitable<HandlerResult>,
  ): ((this: V, request: Request) => Awaitable<HandlerResult>) =>
    function (this: V, request: Request) {
      return conditionalResponse(this, request, () => handler.call(this, request), options);
    };
}

/** `conditionalActions(ProductViewSet, { retrieve: { lastModified } })`: conditional GET on ViewSet actions. */
export function conditionalActions(
  View: abstract new () => APIView,
  actions: Readonly<Record<string, ConditionalOptions>>,
): void {
  wrapActions(View, Object.keys(actions), (inner, name) => {
    const options = actions[name]!;
    return function (this: APIView, request: Request) {
      return conditionalResponse(this, request, () => inner.call(this, request), options);
    };
  });
}
