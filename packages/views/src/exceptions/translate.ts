// Errors raised below the view layer (the model and serializer packages) that
// have a DRF answer. Matched by name and shape so this layer needs no runtime
// knowledge of their classes.
import {
  APIException,
  type ErrorDetail,
  NotFound,
  PermissionDenied,
  ValidationError,
} from "./api-exception.js";

interface NamedError {
  name?: unknown;
  detail?: unknown;
  messageDict?: unknown;
  messages?: unknown;
  message?: unknown;
  field?: unknown;
  fields?: unknown;
  constraint?: unknown;
}

function isNamed(error: unknown): error is NamedError & Error {
  return typeof error === "object" && error !== null;
}

function chainNames(error: object): string[] {
  const names: string[] = [];
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto && proto !== Object.prototype) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name) names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/** Django's ValidationError message dict → DRF's 400 body (`__all__` → `non_field_errors`). */
function modelValidationDetail(error: NamedError): ErrorDetail {
  if (error.messageDict && typeof error.messageDict === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(error.messageDict as Record<string, unknown>)) {
      out[key === "__all__" ? "non_field_errors" : key] = value;
    }
    return out;
  }
  if (Array.isArray(error.messages)) return { non_field_errors: error.messages as string[] };
  return { non_field_errors: [String(error.message ?? "Invalid input.")] };
}

/** Returns the APIException a lower-layer error stands for, or null when it is a bug (→ 500). */
export function toAPIException(error: unknown): APIException | null {
  if (error instanceof APIException) return error;
  if (!isNamed(error)) return null;
  const names = chainNames(error);
  const has = (n: string) => names.includes(n) || error.name === n;
  // @x/serializers' ValidationError carries DRF's detail already.
  if (has("ValidationError") && error.detail !== undefined)
    return new ValidationError(error.detail as ErrorDetail);
  if (has("ValidationError")) return new ValidationError(modelValidationDetail(error));
  if (has("ObjectDoesNotExist") || has("DoesNotExist") || has("Http404")) return new NotFound();
  if (has("PermissionDenied")) return new PermissionDenied();
  if (has("IntegrityError")) {
    const fields = Array.isArray(error.fields)
      ? (error.fields as string[])
      : typeof error.field === "string"
        ? [error.field]
        : [];
    const msg = String(error.message ?? "");
    // Only unique violations are the client's fault; other integrity errors (FK, NOT NULL) are bugs.
    if (!/unique/i.test(msg) && !/duplicate key/i.test(msg) && !has("UniqueViolation")) return null;
    if (fields.length === 1)
      return new ValidationError({ [fields[0] as string]: ["This value already exists."] });
    return new ValidationError({ non_field_errors: ["A record with these values already exists."] });
  }
  return null;
}
