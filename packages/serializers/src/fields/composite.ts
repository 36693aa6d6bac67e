// ListField (child, errors keyed by index), DictField (child, errors keyed by key), JSONField.
import * as v from "valibot";
import type { RunState, SerializerContext } from "../context.js";
import { type ErrorDetail, ValidationError } from "../errors.js";
import { SKIP } from "./defaults.js";
import { Field, type FieldOptions, type JsonSchema, type SchemaMode } from "./field.js";
import { fieldSchema, parseStep, runSchema } from "./messages.js";
import { pythonType } from "./python.js";

// biome-ignore lint/suspicious/noExplicitAny: a child of any field type
type AnyField = Field<any, any, any>;
type NullableOut<F extends AnyField> = F["__opts"] extends { allowNull: true }
  ? F["__out"] | null
  : F["__out"];
type NullableIn<F extends AnyField> = F["__opts"] extends { allowNull: true } ? F["__in"] | null : F["__in"];

export interface ListFieldOptions<C extends AnyField> extends FieldOptions {
  child: C;
  allowEmpty?: boolean;
  minLength?: number;
  maxLength?: number;
}

/** Run a child on each entry; errors keyed by index/key as DRF does (`{"1": ["..."]}`). */
function runChildren(
  child: AnyField,
  entries: [string, unknown][],
  state: RunState,
  build: (values: [string, unknown][]) => unknown,
): unknown {
  const values: [string, unknown][] = [];
  const pending: Promise<void>[] = [];
  const detail: Record<string, ErrorDetail> = {};
  const codes: Record<string, ErrorDetail> = {};
  let failed = false;
  const onError = (key: string, e: unknown) => {
    if (!(e instanceof ValidationError)) throw e;
    failed = true;
    detail[key] = e.detail;
    codes[key] = e.codes;
  };
  for (const [key, item] of entries) {
    const slot: [string, unknown] = [key, undefined];
    values.push(slot);
    try {
      const r = child.runValidation(item === undefined ? null : item, state);
      if (r instanceof Promise)
        pending.push(
          r.then(
            (x) => {
              slot[1] = x;
            },
            (e) => onError(key, e),
          ),
        );
      else slot[1] = r;
    } catch (e) {
      onError(key, e);
    }
  }
  const finish = () => {
    if (failed) throw ValidationError.fromTree(detail, codes);
    return build(values.filter(([, x]) => x !== SKIP));
  };
  return pending.length ? Promise.all(pending).then(finish) : finish();
}

export class ListField<
  C extends AnyField,
  const O extends ListFieldOptions<C> = ListFieldOptions<C>,
> extends Field<NullableOut<C>[], NullableIn<C>[], O> {
  readonly child: C;
  constructor(options: O & ListFieldOptions<C>) {
    super(options);
    this.child = options.child.bind("");
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      not_a_list: 'Expected a list of items but got type "{input_type}".',
      empty: "This list may not be empty.",
      min_length: "Ensure this field has at least {min_length} elements.",
      max_length: "Ensure this field has no more than {max_length} elements.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, NullableIn<C>[]> {
    const { minLength, maxLength } = this.options;
    const steps: v.PipeItem<unknown[], unknown[], v.BaseIssue<unknown>>[] = [];
    if (maxLength !== undefined)
      steps.push(v.maxLength(maxLength, this.errorMessage("max_length", { max_length: maxLength })));
    if (minLength !== undefined)
      steps.push(v.minLength(minLength, this.errorMessage("min_length", { min_length: minLength })));
    return fieldSchema(
      parseStep((data: unknown): unknown[] => {
        if (!Array.isArray(data)) return this.fail("not_a_list", { input_type: pythonType(data) });
        if (data.length === 0 && this.options.allowEmpty === false) this.fail("empty");
        return data;
      }),
      steps,
    ) as v.GenericSchema<unknown, NullableIn<C>[]>;
  }
  override toInternalValue(data: unknown, state: RunState): NullableIn<C>[] | Promise<NullableIn<C>[]> {
    const list = runSchema(this.schema, data) as unknown[];
    const entries = list.map((x, i): [string, unknown] => [String(i), x]);
    return runChildren(this.child, entries, state, (vals) => vals.map(([, x]) => x)) as NullableIn<C>[];
  }
  toRepresentation(value: unknown, context: SerializerContext): NullableOut<C>[] | Promise<NullableOut<C>[]> {
    const items = value == null ? [] : Array.isArray(value) ? value : [...(value as Iterable<unknown>)];
    let async = false;
    const out = items.map((x) => {
      if (x == null) return null;
      const r = this.child.toRepresentation(x, context);
      if (r instanceof Promise) async = true;
      return r;
    });
    return (async ? Promise.all(out) : out) as NullableOut<C>[];
  }
  protected override typeSchema(mode: SchemaMode): JsonSchema {
    const s: JsonSchema = { type: "array", items: this.child.jsonSchema(mode) };
    if (this.options.minLength !== undefined) s.minItems = this.options.minLength;
    else if (this.options.allowEmpty === false) s.minItems = 1;
    if (this.options.maxLength !== undefined) s.maxItems = this.options.maxLength;
    return s;
  }
}

