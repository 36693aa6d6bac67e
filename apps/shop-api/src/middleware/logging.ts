// Structured JSON request logs and a request id on every response.
// Only method, path (without the query string, which may carry tokens), status,
// duration and request id are logged: never bodies, headers or credentials.
import type { Context, MiddlewareHandler, Next } from "hono";
import { defaultNodeHeaders, incomingHeader, nodeRequestId } from "./node.js";
import { requestIdFrom } from "./request-id.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  log(level: Exclude<LogLevel, "silent">, message: string, fields?: Record<string, unknown>): void;
  /** Whether `level` is written at all (lets callers skip building what would be dropped). */
  enabled?(level: Exclude<LogLevel, "silent">): boolean;
}

export function jsonLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const threshold = ORDER[level];
  return {
    enabled: (lvl) => ORDER[lvl] >= threshold,
    log(lvl, message, fields = {}) {
      if (ORDER[lvl] < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, message, ...fields })}\n`);
    },
  };
}

export function requestLogging(logger: Logger): MiddlewareHandler {
  // Decided once: with request logs off (LOG_LEVEL=warn), a request only gets its id.
  if (logger.enabled && !logger.enabled("info")) {
    // Not an async function: returning next()'s promise from one costs another promise and
    // three microtasks per request.
    return (c, next) => {
      const requestId = identify(c);
      if (requestId === ON_NODE) return next();
      return withRequestIdHeader(c, next, requestId);
    };
  }
  return async (c, next) => {
    const onFetch = identify(c);
    const requestId = c.get("requestId" as never) as string;
    const started = performance.now();
    try {
      await next();
    } finally {
      if (onFetch !== ON_NODE) c.res.headers.set("X-Request-Id", requestId);
      logger.log("info", "request", {
        request_id: requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
      });
    }
  };
}

const ON_NODE = Symbol("x-request-id on Node's head");

/**
 * Gives the request its id (`c.get("requestId")`): the one the service's own Node response gave
 * it (nodeResponseClass), else the client's plain one or a new UUID, then added to Node's head.
 * ON_NODE when the id is on its way out with Node's head; else the id, for the Fetch Response
 * (the in-process client).
 */
function identify(c: Context): string | typeof ON_NODE {
  const given = nodeRequestId(c);
  const requestId = given ?? requestIdFrom(incomingHeader(c, "x-request-id"));
  c.set("requestId" as never, requestId as never);
  // Onto Node's response head: the Fetch Response (and its Headers) stay untouched.
  if (given !== undefined || defaultNodeHeaders(c, [["x-request-id", requestId]])) return ON_NODE;
  return requestId;
}

/** Without a Node response (the in-process client): the id goes onto the Fetch Response. */
async function withRequestIdHeader(c: Context, next: Next, requestId: string): Promise<void> {
  try {
    await next();
  } finally {
    c.res.headers.set("X-Request-Id", requestId);
  }
}
