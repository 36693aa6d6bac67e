// ReadOnlyField, HiddenField, SerializerMethodField.
import * as v from "valibot";
import type { RunState, SerializerContext } from "../context.js";
import { SKIP } from "./defaults.js";
import { Field, type FieldOptions, type JsonSchema, type PlanPaths } from "./field.js";

export interface ReadOnlyFieldOptions<S extends v.GenericSchema = v.GenericSchema> extends FieldOptions {
  /**
   * The value's type as a valibot schema (a model property such as `is_in_stock`: `v.boolean()`).
   * It types `data` and documents the field's JSON Schema; values are output unchecked.
   */
  output?: S;
}

/** The declared `output` type, else `T`. */
type ReadOnlyOut<T, O> = O extends { output: infer S extends v.GenericSchema } ? v.InferOutput<S> : T;

/** Outputs the attribute as it is; never written. */
export class ReadOnlyField<
  T = unknown,
  const O extends ReadOnlyFieldOptions = ReadOnlyFieldOptions,
> extends Field<ReadOnlyOut<T, O>, never, O & { readOnly: true }> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "any" | null {
    return this.toRepresentation === ReadOnlyField.prototype.toRepresentation ? "any" : null;
  }
  constructor(options?: O) {
    super({ ...(options ?? {}), readOnly: true } as O & { readOnly: true });
  }
  protected buildSchema(): v.GenericSchema<unknown, never> {
    return v.never();
  }
  toRepresentation(value: unknown, _c: SerializerContext): ReadOnlyOut<T, O> {
    return value as ReadOnlyOut<T, O>;
  }
  protected override typeSchema(): JsonSchema {
    return this.options.output ? valibotJsonSchema(this.options.output) : {};
  }
}

export interface HiddenFieldOptions<T> extends FieldOptions {
  default: T;
}

type DefaultValue<D> = D extends (...args: never[]) => infer R
  ? R
  : D extends { resolve(s: RunState): infer R }
    ? R
    : D;

/** Never read from input nor output; its value is its default (CurrentUserDefault, CreateOnlyDefault). */
export class HiddenField<const O extends HiddenFieldOptions<unknown>> extends Field<
  never,
  DefaultValue<O["default"]>,
  O & { writeOnly: true }
> {
  constructor(options: O) {
    super({ ...options, writeOnly: true } as O & { writeOnly: true });
  }
  override get required(): boolean {
    return false;
  }
  override runValidation(_data: unknown, state: RunState) {
    if (state.partial) return SKIP;
    return this.getDefault(state) as DefaultValue<O["default"]>;
  }
  protected buildSchema(): v.GenericSchema<unknown, DefaultValue<O["default"]>> {
    return v.unknown() as v.GenericSchema<unknown, DefaultValue<O["default"]>>;
  }
  toRepresentation(): never {
    throw new Error("HiddenField has no representation");
  }
}

export interface MethodFieldOptions {
  /** The serializer method; `get_<field>` by default. */
  methodName?: string;
  /** Relations the method reads, for queryPlan(): `{ select: ["user"], prefetch: ["items"] }`. */
  reads?: { select?: readonly string[]; prefetch?: readonly string[] };
  /**
   * Model columns the method reads (`["first_name", "last_name"]`, `"user__email"` through a
   * joined relation), so queryPlan().only can leave the others out; without it the whole row loads.
   */
  requires?: readonly string[];
  label?: string;
  helpText?: string;
}

/**
 * Calls `get_<field>(instance)` on the serializer. Its output is declared as a valibot schema:
 * the TypeScript type and the JSON Schema come from it (types are erased at run time).
 */
export class SerializerMethodField<
  S extends v.GenericSchema = v.GenericSchema<unknown, unknown>,
> extends Field<v.InferOutput<S>, never, { readOnly: true }> {
  readonly output: S | undefined;
  readonly methodOptions: MethodFieldOptions;
  /** The method's name, fixed when bound (not a new `get_<field>` string per rendered object). */
  private boundMethodName: string | undefined;

  constructor(output?: S, options: MethodFieldOptions = {}) {
    super({ readOnly: true, label: options.label, helpText: options.helpText } as { readOnly: true });
    this.output = output;
    this.methodOptions = options;
  }
  get methodName(): string {
    return this.boundMethodName ?? this.methodOptions.methodName ?? `get_${this.fieldName}`;
  }
  override bind(fieldName: string): this {
    const b = super.bind(fieldName);
    b.sourceAttrs = [];
    b.boundMethodName = b.methodOptions.methodName ?? `get_${fieldName}`;
    return b;
  }
  protected buildSchema(): v.GenericSchema<unknown, never> {
    return v.never();
  }
  toRepresentation(
    instance: unknown,
    _c: SerializerContext,
    owner?: object,
  ): v.InferOutput<S> | Promise<v.InferOutput<S>> {
    const method = (owner as Record<string, unknown> | undefined)?.[this.methodName];
    if (typeof method !== "function")
      throw new Error(
        `SerializerMethodField "${this.fieldName}" needs a method ${this.methodName}(instance) on the serializer`,
      );
    return method.call(owner, instance) as v.InferOutput<S> | Promise<v.InferOutput<S>>;
  }
  override collectPlan(prefix: string, paths: PlanPaths): void {
    for (const p of this.methodOptions.reads?.select ?? []) paths.select.add(prefix + p);
    for (const p of this.methodOptions.reads?.prefetch ?? []) paths.prefetch.add(prefix + p);
  }
  protected override typeSchema(): JsonSchema {
    return this.output ? valibotJsonSchema(this.output) : {};
  }
}

