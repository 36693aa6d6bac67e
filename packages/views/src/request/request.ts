// DRF's Request: wraps Hono's Context. The body is parsed lazily (and once), so
// endpoints that never read `data` ignore a bad body, as DRF does.
import type { Context } from "hono";
import { FORCE_AUTH, type ForcedAuth, getApiContext } from "../api-context.js";
import { PayloadTooLarge, UnsupportedMediaType } from "../exceptions/api-exception.js";
import { AnonymousUser, type RegisteredUser, type Versioning } from "../interfaces.js";
import type { Renderer } from "../response/renderers.js";
import type { ApiSettings } from "../settings/settings.js";
import { DEFAULTS } from "../settings/settings.js";
import { upperMethod } from "../views/http-methods.js";
import type { ParsedBody, Parser } from "./parsers.js";
import { QueryDict } from "./query-dict.js";
import type { UploadedFile } from "./uploaded-file.js";

// biome-ignore lint/suspicious/noExplicitAny: a view runs under any Hono app's env
export type AnyContext = Context<any, any, any>;

export interface RequestOptions {
  /**
   * The parsers for the body, or a function making them: called once, when the body is
   * first read or `parsers` first asked for (a GET without a body never makes them).
   */
  parsers?: Parser[] | (() => Parser[]);
  kwargs?: Record<string, string>;
  settings?: ApiSettings;
  /** Overrides `settings.maxBodySize` for this request (a view's `maxBodySize`). */
  maxBodySize?: number | undefined;
}

async function readBody(raw: globalThis.Request, limit: number): Promise<Uint8Array> {
  const declared = raw.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new PayloadTooLarge();
  if (!raw.body) return new Uint8Array();
  const reader = raw.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Content-Length may be absent or lie (chunked uploads): count what arrives.
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

// Paths the URL parser leaves unchanged after an origin: one leading slash, only characters it
// never escapes in a path, and no dot segment (plain or percent-encoded) it would resolve.
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@%/]*$/;
const DOT_SEGMENT = /(^|\/)(\.|%2e)(\.|%2e)?(\/|$)/i;

/**
 * The query of a request URL, without its `?` (URL's `search`, not parsed again): the URL is
 * already serialised (@hono/node-server and the Fetch Request parse it), so the first `#` starts
 * the fragment and the first `?` before it the query (a fragment may hold a `?` of its own).
 */
function searchOf(url: string): string {
  const hash = url.indexOf("#");
  const end = hash < 0 ? url.length : hash;
  const start = url.indexOf("?");
  return start < 0 || start > end ? "" : url.slice(start + 1, end);
}

/**
 * The origin of a serialised http(s) URL (a Fetch Request's `url`) without parsing it: what comes
 * before its path. Null for anything else (another scheme, credentials in the authority).
 */
function originOf(url: string): string | null {
  const start = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
  if (start < 0) return null;
  const end = url.indexOf("/", start);
  if (end < 0) return null;
  const origin = url.slice(0, end);
  return origin.includes("@", start) ? null : origin;
}

// PLAIN_PATH's characters but "." and "%" (which may start a dot segment), by char code.
const SIMPLE = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~!$&()*+,;=:@/")
  SIMPLE[c.charCodeAt(0)] = 1;

/**
 * Whether the URL parser leaves `path` unchanged after an origin (PLAIN_PATH and no DOT_SEGMENT).
 * Reversed routes (every link of a page) are scanned by char code; a path with "." or "%" takes
 * the regular expressions.
 */
function isPlainPath(path: string): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== 47 || (n > 1 && path.charCodeAt(1) === 47)) return false;
  for (let i = 1; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c < 128 && SIMPLE[c] === 1) continue;
    if (c === 46 || c === 37) return PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path);
    return false;
  }
  return true;
}

export class Request {
  readonly context: AnyContext;
  readonly method: string;
  readonly settings: ApiSettings;
  private parserList: Parser[] | null;
  private makeParsers: (() => Parser[]) | null;
  kwargs: Record<string, string>;
  /** The authenticated user (the registered user type), or an AnonymousUser. */
  user: RegisteredUser | AnonymousUser = new AnonymousUser();
  auth: unknown = null;
  version: string | null = null;
  versioningScheme: Versioning | null = null;
  accepted: { renderer: Renderer; mediaType: string } | null = null;
  /** The authenticator that accepted the request (DRF's `successful_authenticator`). */
  successfulAuthenticator: unknown = null;
  private readonly maxBodySize: number;
  private parsed: Promise<ParsedBody> | null = null;
  private query: QueryDict | null = null;
  // The request URL parsed once (links, the query string, the origin all read it); never handed out.
  private parsedUrl: URL | null = null;
  private originCache: string | null = null;
  private clientIpCache: string | null | undefined = undefined;

