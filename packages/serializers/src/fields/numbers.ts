// IntegerField, FloatField, DecimalField (exact: decimal text in, canonical strings out).
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import {
  compareDecimal,
  type DecimalTuple,
  digitCounts,
  formatScaled,
  parseDecimal,
  toScaled,
} from "./decimal-text.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { checkStep, fieldSchema, parseStep } from "./messages.js";

const MAX_STRING_LENGTH = 1000;

export interface IntegerFieldOptions extends FieldOptions {
  maxValue?: number;
  minValue?: number;
}

const INT_RE = /^\s*[+-]?\d+(?:_\d+)*(?:\.0*)?\s*$/;

export class IntegerField<const O extends IntegerFieldOptions = IntegerFieldOptions> extends Field<
  number,
  number,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "integer" | null {
    return this.toRepresentation === IntegerField.prototype.toRepresentation ? "integer" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "A valid integer is required.",
      max_value: "Ensure this value is less than or equal to {max_value}.",
      min_value: "Ensure this value is greater than or equal to {min_value}.",
      max_string_length: "String value too large.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, number> {
    const { maxValue, minValue } = this.options;
    const steps: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [];
    if (maxValue !== undefined)
      steps.push(v.maxValue(maxValue, this.errorMessage("max_value", { max_value: maxValue })));
    if (minValue !== undefined)
      steps.push(v.minValue(minValue, this.errorMessage("min_value", { min_value: minValue })));
    return fieldSchema(
      parseStep((d: unknown) => this.parseInt(d)),
      steps,
    );
  }
  private parseInt(data: unknown): number {
    if (typeof data === "number") {
      if (Number.isSafeInteger(data)) return data;
      return this.fail("invalid");
    }
    if (typeof data === "string") {
      if (data.length > MAX_STRING_LENGTH) this.fail("max_string_length");
      // Python's int() after DRF strips a ".0" tail; no floats, no exponents
      if (INT_RE.test(data)) {
        const n = Number(data.trim().replace(/\.0*$/, "").replaceAll("_", ""));
        if (Number.isSafeInteger(n)) return n;
      }
    }
    return this.fail("invalid");
  }
  toRepresentation(value: unknown, _c: SerializerContext): number {
    if (Number.isInteger(value)) return value as number;
    return typeof value === "number" ? Math.trunc(value) : Number.parseInt(String(value), 10);
  }
  protected override typeSchema(): JsonSchema {
    const s: JsonSchema = { type: "integer" };
    if (this.options.maxValue !== undefined) s.maximum = this.options.maxValue;
    if (this.options.minValue !== undefined) s.minimum = this.options.minValue;
    return s;
  }
}

const FLOAT_RE = /^\s*[+-]?(?:\d+(?:_\d+)*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export class FloatField<const O extends IntegerFieldOptions = IntegerFieldOptions> extends Field<
  number,
  number,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "number" | null {
    return this.toRepresentation === FloatField.prototype.toRepresentation ? "number" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "A valid number is required.",
      max_value: "Ensure this value is less than or equal to {max_value}.",
      min_value: "Ensure this value is greater than or equal to {min_value}.",
      max_string_length: "String value too large.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, number> {
    const { maxValue, minValue } = this.options;
    const steps: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [];
    if (maxValue !== undefined)
      steps.push(v.maxValue(maxValue, this.errorMessage("max_value", { max_value: maxValue })));
    if (minValue !== undefined)
      steps.push(v.minValue(minValue, this.errorMessage("min_value", { min_value: minValue })));
    return fieldSchema(
      parseStep((data: unknown): number => {
        if (typeof data === "string" && data.length > MAX_STRING_LENGTH) this.fail("max_string_length");
        const n =
          typeof data === "number"
            ? data
            : typeof data === "string" && FLOAT_RE.test(data)
              ? Number(data.trim().replaceAll("_", ""))
              : Number.NaN;
        if (!Number.isFinite(n)) this.fail("invalid");
        return n;
      }),
      steps,
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): number {
    return Number(value);
  }
  protected override typeSchema(): JsonSchema {
    const s: JsonSchema = { type: "number" };
    if (this.options.maxValue !== undefined) s.maximum = this.options.maxValue;
    if (this.options.minValue !== undefined) s.minimum = this.options.minValue;
    return s;
  }
}

const CANONICAL = /^-?\d+$/;

const insertDot = (s: string, places: number) => `${s.slice(0, -places)}.${s.slice(-places)}`;

/** Already "12.50" with `places` places (what @x/models hands out): no parsing needed. */
function isCanonical(s: string, places: number): boolean {
  if (places === 0) return CANONICAL.test(s);
  const dot = s.length - places - 1;
  if (dot < 1 || s.charCodeAt(dot) !== 46) return false;
  for (let i = 0; i < s.length; i++) {
    if (i === dot) continue;
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && !(i === 0 && c === 45 && dot > 1)) return false;
  }
  return true;
}

export interface DecimalFieldOptions extends FieldOptions {
  maxDigits?: number | null;
  decimalPlaces?: number | null;
  /** DRF's COERCE_DECIMAL_TO_STRING: strings out (default); `false` outputs numbers (lossy, opt-in). */
  coerceToString?: boolean;
  maxValue?: string | number;
  minValue?: string | number;
}