/** Formats of valibot's string validations (JSON Schema / OpenAPI spellings). */
const STRING_FORMATS: Record<string, string> = {
  email: "email",
  rfc_email: "email",
  url: "uri",
  uuid: "uuid",
  iso_timestamp: "date-time",
  iso_date_time: "date-time",
  iso_date: "date",
  iso_time: "time",
  ipv4: "ipv4",
  ipv6: "ipv6",
  decimal: "decimal",
};

type Action = { type: string; requirement?: unknown };

/** The constraints of a schema's pipe (formats, lengths, bounds, patterns, integer). */
function pipeKeywords(base: JsonSchema, pipe: readonly unknown[]): JsonSchema {
  const s = { ...base };
  for (const item of pipe.slice(1)) {
    const { type, requirement } = item as Action;
    const format = STRING_FORMATS[type];
    if (format) s.format = format;
    else if (type === "integer") s.type = "integer";
    else if (type === "min_length") s[s.type === "array" ? "minItems" : "minLength"] = requirement;
    else if (type === "max_length") s[s.type === "array" ? "maxItems" : "maxLength"] = requirement;
    else if (type === "min_value") s.minimum = requirement;
    else if (type === "max_value") s.maximum = requirement;
    else if (type === "regex") s.pattern = (requirement as RegExp).source;
  }
  return s;
}

/** `type` of an enum's values when they share one JSON type (renders as a typed union). */
export function enumType(values: readonly unknown[]): string | undefined {
  const types = new Set(
    values.map((x) =>
      typeof x === "number" && Number.isInteger(x) ? "integer" : x === null ? "null" : typeof x,
    ),
  );
  if (types.size !== 1) return undefined;
  const [only] = types;
  return only === "string" || only === "integer" || only === "number" || only === "boolean"
    ? only
    : undefined;
}

/**
 * JSON Schema of a valibot schema (what method and read-only fields declare: primitives,
 * picklists, literals, objects, arrays, records, unions, nullable; string formats and bounds).
 */
export function valibotJsonSchema(schema: v.GenericSchema): JsonSchema {
  const s = schema as v.GenericSchema & {
    type: string;
    wrapped?: v.GenericSchema;
    item?: v.GenericSchema;
    key?: v.GenericSchema;
    value?: v.GenericSchema;
    entries?: Record<string, v.GenericSchema>;
    options?: v.GenericSchema[] | unknown[];
    enum?: Record<string, unknown>;
    literal?: unknown;
    pipe?: unknown[];
  };
  const base = baseSchema(s);
  return s.pipe ? pipeKeywords(base, s.pipe) : base;
}

function baseSchema(
  s: v.GenericSchema & {
    type: string;
    wrapped?: v.GenericSchema;
    item?: v.GenericSchema;
    value?: v.GenericSchema;
    entries?: Record<string, v.GenericSchema>;
    options?: v.GenericSchema[] | unknown[];
    enum?: Record<string, unknown>;
    literal?: unknown;
  },
): JsonSchema {
  switch (s.type) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: "number" };
    case "bigint":
      return { type: "integer" };
    case "boolean":
      return { type: "boolean" };
    case "null":
      return { type: "null" };
    case "date":
      return { type: "string", format: "date-time" };
    case "literal": {
      const type = enumType([s.literal]);
      return type ? { type, const: s.literal } : { const: s.literal };
    }
    case "picklist":
    case "enum": {
      const values = s.type === "enum" ? Object.values(s.enum ?? {}) : (s.options as unknown[]);
      const type = enumType(values);
      return type ? { type, enum: values } : { enum: values };
    }
    case "nullable":
    case "nullish": {
      const inner = valibotJsonSchema(s.wrapped!);
      if (typeof inner.type === "string" && !("const" in inner) && !("enum" in inner))
        return { ...inner, type: [inner.type, "null"] };
      return { anyOf: [inner, { type: "null" }] };
    }
    case "optional":
    case "exact_optional":
    case "undefinedable":
    case "non_nullable":
    case "non_nullish":
    case "non_optional":
      return valibotJsonSchema(s.wrapped!);
    case "array":
      return { type: "array", items: valibotJsonSchema(s.item!) };
    case "record":
      return { type: "object", additionalProperties: valibotJsonSchema(s.value!) };
    case "object":
    case "loose_object":
    case "strict_object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [k, e] of Object.entries(s.entries ?? {})) {
        properties[k] = valibotJsonSchema(e);
        if (
          !["optional", "nullish", "exact_optional", "undefinedable"].includes((e as { type: string }).type)
        )
          required.push(k);
      }
      const out: JsonSchema = { type: "object", properties, required };
      // a plain object drops unknown keys and a strict one refuses them: neither outputs them
      if (s.type !== "loose_object") out.additionalProperties = false;
      return out;
    }
    case "union":
    case "variant":
      return { anyOf: (s.options as v.GenericSchema[]).map(valibotJsonSchema) };
    default:
      return {};
  }
}
