// DRF's Response: unrendered data plus status and headers. The view renders it
// with the negotiated renderer once the handler returns.
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string> | Headers;
  /** Overrides the renderer's media type. */
  contentType?: string;
}

export class Response<T = unknown> {
  data: T;
  status: number;
  readonly headers: Headers;
  contentType: string | undefined;
  /** True when this response was produced by the exception handler. */
  exception = false;

  constructor(data?: T, init: ResponseInit = {}) {
    this.data = data as T;
    this.status = init.status ?? 200;
    this.headers = new Headers(init.headers);
    this.contentType = init.contentType;
  }

  /** Convenience for a response without a body (204, 304). */
  static empty(status = 204, headers?: Record<string, string>): Response<undefined> {
    return new Response(undefined, { status, ...(headers ? { headers } : {}) });
  }
}
