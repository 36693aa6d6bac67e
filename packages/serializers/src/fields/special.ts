// ReadOnlyField, HiddenField, SerializerMethodField.
import * as v from "valibot";
import type { RunState, SerializerContext } from "../context.js";
import { SKIP } from "./defaults.js";
import { Field, type FieldOptions, type JsonSchema, type PlanPaths } from "./field.js";

/** Outputs the attribute as it is; never written. */
export class ReadOnlyField<T = unknown, const O extends FieldOptions = FieldOptions> extends Field<
  T,
  never,
  O & { readOnly: true }
> {
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
  toRepresentation(value: unknown, _c: SerializerContext): T {
    return value as T;
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

  constructor(output?: S, options: MethodFieldOptions = {}) {
    super({ readOnly: true, label: options.label, helpText: options.helpText } as { readOnly: true });
    this.output = output;
    this.methodOptions = options;
  }
  get methodName(): string {
    return this.methodOptions.methodName ?? `get_${this.fieldName}`;
  }
  override bind(fieldName: string): this {
    const b = super.bind(fieldName);
    b.sourceAttrs = [];
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

/** JSON Schema of a valibot schema (the subset method fields use: primitives, objects, arrays, unions). */
export function valibotJsonSchema(schema: v.GenericSchema): JsonSchema {
  const s = schema as v.GenericSchema & {
    type: string;
    wrapped?: v.GenericSchema;
    item?: v.GenericSchema;
    entries?: Record<string, v.GenericSchema>;
    options?: v.GenericSchema[] | unknown[];
    literal?: unknown;
    pipe?: unknown[];
  };
  switch (s.type) {
    case "string":
      return { type: "string" };
    case "number":
      return {
        type: (s.pipe ?? []).some((p) => (p as { type?: string }).type === "integer") ? "integer" : "number",
      };
    case "boolean":
      return { type: "boolean" };
    case "null":
      return { type: "null" };
    case "literal":
      return { const: s.literal };
    case "picklist":
      return { enum: s.options };
    case "nullable":
    case "nullish": {
      const inner = valibotJsonSchema(s.wrapped!);
      return { anyOf: [inner, { type: "null" }] };
    }
    case "optional":
      return valibotJsonSchema(s.wrapped!);
    case "array":
      return { type: "array", items: valibotJsonSchema(s.item!) };
    case "object":
    case "loose_object":
    case "strict_object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [k, e] of Object.entries(s.entries ?? {})) {
        properties[k] = valibotJsonSchema(e);
        if (!["optional", "nullish", "exact_optional"].includes((e as { type: string }).type))
          required.push(k);
      }
      return { type: "object", properties, required };
    }
    case "union":
      return { anyOf: (s.options as v.GenericSchema[]).map(valibotJsonSchema) };
    default:
      return {};
  }
}
