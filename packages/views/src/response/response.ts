// DRF's Response: unrendered data plus status and headers. The view renders it
// with the negotiated renderer once the handler returns.
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string> | Headers;
  /** Overrides the renderer's media type. */
  contentType?: string;
}

/** Response headers as the view writes them out: lower-case names, one value each. */
export type HeaderRecord = Record<string, string>;

export class Response<T = unknown> {
  data: T;
  status: number;
  contentType: string | undefined;
  /** True when this response was produced by the exception handler. */
  exception = false;
  /**
   * Conditional GET on the rendered body (set by `conditional`/`conditionalActions`): when it
   * renders a 200, `finalizeResponse` adds a strong ETag of the body (unless the response has
   * one) and answers a matching If-None-Match with 304 Not Modified.
   */
  etagFromBody = false;
  // A Fetch Headers costs a validation per call: most responses never touch their headers,
  // so the init record is kept as given and a Headers is made only when someone asks.
  #init: Record<string, string> | Headers | undefined;
  #headers: Headers | undefined;

  constructor(data?: T, init: ResponseInit = {}) {
    this.data = data as T;
    this.status = init.status ?? 200;
    this.#init = init.headers;
    this.contentType = init.contentType;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      this.#headers = new Headers(this.#init);
      this.#init = undefined;
    }
    return this.#headers;
  }

  /**
   * @internal For the view's finalizeResponse.
   * The headers as a record with lower-case names, without building a Headers when none was;
   * null when they need a Headers (several Set-Cookie values).
   */
  static headerRecord(response: Response): HeaderRecord | null {
    const out: HeaderRecord = {};
    const materialised = response.#headers;
    if (materialised !== undefined) {
      if (materialised.has("set-cookie")) return null;
      for (const [name, value] of materialised) out[name] = value;
      return out;
    }
    const init = response.#init;
    if (init === undefined) return out;
    if (init instanceof Headers) {
      if (init.has("set-cookie")) return null;
      for (const [name, value] of init) out[name] = value;
      return out;
    }
    for (const name in init) {
      const value = init[name];
      if (value === undefined) continue;
      const lower = name.toLowerCase();
      if (lower === "set-cookie") return null;
      // Headers.set semantics: a later spelling of the same name replaces the earlier one.
      out[lower] = String(value);
    }
    return out;
  }

  /** Convenience for a response without a body (204, 304). */
  static empty(status = 204, headers?: Record<string, string>): Response<undefined> {
    return new Response(undefined, { status, ...(headers ? { headers } : {}) });
  }
}
