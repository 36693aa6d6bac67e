// Field-level validation for full_clean(), with Django's messages and codes.
import { ValidationError, type ValidationMessage } from "../errors.js";
import { digitCounts, quantize } from "../fields/decimal-codec.js";
import type { FieldMeta } from "../fields/types.js";
import { validate_email } from "../validators/email-validator.js";
import { validate_slug } from "../validators/regex-validator.js";
import { validate_url } from "../validators/url-validator.js";

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" &&
      v !== null &&
      !(v instanceof Date) &&
      !Array.isArray(v) &&
      Object.keys(v).length === 0)
  );
}

function collect(errors: ValidationMessage[], fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) errors.push(...err.errorList);
    else throw err;
  }
}

/** The errors Django's Field.clean() would raise for `value` (empty when valid). */
export function fieldCleanErrors(f: FieldMeta, value: unknown): ValidationMessage[] {
  const errors: ValidationMessage[] = [];
  if (f.storage === "auto" || f.manyToMany) return errors;
  if (f.blank && isEmpty(value)) return errors;
  if (value === null || value === undefined) {
    if (!f.null) errors.push({ message: "This field cannot be null.", code: "null" });
    return errors;
  }
  if (!f.blank && isEmpty(value) && f.storage !== "integer" && f.storage !== "boolean") {
    errors.push({ message: "This field cannot be blank.", code: "blank" });
    return errors;
  }
  if (f.choices && !Array.isArray(value) && !f.choices.some(([c]) => c === value)) {
    errors.push({
      message: `Value ${JSON.stringify(value)} is not a valid choice.`,
      code: "invalid_choice",
      params: { value },
    });
  }
  if (
    f.storage === "string" &&
    typeof value === "string" &&
    f.maxLength !== undefined &&
    value.length > f.maxLength
  ) {
    errors.push({
      message: `Ensure this value has at most ${f.maxLength} characters (it has ${value.length}).`,
      code: "max_length",
      params: { limit_value: f.maxLength, show_value: value.length },
    });
  }
  if (f.storage === "decimal") decimalErrors(f, value, errors);
  if (f.storage === "integer" && (typeof value !== "number" || !Number.isInteger(value))) {
    errors.push({ message: `"${String(value)}" value must be an integer.`, code: "invalid" });
  }
  if (f.type.startsWith("Positive") && typeof value === "number" && value < 0) {
    errors.push({ message: "Ensure this value is greater than or equal to 0.", code: "min_value" });
  }
  if (typeof value === "string") {
    if (f.type === "EmailField") collect(errors, () => validate_email(value));
    if (f.type === "SlugField") collect(errors, () => validate_slug(value));
    if (f.type === "URLField") collect(errors, () => validate_url(value));
  }
  for (const v of f.validators) collect(errors, () => v(value));
  return errors;
}

function decimalErrors(f: FieldMeta, value: unknown, errors: ValidationMessage[]): void {
  let text: string;
  try {
    text = typeof value === "string" ? value.trim() : String(value);
    quantize(text, 30);
  } catch {
    errors.push({ message: `"${String(value)}" value must be a decimal number.`, code: "invalid" });
    return;
  }
  const { whole, decimals } = digitCounts(text.replace(/^([+-]?)(\d*\.\d*?)0+$/, "$1$2").replace(/\.$/, ""));
  const maxDigits = f.maxDigits ?? Number.POSITIVE_INFINITY;
  const places = f.decimalPlaces ?? 0;
  if (whole + decimals > maxDigits) {
    errors.push({
      message: `Ensure that there are no more than ${maxDigits} digits in total.`,
      code: "max_digits",
      params: { max: maxDigits },
    });
  } else if (decimals > places) {
    errors.push({
      message: `Ensure that there are no more than ${places} decimal places.`,
      code: "max_decimal_places",
      params: { max: places },
    });
  } else if (whole > maxDigits - places) {
    errors.push({
      message: `Ensure that there are no more than ${maxDigits - places} digits before the decimal point.`,
      code: "max_whole_digits",
      params: { max: maxDigits - places },
    });
  }
}