export interface DictFieldOptions<C extends AnyField> extends FieldOptions {
  child?: C;
  allowEmpty?: boolean;
}

export class DictField<
  C extends AnyField = JSONField,
  const O extends DictFieldOptions<C> = DictFieldOptions<C>,
> extends Field<Record<string, NullableOut<C>>, Record<string, NullableIn<C>>, O> {
  readonly child: AnyField;
  constructor(options?: O & DictFieldOptions<C>) {
    super(options);
    this.child = (options?.child ?? new JSONField({ allowNull: true })).bind("");
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      not_a_dict: 'Expected a dictionary of items but got type "{input_type}".',
      empty: "This dictionary may not be empty.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, Record<string, NullableIn<C>>> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown) => {
        if (typeof data !== "object" || data === null || Array.isArray(data))
          return this.fail("not_a_dict", { input_type: pythonType(data) });
        if (Object.keys(data).length === 0 && this.options.allowEmpty === false) this.fail("empty");
        return data as Record<string, NullableIn<C>>;
      }),
    );
  }
  override toInternalValue(
    data: unknown,
    state: RunState,
  ): Record<string, NullableIn<C>> | Promise<Record<string, NullableIn<C>>> {
    const dict = runSchema(this.schema, data);
    return runChildren(this.child, Object.entries(dict), state, (vals) => Object.fromEntries(vals)) as Record<
      string,
      NullableIn<C>
    >;
  }
  toRepresentation(
    value: unknown,
    context: SerializerContext,
  ): Record<string, NullableOut<C>> | Promise<Record<string, NullableOut<C>>> {
    const out: Record<string, unknown> = {};
    let pending: Promise<unknown>[] | null = null;
    for (const [k, x] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      const r = x == null ? null : this.child.toRepresentation(x, context);
      if (r instanceof Promise) {
        out[k] = null;
        pending ??= [];
        pending.push(
          r.then((y) => {
            out[k] = y;
          }),
        );
      } else out[k] = r;
    }
    const done = out as Record<string, NullableOut<C>>;
    return pending ? Promise.all(pending).then(() => done) : done;
  }
  protected override typeSchema(mode: SchemaMode): JsonSchema {
    return { type: "object", additionalProperties: this.child.jsonSchema(mode) };
  }
}

/** A JSON value (any shape); the model's JSONField maps here. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export class JSONField<const O extends FieldOptions = FieldOptions> extends Field<JsonValue, JsonValue, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "any" | null {
    return this.toRepresentation === JSONField.prototype.toRepresentation ? "any" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid: "Value must be valid JSON." };
  }
  protected buildSchema(): v.GenericSchema<unknown, JsonValue> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): JsonValue => {
        // what JSON.parse produced is valid by construction; reject what JSON cannot carry
        try {
          if (data === undefined || JSON.stringify(data) === undefined) this.fail("invalid");
        } catch {
          this.fail("invalid");
        }
        return data as JsonValue;
      }),
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): JsonValue {
    return value as JsonValue;
  }
  protected override typeSchema(): JsonSchema {
    return {};
  }
}
