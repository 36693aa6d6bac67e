// DRF's APIClient: calls a Hono app in-process (no socket), JSON by default,
// with forced authentication, default credentials and a cookie jar.
import { FORCE_AUTH, type ForcedAuth } from "../api-context.js";
import type { User } from "../interfaces.js";

interface FetchApp {
  request(input: string, init?: RequestInit, env?: unknown): Response | Promise<Response>;
}

export type RequestFormat = "json" | "multipart" | "form";

export interface ClientRequestOptions {
  /** Query parameters appended to the path. */
  query?: Record<string, string | number | boolean | readonly (string | number)[]>;
  headers?: Record<string, string>;
  /** Body encoding for `data` (default: the client's, "json"). */
  format?: RequestFormat;
  /** Send `data` as is with this Content-Type (a raw body). */
  contentType?: string;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when empty or not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response JSON, as DRF's response.data
  data: any;
  text: string;
  raw: Response;
}

export interface APIClientOptions {
  /** Scheme and host of the in-process requests (Django's `testserver`). */
  baseUrl?: string;
  /** Socket address the view sees as `request.clientIp`. */
  remoteAddr?: string;
  defaultFormat?: RequestFormat;
}

function encodeForm(
  data: Record<string, unknown>,
  form: { append(k: string, v: string | Blob): void },
): void {
  for (const [key, value] of Object.entries(data)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined) continue;
      if (item instanceof Blob) form.append(key, item);
      else if (item !== null && typeof item === "object") form.append(key, JSON.stringify(item));
      else form.append(key, item === null ? "" : String(item));
    }
  }
}

export class APIClient {
  private readonly app: FetchApp;
  private readonly baseUrl: string;
  private readonly remoteAddr: string;
  private readonly defaultFormat: RequestFormat;
  private forced: ForcedAuth | null = null;
  private defaultHeaders: Record<string, string> = {};
  readonly cookies = new Map<string, string>();

  constructor(app: FetchApp, options: APIClientOptions = {}) {
    this.app = app;
    this.baseUrl = (options.baseUrl ?? "http://testserver").replace(/\/$/, "");
    this.remoteAddr = options.remoteAddr ?? "127.0.0.1";
    this.defaultFormat = options.defaultFormat ?? "json";
  }

  /** Every following request is authenticated as `user` (null: stop forcing). */
  forceAuthenticate(user: User | null, token: unknown = null): this {
    this.forced = user ? { user, token } : null;
    return this;
  }

  /** Headers sent with every following request (`{ Authorization: "Token abc" }`); no argument clears them. */
  credentials(headers: Record<string, string> = {}): this {
    this.defaultHeaders = { ...headers };
    return this;
  }

  /** Forget credentials, forced authentication and cookies. */
  logout(): this {
    this.forced = null;
    this.defaultHeaders = {};
    this.cookies.clear();
    return this;
  }

  get(path: string, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("GET", path, undefined, options);
  }
  head(path: string, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("HEAD", path, undefined, options);
  }
  options(path: string, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("OPTIONS", path, undefined, options);
  }
  post(path: string, data?: unknown, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("POST", path, data, options);
  }
  put(path: string, data?: unknown, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("PUT", path, data, options);
  }
  patch(path: string, data?: unknown, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("PATCH", path, data, options);
  }
  delete(path: string, data?: unknown, options: ClientRequestOptions = {}): Promise<TestResponse> {
    return this.request("DELETE", path, data, options);
  }

  async request(
    method: string,
    path: string,
    data: unknown,
    options: ClientRequestOptions = {},
  ): Promise<TestResponse> {
    const url = new URL(path, `${this.baseUrl}/`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const headers = new Headers({ ...this.defaultHeaders, ...options.headers });
    if (this.cookies.size > 0 && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; "));
    }
    let body: string | Uint8Array | FormData | undefined;
    if (data !== undefined) {
      if (options.contentType !== undefined) {
        headers.set("content-type", options.contentType);
        body =
          typeof data === "string" || data instanceof Uint8Array
            ? (data as string | Uint8Array)
            : JSON.stringify(data);
      } else {
        const format = options.format ?? this.defaultFormat;
        if (format === "json") {
          headers.set("content-type", "application/json");
          body = JSON.stringify(data);
        } else if (format === "form") {
          const params = new URLSearchParams();
          encodeForm(data as Record<string, unknown>, params);
          headers.set("content-type", "application/x-www-form-urlencoded");
          body = params.toString();
        } else {
          const form = new FormData();
          encodeForm(data as Record<string, unknown>, form);
          body = form;
        }
      }
    }
    const env: Record<string | symbol, unknown> = {
      incoming: { socket: { remoteAddress: this.remoteAddr } },
    };
    if (this.forced) env[FORCE_AUTH] = this.forced;
    const raw = await this.app.request(
      url.toString(),
      { method, headers, ...(body !== undefined ? { body } : {}) },
      env,
    );
    this.storeCookies(raw.headers);
    const text = await raw.clone().text();
    let parsed: unknown;
    if (text && (raw.headers.get("content-type") ?? "").includes("json")) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: raw.status, headers: raw.headers, data: parsed, text, raw };
  }

  private storeCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      const expired = attrs.some((a) => {
        const [k = "", v = ""] = a.trim().split("=");
        if (k.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
