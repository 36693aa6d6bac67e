// The base Field: options, binding to a name/source, reading the attribute, running validation.
import type * as v from "valibot";
import type { RunState, SerializerContext } from "../context.js";
import { asValidationError, type ErrorDetail, formatMessage, ValidationError } from "../errors.js";
import { resolveDefault, SKIP, type Skip } from "./defaults.js";
import { runSchema } from "./messages.js";

/** Handed to validators with the value. */
export interface ValidatorContext extends RunState {
  readonly field: Field | undefined;
}

/** A validator: a function that throws ValidationError (or rejects), or an object with validate(). */
export type Validator<T = never> =
  | ((value: T, ctx: ValidatorContext) => unknown)
  | { validate(value: T, ctx: ValidatorContext): unknown };

export interface FieldOptions {
  readOnly?: boolean;
  writeOnly?: boolean;
  required?: boolean;
  default?: unknown;
  allowNull?: boolean;
  /** Attribute path on the instance: dotted (`"author.name"`), a method, or `"*"` (the whole object). */
  source?: string;
  label?: string;
  helpText?: string;
  // biome-ignore lint/suspicious/noExplicitAny: validators of any value type are accepted; each receives the parsed value
  validators?: readonly Validator<any>[];
  errorMessages?: Record<string, string>;
  /**
   * Model columns the representation reads when `source` is a model property or method
   * (`requires: ["stock"]` for `is_in_stock`): queryPlan().only loads just those instead of the row.
   */
  requires?: readonly string[];
}

/** What `queryPlan()` collects: relations to join, relations to prefetch. */
export interface PlanPaths {
  select: Set<string>;
  prefetch: Set<string>;
}

export type JsonSchema = { [key: string]: unknown };
export type SchemaMode = "read" | "write";

const BASE_MESSAGES: Record<string, string> = {
  required: "This field is required.",
  null: "This field may not be null.",
};

export abstract class Field<Out = unknown, In = Out, O extends FieldOptions = FieldOptions> {
  /** Type carriers (no run-time value): the representation, the internal value, the options. */
  declare readonly __out: Out;
  declare readonly __in: In;
  declare readonly __opts: O;

  // Declared here and assigned in the constructor, not class field initializers: this constructor
  // runs for every field and serializer class, so the initializer's define-property sites go
  // megamorphic (about 0.5-1 us per object in Node 20), where plain stores stay cheap; serializers
  // are constructed per request. (Subclasses keep their initializers: few classes reach each.)
  declare readonly options: O;
  declare fieldName: string;
  declare private bound: boolean;
  /** The source split on dots, or [] for "*". */
  declare sourceAttrs: readonly string[];
  declare private messageTable: Record<string, string> | undefined;
  declare private compiled: v.GenericSchema<unknown, In> | undefined;

  constructor(options?: O) {
    this.options = (options ?? {}) as O;
    this.fieldName = "";
    this.bound = false;
    this.sourceAttrs = [];
    this.messageTable = undefined;
    this.compiled = undefined;
  }

  /** The merged message table (built on first use: most fields never fail). */
  protected get messages(): Record<string, string> {
    this.messageTable ??= {
      ...BASE_MESSAGES,
      ...this.defaultMessages(),
      ...(this.options.errorMessages ?? {}),
    };
    return this.messageTable;
  }

  /** DRF's default_error_messages of this field class (merged with the base ones). */
  protected defaultMessages(): Record<string, string> {
    return {};
  }

