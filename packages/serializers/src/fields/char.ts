// CharField and the string fields built on it (Email, Regex, Slug, URL, UUID, IPAddress).
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { checkStep, fieldSchema, messageStep, parseStep } from "./messages.js";

export interface CharFieldOptions extends FieldOptions {
  allowBlank?: boolean;
  trimWhitespace?: boolean;
  maxLength?: number;
  minLength?: number;
}

// Python counts code points; UTF-16 length is an upper bound, so it only needs counting near the limit
const codePoints = (s: string) => [...s].length;
const notLonger = (s: string, max: number) => s.length <= max || codePoints(s) <= max;
const notShorter = (s: string, min: number) =>
  s.length >= min && (!/[\uD800-\uDFFF]/.test(s) || codePoints(s) >= min);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const loneSurrogate = (s: string) =>
  (s.match(LONE_SURROGATE)?.[0]?.charCodeAt(0) ?? 0).toString(16).toUpperCase();

export class CharField<const O extends CharFieldOptions = CharFieldOptions> extends Field<string, string, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "string" | null {
    return this.toRepresentation === CharField.prototype.toRepresentation ? "string" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "Not a valid string.",
      blank: "This field may not be blank.",
      max_length: "Ensure this field has no more than {max_length} characters.",
      min_length: "Ensure this field has at least {min_length} characters.",
      null_characters_not_allowed: "Null characters are not allowed.",
      surrogate_characters_not_allowed: "Surrogate characters are not allowed: U+{code_point}.",
    };
  }
  get allowBlank(): boolean {
    return this.options.allowBlank === true;
  }
  get trimWhitespace(): boolean {
    return this.options.trimWhitespace !== false;
  }

  protected buildSchema(): v.GenericSchema<unknown, string> {
    const { maxLength, minLength } = this.options;
    const steps: v.PipeItem<string, string, v.BaseIssue<unknown>>[] = [];
    if (maxLength !== undefined)
      steps.push(
        checkStep("max_length", this.errorMessage("max_length", { max_length: maxLength }), (s: string) =>
          notLonger(s, maxLength),
        ),
      );
    if (minLength !== undefined)
      steps.push(
        checkStep("min_length", this.errorMessage("min_length", { min_length: minLength }), (s: string) =>
          notShorter(s, minLength),
        ),
      );
    // DRF's ProhibitNullCharactersValidator / ProhibitSurrogateCharactersValidator: neither can be
    // stored in PostgreSQL text, so they are a 400 here rather than a database error later.
    steps.push(
      checkStep(
        "null_characters_not_allowed",
        this.errorMessage("null_characters_not_allowed"),
        (s: string) => !s.includes("\u0000"),
      ),
    );
    steps.push(
      messageStep("surrogate_characters_not_allowed", (s: string) =>
        LONE_SURROGATE.test(s)
          ? this.errorMessage("surrogate_characters_not_allowed", { code_point: loneSurrogate(s) })
          : null,
      ),
    );
    steps.push(...this.extraChecks());
    return fieldSchema(
      parseStep((d: unknown) => this.parseString(d)),
      steps,
    );
  }

  /** Format checks of the string subclasses (email, regex, ...). */
  protected extraChecks(): v.PipeItem<string, string, v.BaseIssue<unknown>>[] {
    return [];
  }

  private parseString(data: unknown): string {
    // DRF accepts str, int and float (not bool) and stringifies
    if (typeof data === "boolean" || !(typeof data === "string" || typeof data === "number"))
      this.fail("invalid");
    const s = String(data);
    const value = this.trimWhitespace ? s.trim() : s;
    if (value === "" && !this.allowBlank) this.fail("blank");
    return value;
  }

  toRepresentation(value: unknown, _c: SerializerContext): string {
    return typeof value === "string" ? value : String(value);
  }

  protected override typeSchema(_mode?: "read" | "write"): JsonSchema {
    const s: JsonSchema = { type: "string" };
    if (this.options.maxLength !== undefined) s.maxLength = this.options.maxLength;
    if (this.options.minLength !== undefined) s.minLength = this.options.minLength;
    else if (!this.allowBlank) s.minLength = 1;
    return s;
  }
}

// Django's EmailValidator, simplified to its user@domain.tld shape
const EMAIL_RE =
  /^[^\s@]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$|^[^\s@]+@\[[0-9a-f:.]+\]$/i;

export class EmailField<const O extends CharFieldOptions = CharFieldOptions> extends CharField<O> {
  protected override defaultMessages(): Record<string, string> {
    return { ...super.defaultMessages(), invalid: "Enter a valid email address." };
  }
  protected override extraChecks() {
    return [checkStep("invalid", this.errorMessage("invalid"), (s: string) => EMAIL_RE.test(s))];
  }
  protected override typeSchema(): JsonSchema {
    return { ...super.typeSchema(), format: "email" };
  }
}