  constructor(context: AnyContext, options: RequestOptions = {}) {
    this.context = context;
    this.method = upperMethod(context.req.method);
    const parsers = options.parsers ?? [];
    this.parserList = typeof parsers === "function" ? null : parsers;
    this.makeParsers = typeof parsers === "function" ? parsers : null;
    const ctx =
      options.kwargs === undefined || options.settings === undefined ? getApiContext(context) : null;
    this.kwargs = options.kwargs ?? { ...(ctx?.kwargs ?? context.req.param()) };
    this.settings = options.settings ?? ctx?.settings ?? DEFAULTS;
    this.maxBodySize = options.maxBodySize ?? this.settings.maxBodySize;
  }

  /** The raw Fetch Request. */
  get raw(): globalThis.Request {
    return this.context.req.raw;
  }

  get headers(): Headers {
    return this.context.req.raw.headers;
  }

  /** The parsers the body is read with (DRF's `request.parsers`). */
  get parsers(): Parser[] {
    if (this.parserList === null) {
      this.parserList = this.makeParsers?.() ?? [];
      this.makeParsers = null;
    }
    return this.parserList;
  }

  set parsers(parsers: Parser[]) {
    this.parserList = parsers;
    this.makeParsers = null;
  }

  /**
   * One request header by its lower-case name, or null. Served by @hono/node-server, it is read
   * from Node's parsed headers: `headers` would build a Fetch Headers of all of them first.
   * (Node's rules for a repeated header apply there: the first Authorization, Content-Type or
   * Host is kept, repeated Cookie headers are joined with "; ", others with ", ".)
   */
  header(name: string): string | null {
    const incoming = (this.context.env as NodeBindings | undefined)?.incoming;
    if (incoming?.headers) {
      const value = incoming.headers[name];
      if (value === undefined) return null;
      return typeof value === "string" ? value : value.join(", ");
    }
    return this.context.req.raw.headers.get(name);
  }

  get path(): string {
    return this.context.req.path;
  }

  /** The request URL, a fresh copy the caller may change. */
  get url(): URL {
    return new URL(this.context.req.url);
  }

  private get sharedUrl(): URL {
    this.parsedUrl ??= new URL(this.context.req.url);
    return this.parsedUrl;
  }

  /** `scheme://host[:port]` of this request (what absolute links start with). */
  get origin(): string {
    if (this.originCache === null) {
      this.originCache = originOf(this.context.req.url);
      if (this.originCache === null) {
        const url = this.sharedUrl;
        this.originCache = `${url.protocol}//${url.host}`;
      }
    }
    return this.originCache;
  }

  get contentType(): string {
    return this.header("content-type") ?? "";
  }

  /** Whether the URL has a query string at all (lets hot paths skip building `queryParams`). */
  get hasQuery(): boolean {
    return this.context.req.url.includes("?");
  }

  /** Django's QueryDict: `get` gives the last value of a repeated key, `getAll` every value. */
  get queryParams(): QueryDict {
    this.query ??= new QueryDict(searchOf(this.context.req.url));
    return this.query;
  }

  /** The parsed body: JSON value, or a field→value(s) record for forms and multipart (files included). */
  get data(): Promise<unknown> {
    return this.body().then((b) => b.data);
  }

  /** Uploaded files by field name (multipart). */
  get files(): Promise<Record<string, UploadedFile | UploadedFile[]>> {
    return this.body().then((b) => b.files);
  }

  private body(): Promise<ParsedBody> {
    this.parsed ??= this.parse();
    return this.parsed;
  }

