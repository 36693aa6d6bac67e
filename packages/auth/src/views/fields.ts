import { ValidationError } from "@x/views";

function pythonTypeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface CharFieldSpec {
  /** DRF's CharField trim_whitespace (default true). */
  trim?: boolean;
  /** Not required (a cookie may stand in for it). */
  optional?: boolean;
}

/**
 * Validates a request body holding DRF CharFields (the simplejwt and authtoken
 * serializers' fields): DRF's messages, every field error reported together.
 */
export function readCharFields<K extends string>(
  data: unknown,
  spec: Record<K, CharFieldSpec>,
): Record<K, string | undefined> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ValidationError({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(data)}.`],
    });
  }
  const body = data as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const out = {} as Record<K, string | undefined>;
  for (const [name, options] of Object.entries(spec) as [K, CharFieldSpec][]) {
    const raw = body[name];
    if (raw === undefined) {
      if (!options.optional) errors[name] = ["This field is required."];
      out[name] = undefined;
      continue;
    }
    if (raw === null) {
      errors[name] = ["This field may not be null."];
      continue;
    }
    if (typeof raw !== "string" && typeof raw !== "number") {
      errors[name] = ["Not a valid string."];
      continue;
    }
    let value = String(raw);
    if (options.trim !== false) value = value.trim();
    if (value === "") {
      errors[name] = ["This field may not be blank."];
      continue;
    }
    // DRF's CharField validators: neither can reach PostgreSQL, which refuses both in text.
    if (value.includes("\u0000")) {
      errors[name] = ["Null characters are not allowed."];
      continue;
    }
    const surrogate = value.match(LONE_SURROGATE)?.[0];
    if (surrogate) {
      errors[name] = [
        `Surrogate characters are not allowed: U+${surrogate.charCodeAt(0).toString(16).toUpperCase()}.`,
      ];
      continue;
    }
    out[name] = value;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return out;
}
