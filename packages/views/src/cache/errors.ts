/** A cache backend could not be reached and the cache is configured to fail closed (503). */
export class CacheUnavailableError extends Error {
  readonly statusCode = 503;
  readonly detail = "Service temporarily unavailable, try again later.";
  readonly code = "service_unavailable";

  constructor(cause?: unknown) {
    super("Cache backend unavailable", { cause });
    this.name = "CacheUnavailableError";
  }
}