export class DecimalField<const O extends DecimalFieldOptions = DecimalFieldOptions> extends Field<
  O extends { coerceToString: false } ? number : string,
  string,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "A valid number is required.",
      max_value: "Ensure this value is less than or equal to {max_value}.",
      min_value: "Ensure this value is greater than or equal to {min_value}.",
      max_digits: "Ensure that there are no more than {max_digits} digits in total.",
      max_decimal_places: "Ensure that there are no more than {max_decimal_places} decimal places.",
      max_whole_digits:
        "Ensure that there are no more than {max_whole_digits} digits before the decimal point.",
      max_string_length: "String value too large.",
    };
  }

  protected buildSchema(): v.GenericSchema<unknown, string> {
    const { maxValue, minValue } = this.options;
    const steps: v.PipeItem<DecimalTuple, DecimalTuple, v.BaseIssue<unknown>>[] = [];
    if (maxValue !== undefined) {
      const max = parseDecimal(String(maxValue))!;
      steps.push(
        checkStep(
          "max_value",
          this.errorMessage("max_value", { max_value: maxValue }),
          (d: DecimalTuple) => compareDecimal(d, max) <= 0,
        ),
      );
    }
    if (minValue !== undefined) {
      const min = parseDecimal(String(minValue))!;
      steps.push(
        checkStep(
          "min_value",
          this.errorMessage("min_value", { min_value: minValue }),
          (d: DecimalTuple) => compareDecimal(d, min) >= 0,
        ),
      );
    }
    if (steps.length === 0)
      // no range checks: canonical text ("12.50", what clients usually send) passes without parsing
      return fieldSchema(
        parseStep((data: unknown) => this.fastCanonical(data) ?? this.canonical(this.parseText(data))),
      );
    return fieldSchema(
      parseStep((data: unknown) => this.parseText(data)),
      steps,
      v.transform((d: DecimalTuple) => this.canonical(d)),
    );
  }

  /** `data` itself when it is already canonical and within the digit limits, else null. */
  private fastCanonical(data: unknown): string | null {
    const { maxDigits, decimalPlaces: places } = this.options;
    if (typeof data !== "string" || places == null || places === 0 || !isCanonical(data, places)) return null;
    const c0 = data.charCodeAt(0);
    const whole = data.length - places - 1;
    if (c0 === 45 || (c0 === 48 && whole > 1)) return null; // negatives and leading zeros take the slow path
    const wholeDigits = c0 === 48 ? 0 : whole;
    if (maxDigits != null && wholeDigits + places > maxDigits) return null;
    return data;
  }

  // Exact: numbers are read through their shortest text (what JSON sent), never through arithmetic.
  private parseText(data: unknown): DecimalTuple {
    if (typeof data === "boolean" || !(typeof data === "string" || typeof data === "number"))
      return this.fail("invalid");
    const text = String(data).trim();
    if (text.length > MAX_STRING_LENGTH) this.fail("max_string_length");
    const d = parseDecimal(text);
    if (!d) return this.fail("invalid");
    this.validatePrecision(d);
    return d;
  }

  private validatePrecision(d: DecimalTuple): void {
    const { maxDigits, decimalPlaces } = this.options;
    const [total, whole, places] = digitCounts(d);
    if (maxDigits != null && total > maxDigits) this.fail("max_digits", { max_digits: maxDigits });
    if (decimalPlaces != null && places > decimalPlaces)
      this.fail("max_decimal_places", { max_decimal_places: decimalPlaces });
    if (maxDigits != null && decimalPlaces != null && whole > maxDigits - decimalPlaces)
      this.fail("max_whole_digits", { max_whole_digits: maxDigits - decimalPlaces });
  }

  private canonical(d: DecimalTuple): string {
    const places = this.options.decimalPlaces ?? Math.max(0, -d.exponent);
    // no rounding needed (the usual case): pad the digits, no BigInt
    if (d.exponent >= -places && d.exponent <= 0) {
      const digits = d.digits + "0".repeat(d.exponent + places);
      const body = places === 0 ? digits : insertDot(digits.padStart(places + 1, "0"), places);
      return d.negative && /[1-9]/.test(digits) ? `-${body}` : body;
    }
    return formatScaled(toScaled(d, places), places);
  }

  toRepresentation(
    value: unknown,
    _c: SerializerContext,
  ): O extends { coerceToString: false } ? number : string {
    const places = this.options.decimalPlaces;
    if (
      typeof value === "string" &&
      places != null &&
      this.options.coerceToString !== false &&
      isCanonical(value, places)
    )
      // biome-ignore lint/suspicious/noExplicitAny: the conditional return type is decided by the option checked above
      return value as any;
    const d = parseDecimal(String(value).trim());
    const text = d ? this.canonical(d) : String(value);
    // biome-ignore lint/suspicious/noExplicitAny: the conditional return type is decided by the option checked here
    return (this.options.coerceToString === false ? Number(text) : text) as any;
  }

  protected override typeSchema(mode: "read" | "write"): JsonSchema {
    const { maxDigits, decimalPlaces } = this.options;
    let pattern = "^-?\\d+(\\.\\d+)?$";
    if (maxDigits != null && decimalPlaces != null)
      pattern = `^-?\\d{0,${maxDigits - decimalPlaces}}(?:\\.\\d{0,${decimalPlaces}})?$`;
    if (this.options.coerceToString === false) return { type: "number" };
    return mode === "read"
      ? { type: "string", format: "decimal", pattern }
      : { type: ["string", "number"], format: "decimal", pattern };
  }
}
