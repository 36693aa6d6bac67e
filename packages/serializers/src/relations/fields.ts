// PrimaryKeyRelatedField, SlugRelatedField, StringRelatedField, HyperlinkedRelatedField,
// HyperlinkedIdentityField.
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema, type PlanPaths, readAttr } from "../fields/field.js";
import { pythonType } from "../fields/python.js";
import { iterate } from "../serializer/list.js";
import { hasIntegerPk } from "./queryset.js";
import { fkValue, RelatedField, type RelatedFieldOptions } from "./related.js";

type PkValue = string | number;

const pkOf = (obj: unknown): unknown =>
  obj != null && typeof obj === "object"
    ? ((obj as { pk?: unknown }).pk ?? (obj as { id?: unknown }).id)
    : obj;

export class PrimaryKeyRelatedField<
  T = unknown,
  const O extends RelatedFieldOptions<T> = RelatedFieldOptions<T>,
> extends RelatedField<T, PkValue, O> {
  protected override defaultMessages(): Record<string, string> {
    return {
      ...super.defaultMessages(),
      does_not_exist: 'Invalid pk "{pk_value}" - object does not exist.',
      incorrect_type: "Incorrect type. Expected pk value, received {data_type}.",
    };
  }
  protected get lookupField(): string {
    return "pk";
  }
  protected override keyOf(obj: unknown): unknown {
    return pkOf(obj);
  }
  protected toKey(data: unknown): unknown {
    if (typeof data === "boolean" || (typeof data === "object" && data !== null)) return this.wrongType(data);
    if (hasIntegerPk(this.options.queryset)) {
      // Django's int(): "12" is fine, "abc" / 1.5 raise ValueError → incorrect type
      if (typeof data === "number") return Number.isInteger(data) ? data : this.wrongType(data);
      if (typeof data === "string" && /^\s*[+-]?\d+\s*$/.test(data)) return Number(data);
      return this.wrongType(data);
    }
    return data;
  }
  private wrongType(data: unknown): never {
    return this.fail("incorrect_type", { data_type: pythonType(data) });
  }
  protected notFound(data: unknown): never {
    return this.fail("does_not_exist", { pk_value: data });
  }
  protected represent(related: unknown): PkValue {
    return pkOf(related) as PkValue;
  }
  override getAttribute(instance: unknown): unknown {
    if (!this.many) {
      const fk = fkValue(this, instance);
      if (fk) return fk;
    }
    return super.getAttribute(instance);
  }
  protected override needsObject(): boolean {
    return false;
  }
  protected override itemSchema(): JsonSchema {
    return hasIntegerPk(this.options.queryset) ? { type: "integer" } : { type: "string" };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A NUL or an unpaired UTF-16 surrogate: text no database column here can hold. */
const unstorable = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);

export interface SlugRelatedFieldOptions<T> extends RelatedFieldOptions<T> {
  slugField: string;
}

export class SlugRelatedField<
  T = unknown,
  const O extends SlugRelatedFieldOptions<T> = SlugRelatedFieldOptions<T>,
> extends RelatedField<T, string, O> {
  protected override defaultMessages(): Record<string, string> {
    return {
      ...super.defaultMessages(),
      does_not_exist: "Object with {slug_name}={value} does not exist.",
      invalid: "Invalid value.",
    };
  }
  protected get lookupField(): string {
    return this.options.slugField;
  }
  protected toKey(data: unknown): unknown {
    if (typeof data !== "string" && typeof data !== "number") return this.fail("invalid");
    // PostgreSQL refuses NUL and lone surrogates in a text parameter (a 500); DRF's lookup
    // raises ValueError in the driver for both and answers "Invalid value." — on every database here.
    if (typeof data === "string" && unstorable(data)) return this.fail("invalid");
    return String(data);
  }
  protected notFound(data: unknown): never {
    return this.fail("does_not_exist", { slug_name: this.options.slugField, value: data });
  }
  protected represent(related: unknown): string {
    return readAttr(related, this.options.slugField) as string;
  }
  protected override itemSchema(): JsonSchema {
    return { type: "string" };
  }
}

type StrOut<O> = O extends { many: true } ? string[] : string;

/** Read-only: the related object's toString(). */
export class StringRelatedField<
  const O extends FieldOptions & { many?: boolean } = FieldOptions,
> extends Field<O extends { many: true } ? string[] : string, never, O & { readOnly: true }> {
  constructor(options?: O) {
    super({ ...(options ?? {}), readOnly: true } as O & { readOnly: true });
  }
  override get syncRepresentation(): boolean {
    return this.options.many !== true;
  }
  protected buildSchema(): v.GenericSchema<unknown, never> {
    return v.never();
  }
  toRepresentation(value: unknown): StrOut<O> | Promise<StrOut<O>> {
    if (!this.options.many) return String(value) as StrOut<O>;
    const items = iterate(value);
    return (items instanceof Promise ? items.then((l) => l.map(String)) : items.map(String)) as
      | StrOut<O>
      | Promise<StrOut<O>>;
  }
  override collectPlan(prefix: string, paths: PlanPaths): void {
    const path = prefix + this.sourceAttrs.join("__");
    if (this.options.many) paths.prefetch.add(path);
    else paths.select.add(path);
  }
  protected override typeSchema(): JsonSchema {
    return this.options.many ? { type: "array", items: { type: "string" } } : { type: "string" };
  }
}

export interface HyperlinkedFieldOptions<T> extends RelatedFieldOptions<T> {
  viewName: string;
  /** The attribute of the related object put in the URL (`pk`). */
  lookupField?: string;
  /** The URL keyword it goes in (defaults to lookupField). */
  lookupUrlKwarg?: string;
  format?: string;
}

function reverseFrom(context: SerializerContext, fieldName: string) {
  const reverse = context.reverse;
  if (!reverse)
    throw new Error(
      `Hyperlinked field "${fieldName}" needs \`reverse\` in the serializer context (views pass it; in tests give a stub).`,
    );
  return reverse;
}

export class HyperlinkedRelatedField<
  T = unknown,
  const O extends HyperlinkedFieldOptions<T> = HyperlinkedFieldOptions<T>,
> extends RelatedField<T, string, O> {
  protected override defaultMessages(): Record<string, string> {
    return {
      ...super.defaultMessages(),
      no_match: "Invalid hyperlink - No URL match.",
      incorrect_match: "Invalid hyperlink - Incorrect URL match.",
      does_not_exist: "Invalid hyperlink - Object does not exist.",
      incorrect_type: "Incorrect type. Expected URL string, received {data_type}.",
    };
  }
  protected get lookupField(): string {
    return this.options.lookupField ?? "pk";
  }
  protected get urlKwarg(): string {
    return this.options.lookupUrlKwarg ?? this.lookupField;
  }
  protected toKey(data: unknown, context: SerializerContext): unknown {
    if (typeof data !== "string") return this.fail("incorrect_type", { data_type: pythonType(data) });
    const resolve = context.resolve;
    let path = data;
    try {
      path = new URL(data, "http://x").pathname;
    } catch {
      this.fail("no_match");
    }
    const match = resolve?.(path);
    if (!match) return this.fail("no_match");
    if (match.viewName !== this.options.viewName) return this.fail("incorrect_match");
    const key = match.kwargs[this.urlKwarg];
    if (key === undefined) return this.fail("incorrect_match");
    return key;
  }
  protected notFound(): never {
    return this.fail("does_not_exist");
  }
  protected represent(related: unknown, context: SerializerContext): string {
    const key = this.lookupField === "pk" ? pkOf(related) : readAttr(related, this.lookupField);
    return reverseFrom(context, this.fieldName)(
      this.options.viewName,
      { [this.urlKwarg]: key },
      { format: this.options.format ?? context.format, request: context.request },
    );
  }
  override getAttribute(instance: unknown): unknown {
    if (!this.many && this.lookupField === "pk") {
      const fk = fkValue(this, instance);
      if (fk) return fk;
    }
    return super.getAttribute(instance);
  }
  protected override needsObject(): boolean {
    return this.lookupField !== "pk";
  }
  protected override itemSchema(): JsonSchema {
    return { type: "string", format: "uri" };
  }
}

/** The URL of the object itself (source "*", always read-only). */
export class HyperlinkedIdentityField<
  const O extends Omit<HyperlinkedFieldOptions<unknown>, "queryset" | "many"> = Omit<
    HyperlinkedFieldOptions<unknown>,
    "queryset" | "many"
  >,
> extends HyperlinkedRelatedField<unknown, O & { readOnly: true; source: "*" }> {
  constructor(options: O) {
    super({ ...options, readOnly: true, source: "*" } as O & { readOnly: true; source: "*" });
  }
  override collectPlan(): void {}
}
