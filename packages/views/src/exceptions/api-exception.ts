// DRF's exception family. `detail` is the JSON the client sees: a string, or a
// list/dict of them (ValidationError, user-defined exceptions with a dict detail).
export type ErrorDetail = string | ErrorDetail[] | { [key: string]: ErrorDetail | unknown };

export class APIException extends Error {
  static statusCode = 500;
  static defaultDetail: ErrorDetail = "A server error occurred.";
  static defaultCode = "error";

  readonly statusCode: number;
  readonly detail: ErrorDetail;
  readonly code: string;
  /** Extra response headers (WWW-Authenticate, Retry-After). */
  readonly headers: Record<string, string> = {};

  constructor(detail?: ErrorDetail | null, code?: string | null) {
    const ctor = new.target as typeof APIException;
    const resolved = detail ?? ctor.defaultDetail;
    super(typeof resolved === "string" ? resolved : JSON.stringify(resolved));
    this.name = ctor.name;
    this.statusCode = ctor.statusCode;
    this.detail = resolved;
    this.code = code ?? ctor.defaultCode;
  }

  /** The response body: `{"detail": ...}` for a string detail, the detail itself for a list or dict. */
  toBody(): unknown {
    return typeof this.detail === "string" ? { detail: this.detail } : this.detail;
  }
}

export class ValidationError extends APIException {
  static override statusCode = 400;
  static override defaultDetail = "Invalid input.";
  static override defaultCode = "invalid";

  constructor(detail?: ErrorDetail | null, code?: string | null) {
    // DRF wraps a bare message in a list: raise ValidationError("x") → ["x"].
    super(typeof detail === "string" ? [detail] : (detail ?? ["Invalid input."]), code);
  }
}

export class ParseError extends APIException {
  static override statusCode = 400;
  static override defaultDetail = "Malformed request.";
  static override defaultCode = "parse_error";
}

export class AuthenticationFailed extends APIException {
  static override statusCode = 401;
  static override defaultDetail = "Incorrect authentication credentials.";
  static override defaultCode = "authentication_failed";
}

export class NotAuthenticated extends APIException {
  static override statusCode = 401;
  static override defaultDetail = "Authentication credentials were not provided.";
  static override defaultCode = "not_authenticated";
}

export class PermissionDenied extends APIException {
  static override statusCode = 403;
  static override defaultDetail = "You do not have permission to perform this action.";
  static override defaultCode = "permission_denied";
}

export class NotFound extends APIException {
  static override statusCode = 404;
  static override defaultDetail = "Not found.";
  static override defaultCode = "not_found";
}

export class MethodNotAllowed extends APIException {
  static override statusCode = 405;
  static override defaultCode = "method_not_allowed";

  constructor(method: string, detail?: ErrorDetail | null, code?: string | null) {
    super(detail ?? `Method "${method}" not allowed.`, code);
  }
}

export class NotAcceptable extends APIException {
  static override statusCode = 406;
  static override defaultDetail = "Could not satisfy the request Accept header.";
  static override defaultCode = "not_acceptable";
}

export class UnsupportedMediaType extends APIException {
  static override statusCode = 415;
  static override defaultCode = "unsupported_media_type";

  constructor(mediaType: string, detail?: ErrorDetail | null, code?: string | null) {
    super(detail ?? `Unsupported media type "${mediaType}" in request.`, code);
  }
}

export class PayloadTooLarge extends APIException {
  static override statusCode = 413;
  static override defaultDetail = "Request body is too large.";
  static override defaultCode = "payload_too_large";
}

export class Throttled extends APIException {
  static override statusCode = 429;
  static override defaultDetail = "Request was throttled.";
  static override defaultCode = "throttled";
  readonly wait: number | null;

  constructor(wait?: number | null, detail?: string | null, code?: string | null) {
    const base = detail ?? "Request was throttled.";
    const seconds = wait == null ? null : Math.ceil(wait);
    super(
      seconds == null ? base : `${base} Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
      code,
    );
    this.wait = seconds;
    if (seconds != null) this.headers["Retry-After"] = String(seconds);
  }
}

/** A setting or view configuration that cannot work; raised at startup, never answered to a client. */
export class ImproperlyConfigured extends Error {
  override name = "ImproperlyConfigured";
}
