// ChoiceField and MultipleChoiceField: choices as values, [value, label] pairs or a {value: label} map.
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { parseStep } from "./messages.js";
import { pythonType } from "./python.js";
import { enumType } from "./special.js";

export type ChoiceValue = string | number | boolean;
export type Choices =
  | readonly ChoiceValue[]
  | readonly (readonly [ChoiceValue, string])[]
  | Readonly<Record<string, string>>;

export interface ChoiceFieldOptions extends FieldOptions {
  choices: Choices;
  allowBlank?: boolean;
}

type ChoiceOf<C> = C extends readonly (infer E)[]
  ? E extends readonly [infer V, string]
    ? V
    : E
  : C extends Readonly<Record<infer K, string>>
    ? K
    : ChoiceValue;

/** `[value, label]` pairs of any choices spelling. */
export function choicePairs(choices: Choices): [ChoiceValue, string][] {
  if (Array.isArray(choices))
    return (choices as readonly (ChoiceValue | readonly [ChoiceValue, string])[]).map((c) =>
      Array.isArray(c) ? [c[0] as ChoiceValue, String(c[1])] : [c as ChoiceValue, String(c)],
    );
  return Object.entries(choices as Record<string, string>);
}

export class ChoiceField<const O extends ChoiceFieldOptions = ChoiceFieldOptions> extends Field<
  ChoiceOf<O["choices"]>,
  ChoiceOf<O["choices"]>,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  /** str(value) → value: DRF matches choices on their text, so 1 and "1" are the same choice. */
  protected byString = new Map<string, ChoiceValue>();

  constructor(options: O) {
    super(options);
    for (const [value] of choicePairs(options.choices)) this.byString.set(String(value), value);
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid_choice: '"{input}" is not a valid choice.' };
  }
  get choices(): [ChoiceValue, string][] {
    return choicePairs(this.options.choices);
  }
  protected buildSchema(): v.GenericSchema<unknown, ChoiceOf<O["choices"]>> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown) => this.choose(data) as ChoiceOf<O["choices"]>),
    );
  }
  protected choose(data: unknown): ChoiceValue {
    if (data === "" && this.options.allowBlank) return "";
    const found = this.byString.get(String(data));
    if (found === undefined || (typeof data === "object" && data !== null))
      return this.fail("invalid_choice", { input: data });
    return found;
  }
  toRepresentation(value: unknown, _c: SerializerContext): ChoiceOf<O["choices"]> {
    if (value === "" && this.options.allowBlank) return "" as ChoiceOf<O["choices"]>;
    return (this.byString.get(String(value)) ?? value) as ChoiceOf<O["choices"]>;
  }
  protected override typeSchema(): JsonSchema {
    return choiceSchema(this.choices, this.options.allowBlank === true);
  }
}

export interface MultipleChoiceFieldOptions extends ChoiceFieldOptions {
  allowEmpty?: boolean;
}

export class MultipleChoiceField<
  const O extends MultipleChoiceFieldOptions = MultipleChoiceFieldOptions,
> extends Field<ChoiceOf<O["choices"]>[], ChoiceOf<O["choices"]>[], O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  private single: ChoiceField;
  constructor(options: O) {
    super(options);
    this.single = new ChoiceField({ choices: options.choices, allowBlank: options.allowBlank ?? false });
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid_choice: '"{input}" is not a valid choice.',
      not_a_list: 'Expected a list of items but got type "{input_type}".',
      empty: "This selection may not be empty.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, ChoiceOf<O["choices"]>[]> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown) => {
        if (!Array.isArray(data)) return this.fail("not_a_list", { input_type: pythonType(data) });
        if (data.length === 0 && this.options.allowEmpty === false) this.fail("empty");
        const out = new Set<ChoiceValue>();
        for (const item of data) {
          const found = this.single.toRepresentation(item, {});
          if (!this.single.choices.some(([c]) => String(c) === String(item)))
            this.fail("invalid_choice", { input: item });
          out.add(found as ChoiceValue);
        }
        return [...out] as ChoiceOf<O["choices"]>[];
      }),
    );
  }
  toRepresentation(value: unknown, c: SerializerContext): ChoiceOf<O["choices"]>[] {
    const items = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
    return items.map((x) => this.single.toRepresentation(x, c)) as ChoiceOf<O["choices"]>[];
  }
  protected override typeSchema(): JsonSchema {
    return {
      type: "array",
      items: choiceSchema(this.single.choices, this.options.allowBlank === true),
      uniqueItems: true,
    };
  }
}

/**
 * `enum` of the values (typed when they share a JSON type) with their labels, the way
 * drf-spectacular writes them: `x-enum-descriptions` (parallel to `enum`, read by code
 * generators) and a Markdown list in `description` (what Swagger UI shows).
 */
function choiceSchema(choices: readonly [ChoiceValue, string][], allowBlank: boolean): JsonSchema {
  const values: ChoiceValue[] = choices.map(([value]) => value);
  const labels = choices.map(([, label]) => label);
  if (allowBlank && !values.includes("")) {
    values.push("");
    labels.push("");
  }
  const type = enumType(values);
  return {
    ...(type ? { type } : {}),
    enum: values,
    "x-enum-descriptions": labels,
    description: choices.map(([value, label]) => `* \`${value}\` - ${label}`).join("\n"),
  };
}
