import { ValidationError as ModelValidationError } from "@x/models";

// DRF's ValidationError: `detail` is the JSON the client sees (strings), `codes` the
// same shape with each message's code (DRF keeps them together as ErrorDetail).

/** The JSON shape of a validation error: a list of messages, a dict, or a list of dicts. */
export type ErrorDetail = string[] | { [key: string]: ErrorDetail } | ErrorDetail[];

/** What `new ValidationError(...)` accepts: a message, a list or a dict of them. */
export type ErrorInput =
  | string
  | readonly ErrorInput[]
  | { readonly [key: string]: ErrorInput }
  | ValidationError;

export class ValidationError extends Error {
  readonly detail: ErrorDetail;
  readonly codes: ErrorDetail;
  readonly statusCode = 400;

  constructor(detail: ErrorInput = "Invalid input.", code = "invalid") {
    const [d, c] = normalize(detail, code);
    super(typeof detail === "string" ? detail : JSON.stringify(d));
    this.name = "ValidationError";
    this.detail = d;
    this.codes = c;
  }

  /** The same shape as `detail`, with codes instead of messages. */
  getCodes(): ErrorDetail {
    return this.codes;
  }

  /** Build from an already-normalised pair (internal: the serializer's collected errors). */
  static fromTree(detail: ErrorDetail, codes: ErrorDetail): ValidationError {
    const e = new ValidationError([]);
    (e as { detail: ErrorDetail }).detail = detail;
    (e as { codes: ErrorDetail }).codes = codes;
    e.message = JSON.stringify(detail);
    return e;
  }
}

// A top-level string becomes ["msg"]; dict values that are strings become ["msg"] (DRF's
// _get_error_details + as_serializer_error).
function normalize(input: ErrorInput, code: string): [ErrorDetail, ErrorDetail] {
  if (input instanceof ValidationError) return [input.detail, input.codes];
  if (typeof input === "string") return [[input], [code]];
  if (Array.isArray(input)) {
    const list = input as readonly ErrorInput[];
    if (list.every((x) => typeof x === "string")) return [[...(list as string[])], list.map(() => code)];
    const d: ErrorDetail[] = [];
    const c: ErrorDetail[] = [];
    for (const item of list) {
      if (typeof item === "string") {
        // mixed list: strings stay strings inside the list of lists
        d.push([item]);
        c.push([code]);
      } else {
        const [di, ci] = normalize(item, code);
        d.push(di);
        c.push(ci);
      }
    }
    return [d, c];
  }
  const d: Record<string, ErrorDetail> = {};
  const c: Record<string, ErrorDetail> = {};
  for (const [k, v] of Object.entries(input as Record<string, ErrorInput>)) {
    const [dv, cv] = normalize(v, code);
    d[k] = dv;
    c[k] = cv;
  }
  return [d, c];
}

/** Fill `{name}` placeholders of a DRF message template. */
export function formatMessage(template: string, params?: Record<string, unknown>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in params ? String(params[key]) : m));
}

/** `{"field": [...]}` / `non_field_errors` collection used while validating an object. */
export class ErrorCollector {
  detail: Record<string, ErrorDetail> = {};
  codes: Record<string, ErrorDetail> = {};
  any = false;

  add(key: string, err: ValidationError): void {
    this.any = true;
    const prev = this.detail[key];
    if (
      Array.isArray(prev) &&
      Array.isArray(err.detail) &&
      isMessageList(prev) &&
      isMessageList(err.detail)
    ) {
      prev.push(...err.detail);
      (this.codes[key] as string[]).push(...(err.codes as string[]));
      return;
    }
    this.detail[key] = err.detail;
    this.codes[key] = err.codes;
  }

  /** Merge a dict-shaped error raised by validate() (`{price: [...]}`) or a list (non_field_errors). */
  addRaised(err: ValidationError, nonFieldKey: string): void {
    if (!Array.isArray(err.detail)) {
      const codes = err.codes as Record<string, ErrorDetail>;
      for (const [k, v] of Object.entries(err.detail)) this.add(k, ValidationError.fromTree(v, codes[k]!));
    } else this.add(nonFieldKey, err);
  }

  toError(): ValidationError {
    return ValidationError.fromTree(this.detail, this.codes);
  }
}

function isMessageList(x: ErrorDetail): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === "string");
}

interface DjangoMessage {
  message: string;
  code?: string | undefined;
}

/**
 * DRF's ValidationError for what a validator or hook threw: DRF's own as is, @x/models' (Django's)
 * converted (DRF does the same with DjangoValidationError); anything else is not a validation error.
 */
export function asValidationError(e: unknown): ValidationError | null {
  if (e instanceof ValidationError) return e;
  // Django's validators and clean() (from @x/models) raise the model layer's ValidationError
  if (!(e instanceof ModelValidationError)) return null;
  const list = (ms: DjangoMessage[]): [string[], string[]] => [
    ms.map((m) => m.message),
    ms.map((m) => m.code ?? "invalid"),
  ];
  if (e.errorDict) {
    const detail: Record<string, ErrorDetail> = {};
    const codes: Record<string, ErrorDetail> = {};
    for (const [k, ms] of Object.entries(e.errorDict)) {
      const key = k === "__all__" ? "non_field_errors" : k;
      [detail[key], codes[key]] = list(ms);
    }
    return ValidationError.fromTree(detail, codes);
  }
  const [d, c] = list(e.errorList);
  return ValidationError.fromTree(d, c);
}
