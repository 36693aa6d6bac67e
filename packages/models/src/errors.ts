// Django's model-layer exceptions. Each is a class so callers use instanceof.

export class ObjectDoesNotExist extends Error {
  override name = "ObjectDoesNotExist";
}

export class MultipleObjectsReturned extends Error {
  override name = "MultipleObjectsReturned";
}

export class FieldError extends Error {
  override name = "FieldError";
}

export class NotSupportedError extends Error {
  override name = "NotSupportedError";
}

export class ImproperlyConfigured extends Error {
  override name = "ImproperlyConfigured";
}

/**
 * Django's OperationalError: the database cannot be reached or gave no connection in time (server
 * down, connections refused or killed, the pool exhausted past its timeout). Not the client's fault
 * and not a bug: views answer it with a 503.
 */
export class OperationalError extends Error {
  override name = "OperationalError";
}

/** A database constraint was violated; `constraint` names it when the driver tells. */
export class IntegrityError extends Error {
  override name = "IntegrityError";
  readonly constraint: string | undefined;
  constructor(message: string, constraint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.constraint = constraint;
  }
}

/** Deleting would remove rows that a PROTECT foreign key points at. */
export class ProtectedError extends IntegrityError {
  override name = "ProtectedError";
  readonly protectedObjects: readonly unknown[];
  constructor(message: string, protectedObjects: readonly unknown[]) {
    super(message);
    this.protectedObjects = protectedObjects;
  }
}

/** Deleting would remove rows that a RESTRICT foreign key points at (and no cascade reaches them). */
export class RestrictedError extends IntegrityError {
  override name = "RestrictedError";
  readonly restrictedObjects: readonly unknown[];
  constructor(message: string, restrictedObjects: readonly unknown[]) {
    super(message);
    this.restrictedObjects = restrictedObjects;
  }
}

export const NON_FIELD_ERRORS = "__all__";

export interface ValidationMessage {
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

type ValidationInput = string | ValidationMessage | readonly (string | ValidationMessage)[];

function toMessages(input: ValidationInput): ValidationMessage[] {
  if (typeof input === "string") return [{ message: input }];
  if (Array.isArray(input)) return input.flatMap((m) => toMessages(m as ValidationInput));
  return [input as ValidationMessage];
}

/**
 * Django's ValidationError: either a list of messages (non-field) or a dict
 * field → messages. `messageDict` always maps fields (non-field errors under "__all__").
 */
export class ValidationError extends Error {
  override name = "ValidationError";
  readonly errorDict: Record<string, ValidationMessage[]> | undefined;
  readonly errorList: ValidationMessage[];
  readonly code: string | undefined;

  constructor(
    message: ValidationInput | Record<string, ValidationInput>,
    options?: { code?: string; params?: Record<string, unknown> },
  ) {
    let dict: Record<string, ValidationMessage[]> | undefined;
    let list: ValidationMessage[];
    if (typeof message === "object" && !Array.isArray(message) && !("message" in message)) {
      dict = {};
      for (const [k, v] of Object.entries(message as Record<string, ValidationInput>))
        dict[k] = toMessages(v);
      list = Object.values(dict).flat();
    } else {
      list = toMessages(message as ValidationInput).map((m) => ({
        ...m,
        code: m.code ?? options?.code,
        params: m.params ?? options?.params,
      }));
    }
    super(list.map((m) => m.message).join("; "));
    this.errorDict = dict;
    this.errorList = list;
    this.code = options?.code ?? list[0]?.code;
  }

  /** field → messages; non-field errors under "__all__". */
  get messageDict(): Record<string, string[]> {
    if (this.errorDict) {
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(this.errorDict)) out[k] = v.map((m) => m.message);
      return out;
    }
    return { [NON_FIELD_ERRORS]: this.messages };
  }

  get messages(): string[] {
    return this.errorList.map((m) => m.message);
  }
}