  /** A value of this JSON type is output unchanged (the compiled renderer skips the call). */
  get passThrough(): "string" | "integer" | "number" | "boolean" | "any" | null {
    return null;
  }
  /**
   * toRepresentation reads its third argument, the serializer it renders for (SerializerMethodField
   * calls a method on it): a nested serializer then renders through a view of itself carrying the
   * root's context. Judged by arity: a toRepresentation that declares one or two parameters cannot
   * read it (zero, `...args`, is taken to read it).
   */
  get usesOwner(): boolean {
    const arity = this.toRepresentation.length;
    return arity === 0 || arity >= 3;
  }
  /** toRepresentation never returns a Promise (the compiled renderer skips the check). */
  get syncRepresentation(): boolean {
    return false;
  }

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }
  get writeOnly(): boolean {
    return this.options.writeOnly === true;
  }
  get hasDefault(): boolean {
    return this.options.default !== undefined;
  }
  get required(): boolean {
    if (this.options.required !== undefined) return this.options.required;
    return !this.readOnly && !this.hasDefault;
  }
  get allowNull(): boolean {
    return this.options.allowNull === true;
  }
  get source(): string {
    return this.options.source ?? this.fieldName;
  }

  /** A copy of this field bound to a name in a serializer (fields are shared declarations). */
  bind(fieldName: string): this {
    // bound in place the first time (keeps the constructor's object shape: fast property access);
    // a field declared under a second name is copied
    const copy = this.fieldName === "" && this.sourceAttrs.length === 0 && !this.bound ? this : this.clone();
    copy.bound = true;
    copy.fieldName = fieldName;
    const source = copy.source;
    copy.sourceAttrs = source === "*" ? [] : source.split(".");
    return copy;
  }

  /** A shallow copy with the same prototype (for re-binding a shared declaration). */
  protected clone(): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this)), this) as this;
  }

  /** The message of `code`, with `{params}` filled. */
  errorMessage(code: string, params?: Record<string, unknown>): string {
    const template = this.messages[code];
    if (template === undefined)
      throw new Error(`Field ${this.constructor.name} has no error message "${code}"`);
    return formatMessage(template, params);
  }

  /** Raise DRF's error `code` (its message, its code). */
  fail(code: string, params?: Record<string, unknown>): never {
    throw new ValidationError(this.errorMessage(code, params), code);
  }

  // ---- output ----

  /** The value this field reads from an instance: follows `source`, calls methods, `"*"` is the instance. */
  getAttribute(instance: unknown): unknown {
    const attrs = this.sourceAttrs;
    if (attrs.length === 1) {
      // the common case, kept cheap: a plain property
      const value = (instance as Record<string, unknown>)[attrs[0]!];
      if (value !== undefined && typeof value !== "function") return value;
      return readAttr(instance, attrs[0]!);
    }
    let value: unknown = instance;
    for (const attr of this.sourceAttrs) {
      if (value == null) return null;
      value = readAttr(value, attr);
    }
    return value;
  }

  /** DRF's to_representation: the JSON value of an attribute. */
  abstract toRepresentation(value: unknown, context: SerializerContext, owner?: object): Out | Promise<Out>;

  // ---- input ----

  /** The compiled valibot schema of this field's parsing (built once per field). */
  get schema(): v.GenericSchema<unknown, In> {
    this.compiled ??= this.buildSchema();
    return this.compiled;
  }

  /** Build the valibot schema that parses and checks a present, non-null value. */
  protected abstract buildSchema(): v.GenericSchema<unknown, In>;

  /** DRF's to_internal_value: parse a present, non-null value (throws ValidationError). */
  toInternalValue(data: unknown, _state: RunState): In | Promise<In> {
    return runSchema(this.schema, data);
  }

  /** The default for a missing value (a context default may ask to skip the field). */
  getDefault(state: RunState): unknown {
    return resolveDefault(this.options.default, state);
  }

  /**
   * DRF's run_validation: a missing value is required / defaulted / skipped, null is checked
   * against allowNull, anything else is parsed then validated. `undefined` means "not sent".
   */
  runValidation(data: unknown, state: RunState): In | null | Skip | Promise<In | null | Skip> {
    if (this.options.readOnly === true) return SKIP;
    if (data === undefined) {
      if (state.partial) return SKIP;
      if (this.required) this.fail("required");
      if (!this.hasDefault) return SKIP;
      return this.getDefault(state) as In | Skip;
    }
    if (data === null || this.isNullInput(data)) {
      if (!this.allowNull) this.fail("null");
      return null;
    }
    return this.validateValue(data, state);
  }

  /** Spellings that mean null for this field (BooleanField's "null"); plain `null` always does. */
  isNullInput(_data: unknown): boolean {
    return false;
  }

  /** Parse a present, non-null value, then run the validators (all of them; errors are collected). */
  validateValue(data: unknown, state: RunState): In | Promise<In> {
    const validators = this.options.validators;
    const parsed = this.toInternalValue(data, state);
    if (!validators || validators.length === 0) return parsed;
    if (parsed instanceof Promise) return parsed.then((p) => this.runValidators(p, state));
    return this.runValidators(parsed, state);
  }

  protected async runValidators(value: In, state: RunState): Promise<In> {
    const errors: string[] = [];
    const codes: string[] = [];
    let structured: ValidationError | null = null;
    const ctx: ValidatorContext = { ...state, field: this };
    for (const validator of this.options.validators ?? []) {
      try {
        await (typeof validator === "function"
          ? validator(value as never, ctx)
          : validator.validate(value as never, ctx));
      } catch (thrown) {
        const e = asValidationError(thrown);
        if (!e) throw thrown;
        if (Array.isArray(e.detail) && e.detail.every((x) => typeof x === "string")) {
          errors.push(...(e.detail as string[]));
          codes.push(...(e.codes as string[]));
        } else structured ??= e;
      }
    }
    if (structured) throw structured;
    if (errors.length) throw ValidationError.fromTree(errors, codes as ErrorDetail);
    return value;
  }

  // ---- introspection ----

  /** Relations this field's representation reads, under `prefix` (for the view's queryset). */
  collectPlan(prefix: string, paths: PlanPaths): void {
    // a dotted source reads through relations: "category.name" needs category joined
    if (this.sourceAttrs.length > 1) paths.select.add(prefix + this.sourceAttrs.slice(0, -1).join("__"));
  }

  /** JSON Schema of this field's read or write shape. */
  jsonSchema(mode: SchemaMode): JsonSchema {
    let s = this.typeSchema(mode);
    if (this.allowNull) s = nullable(s);
    if (this.readOnly) s.readOnly = true;
    if (this.writeOnly) s.writeOnly = true;
    if (this.options.label) s.title = this.options.label;
    if (this.options.helpText)
      s.description = s.description ? `${this.options.helpText}\n\n${s.description}` : this.options.helpText;
    if (
      this.hasDefault &&
      typeof this.options.default !== "function" &&
      typeof this.options.default !== "object"
    )
      s.default = this.options.default;
    return s;
  }

  protected typeSchema(_mode: SchemaMode): JsonSchema {
    return {};
  }
}