  private async parse(): Promise<ParsedBody> {
    const empty: ParsedBody = { data: {}, files: {} };
    if (this.method === "GET" || this.method === "HEAD" || this.method === "OPTIONS") return empty;
    const incoming = this.untouchedIncoming();
    const bytes = incoming
      ? await readIncoming(incoming, this.maxBodySize)
      : this.raw.bodyUsed
        ? await this.cachedBody() // a Hono middleware read it already: Hono keeps a copy
        : await readBody(this.raw, this.maxBodySize);
    if (bytes.byteLength === 0) return empty;
    const contentType = this.contentType;
    const mediaType = (contentType.split(";")[0] ?? "").trim().toLowerCase();
    const parser = this.parsers.find((p) => p.mediaType === mediaType);
    if (!parser) throw new UnsupportedMediaType(mediaType);
    return parser.parse(bytes, contentType);
  }

  /**
   * Node's request stream when nothing has read the body yet (served by @hono/node-server):
   * read straight from it, the Fetch Request (its AbortController, ReadableStream and
   * Headers) is never built. Else undefined, and the Fetch Request is read as before.
   */
  private untouchedIncoming(): NodeIncoming | undefined {
    const incoming = (this.context.env as NodeBindings | undefined)?.incoming;
    if (!incoming || typeof incoming.on !== "function" || incoming.readableDidRead) return undefined;
    // Hono's own body readers (c.req.json() in a middleware) keep what they read here.
    for (const _ in this.context.req.bodyCache) return undefined;
    return incoming as NodeIncoming;
  }

  private async cachedBody(): Promise<Uint8Array> {
    const bytes = new Uint8Array(await this.context.req.arrayBuffer());
    if (bytes.byteLength > this.maxBodySize) throw new PayloadTooLarge();
    return bytes;
  }

  get cookies(): Record<string, string> {
    const header = this.header("cookie") ?? "";
    const out: Record<string, string> = {};
    for (const part of header.split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    }
    return out;
  }

  /** Absolute URL of `path` (default: this request's path and query) on this request's scheme and host. */
  buildAbsoluteUri(path?: string): string {
    if (path === undefined) {
      // A Fetch Request's url is already a serialised URL: parsing it again gives it back.
      const url = this.context.req.url;
      return url.startsWith("https://") || url.startsWith("http://") ? url : this.sharedUrl.href;
    }
    // A reversed route is already a normalised absolute path: concatenation gives what the URL parser would.
    if (isPlainPath(path)) return this.origin + path;
    return new URL(path, this.origin).toString();
  }

  /** Client address: the socket's, or X-Forwarded-For's entry `numProxies` hops back when proxies are trusted. */
  get clientIp(): string | null {
    // Several throttles ask per request.
    if (this.clientIpCache === undefined) this.clientIpCache = this.readClientIp();
    return this.clientIpCache;
  }

  private readClientIp(): string | null {
    const env = this.context.env as NodeBindings | undefined;
    const socket = env?.incoming?.socket?.remoteAddress ?? null;
    const hops = this.settings.numProxies;
    if (hops > 0) {
      const forwarded = this.header("x-forwarded-for");
      if (forwarded) {
        const addrs = forwarded.split(",").map((s) => s.trim());
        const picked = addrs[Math.max(0, addrs.length - hops)];
        if (picked) return picked;
      }
    }
    return socket;
  }

  /** Authentication forced by the test client, if any. */
  get forcedAuth(): ForcedAuth | null {
    const env = this.context.env as Record<symbol, ForcedAuth | undefined> | undefined;
    return env?.[FORCE_AUTH] ?? null;
  }
}
/** What @hono/node-server hands a request as its env. */
interface NodeBindings {
  incoming?: {
    headers?: Record<string, string | string[] | undefined>;
    socket?: { remoteAddress?: string };
    readableDidRead?: boolean;
    on?: unknown;
  };
}

/** The parts of Node's IncomingMessage the body reader uses. */
interface NodeIncoming {
  headers: Record<string, string | string[] | undefined>;
  readableEnded: boolean;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
}

/** The whole body from Node's request stream, at most `limit` bytes (counted as they arrive). */
function readIncoming(incoming: NodeIncoming, limit: number): Promise<Uint8Array> {
  const declared = incoming.headers["content-length"];
  if (typeof declared === "string" && Number(declared) > limit) return Promise.reject(new PayloadTooLarge());
  if (incoming.readableEnded) return Promise.resolve(new Uint8Array());
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      // Content-Length may be absent or lie (chunked uploads): count what arrives.
      if (size > limit) {
        done();
        incoming.pause(); // the server drains (or drops) the rest after the response
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      // Copied into one array of its own: Node's chunks are views into shared buffers.
      const out = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(out);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error("The client closed the connection before the request body arrived."));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}
