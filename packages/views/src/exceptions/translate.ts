// Errors raised below the view layer (@x/models, @x/serializers) that have a
// DRF answer; anything else is a bug and becomes a 500.
import {
  IntegrityError,
  ValidationError as ModelValidationError,
  NON_FIELD_ERRORS,
  ObjectDoesNotExist,
  OperationalError,
} from "@x/models";
import { ValidationError as SerializerValidationError } from "@x/serializers";
import { APIException, type ErrorDetail, NotFound, ValidationError } from "./api-exception.js";

/** The database cannot be reached or gave no connection in time: try again later. */
class ServiceUnavailable extends APIException {
  static override statusCode = 503;
  static override defaultDetail = "Service temporarily unavailable, try again later.";
  static override defaultCode = "service_unavailable";
}

/** Django's ValidationError message dict → DRF's 400 body (`__all__` → `non_field_errors`). */
function modelValidationDetail(error: ModelValidationError): ErrorDetail {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(error.messageDict)) {
    out[key === NON_FIELD_ERRORS ? "non_field_errors" : key] = messages;
  }
  return out;
}

/** The columns of a unique violation, from the driver's message (SQLite) or detail (PostgreSQL); null if not one. */
export function uniqueViolationColumns(error: IntegrityError): string[] | null {
  const cause = error.cause as { code?: string; detail?: string } | undefined;
  const sqlite = /UNIQUE constraint failed: (.+)$/.exec(error.message);
  if (sqlite?.[1]) return sqlite[1].split(",").map((c) => c.trim().split(".").pop() ?? c.trim());
  if (cause?.code === "23505" || /duplicate key value violates unique constraint/.test(error.message)) {
    const key = /Key \(([^)]+)\)=/.exec(cause?.detail ?? error.message);
    return key?.[1] ? key[1].split(",").map((c) => c.trim().replace(/^"|"$/g, "")) : [];
  }
  return null;
}

/** Returns the APIException a lower-layer error stands for, or null when it is a bug (→ 500). */
export function toAPIException(error: unknown): APIException | null {
  if (error instanceof APIException) return error;
  if (error instanceof SerializerValidationError) return new ValidationError(error.detail as ErrorDetail);
  if (error instanceof ModelValidationError) return new ValidationError(modelValidationDetail(error));
  if (error instanceof ObjectDoesNotExist) return new NotFound();
  if (error instanceof OperationalError) return new ServiceUnavailable();
  if (error instanceof IntegrityError) {
    // Only unique violations are the client's fault; other integrity errors (FK, NOT NULL, CHECK) are bugs.
    const columns = uniqueViolationColumns(error);
    if (columns === null) return null;
    if (columns.length === 1)
      return new ValidationError({ [columns[0] as string]: ["This field must be unique."] });
    if (columns.length > 1) {
      return new ValidationError({
        non_field_errors: [`The fields ${columns.join(", ")} must make a unique set.`],
      });
    }
    return new ValidationError({ non_field_errors: ["A record with these values already exists."] });
  }
  return null;
}