export interface RegexFieldOptions extends CharFieldOptions {
  regex: RegExp | string;
}

export class RegexField<const O extends RegexFieldOptions = RegexFieldOptions> extends CharField<O> {
  protected override defaultMessages(): Record<string, string> {
    return { ...super.defaultMessages(), invalid: "This value does not match the required pattern." };
  }
  protected get pattern(): RegExp {
    const r = this.options.regex;
    return typeof r === "string" ? new RegExp(r) : r;
  }
  protected override extraChecks() {
    const re = this.pattern;
    return [checkStep("invalid", this.errorMessage("invalid"), (s: string) => re.test(s))];
  }
  protected override typeSchema(): JsonSchema {
    return { ...super.typeSchema(), pattern: this.pattern.source };
  }
}

export class SlugField<
  const O extends CharFieldOptions & { allowUnicode?: boolean } = CharFieldOptions,
> extends CharField<O> {
  protected override defaultMessages(): Record<string, string> {
    return {
      ...super.defaultMessages(),
      invalid: this.options.allowUnicode
        ? 'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'
        : 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
    };
  }
  protected override extraChecks() {
    const re = this.options.allowUnicode ? /^[-\p{L}\p{N}_]+$/u : /^[-a-zA-Z0-9_]+$/;
    return [checkStep("invalid", this.errorMessage("invalid"), (s: string) => re.test(s))];
  }
  protected override typeSchema(): JsonSchema {
    return { ...super.typeSchema(), pattern: "^[-a-zA-Z0-9_]+$" };
  }
}

const URL_RE =
  /^(?:https?|ftps?):\/\/(?:[^\s:@/]+(?::[^\s:@/]*)?@)?(?:localhost|\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,63}\.?)(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;

export class URLField<const O extends CharFieldOptions = CharFieldOptions> extends CharField<O> {
  protected override defaultMessages(): Record<string, string> {
    return { ...super.defaultMessages(), invalid: "Enter a valid URL." };
  }
  protected override extraChecks() {
    return [checkStep("invalid", this.errorMessage("invalid"), (s: string) => URL_RE.test(s))];
  }
  protected override typeSchema(): JsonSchema {
    return { ...super.typeSchema(), format: "uri" };
  }
}

const UUID_RE =
  /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

export interface UUIDFieldOptions extends FieldOptions {
  format?: "hex_verbose" | "hex" | "int" | "urn";
}

export class UUIDField<const O extends UUIDFieldOptions = UUIDFieldOptions> extends Field<string, string, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid: "Must be a valid UUID." };
  }
  protected buildSchema(): v.GenericSchema<unknown, string> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): string => {
        const m = typeof data === "string" ? UUID_RE.exec(data.trim()) : null;
        if (!m) return this.fail("invalid", { value: data });
        return m.slice(1, 6).join("-").toLowerCase();
      }),
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): string {
    const s = String(value).toLowerCase();
    if (this.options.format === "hex") return s.replaceAll("-", "");
    if (this.options.format === "urn") return `urn:uuid:${s}`;
    if (this.options.format === "int") return BigInt(`0x${s.replaceAll("-", "")}`).toString();
    return s;
  }
  protected override typeSchema(): JsonSchema {
    return { type: "string", format: "uuid" };
  }
}

export interface IPAddressFieldOptions extends CharFieldOptions {
  protocol?: "both" | "ipv4" | "ipv6";
}

const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split("::").length > 2) return false;
  let tail = 0;
  let body = s;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    if (!IPV4_RE.test(s.slice(lastColon + 1))) return false;
    body = `${s.slice(0, lastColon + 1)}0:0`;
    tail = 0;
  }
  const groups = body.split(":");
  const compressed = body.includes("::");
  const parts = groups.filter((g) => g !== "");
  if (!parts.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return compressed ? parts.length + tail < 8 : groups.length === 8;
}

export class IPAddressField<
  const O extends IPAddressFieldOptions = IPAddressFieldOptions,
> extends CharField<O> {
  protected override defaultMessages(): Record<string, string> {
    const p = this.options.protocol ?? "both";
    const invalid =
      p === "ipv4"
        ? "Enter a valid IPv4 address."
        : p === "ipv6"
          ? "Enter a valid IPv6 address."
          : "Enter a valid IPv4 or IPv6 address.";
    return { ...super.defaultMessages(), invalid };
  }
  protected override extraChecks() {
    const p = this.options.protocol ?? "both";
    const ok = (s: string) => (p !== "ipv6" && IPV4_RE.test(s)) || (p !== "ipv4" && isIPv6(s));
    return [checkStep("invalid", this.errorMessage("invalid"), ok)];
  }
}
