import { APIException } from "../exceptions/api-exception.js";

/** A cache backend could not be reached and the cache is configured to fail closed: a 503. */
export class CacheUnavailableError extends APIException {
  static override statusCode = 503;
  static override defaultDetail = "Service temporarily unavailable, try again later.";
  static override defaultCode = "service_unavailable";

  constructor(cause?: unknown) {
    super();
    this.cause = cause;
  }
}