/** `schema` or null: null joins the type and the enum; a `$ref`, `const` or union is wrapped in anyOf. */
export function nullable(schema: JsonSchema): JsonSchema {
  const s = { ...schema };
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  if (Array.isArray(s.type)) {
    if (!s.type.includes("null")) s.type = [...s.type, "null"];
    return s;
  }
  if (typeof s.type === "string") {
    if (s.type !== "null") s.type = [s.type, "null"];
    return s;
  }
  if (Array.isArray(s.enum)) return s;
  // no type: any JSON value, null included
  if (Object.keys(s).length === 0) return s;
  return { anyOf: [s, { type: "null" }] };
}

/** Read one attribute: a method is called (DRF calls callables), `get_<f>_display` maps to getDisplay. */
export function readAttr(obj: unknown, attr: string): unknown {
  if (obj instanceof Map) return obj.get(attr);
  const value = (obj as Record<string, unknown>)[attr];
  if (typeof value === "function") return (value as (this: unknown) => unknown).call(obj);
  if (value === undefined && attr.startsWith("get_") && attr.endsWith("_display")) {
    const getDisplay = (obj as { getDisplay?: (f: string) => unknown }).getDisplay;
    if (typeof getDisplay === "function") return getDisplay.call(obj, attr.slice(4, -8));
  }
  return value;
}
