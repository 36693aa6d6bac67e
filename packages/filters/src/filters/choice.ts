import { allOf, anyOf, type Condition, lookupKey, lookups } from "../condition.js";
import { messages } from "../messages.js";
import type { FieldLike } from "../ports.js";
import type { Parsed } from "../values/parse.js";
import {
  baseFilter,
  describe,
  type Filter,
  type FilterOptions,
  failure,
  lastValue,
  requireIfNeeded,
  skip,
} from "./filter.js";

/** `[value, label]` pairs, or a TextChoices/IntegerChoices object from @x/models. */
export type Choices =
  | ReadonlyArray<readonly [unknown, unknown]>
  | { readonly choices: ReadonlyArray<readonly [unknown, unknown]> };

export interface ChoiceOptions<V, QS> extends FilterOptions<V, QS> {
  /** Defaults to the model field's choices. */
  choices?: Choices;
}

function pairs(choices: Choices | undefined): ReadonlyArray<readonly [unknown, unknown]> {
  if (!choices) return [];
  return "choices" in choices ? choices.choices : choices;
}

/** Django's ChoiceField: the raw text must equal a choice value's text; the choice value is returned. */
function choiceParser(choices: ReadonlyArray<readonly [unknown, unknown]>) {
  const byText = new Map(choices.map(([value]) => [String(value), value]));
  return (raw: string): Parsed<unknown> => {
    const text = raw.trim();
    if (text === "") return skip;
    return byText.has(text) ? { ok: true, value: byText.get(text) } : failure(messages.invalidChoice(text));
  };
}

function enumSchema(choices: ReadonlyArray<readonly [unknown, unknown]>): Record<string, unknown> {
  const values = choices.map(([value]) => value);
  return { type: values.every((value) => typeof value === "number") ? "integer" : "string", enum: values };
}

/** django-filter's ChoiceFilter. */
export function choiceFilter<V = unknown, QS = never>(options: ChoiceOptions<V, QS> = {}): Filter<V, QS> {
  const base = baseFilter("ChoiceFilter", options);
  const choices = pairs(options.choices);
  const parseOne = choiceParser(choices) as (raw: string) => Parsed<V>;
  return {
    ...base,
    params: (name) => [name],
    parseOne,
    clean(data, name) {
      const raw = lastValue(data, name);
      return requireIfNeeded(raw === undefined ? skip : parseOne(raw), base.required);
    },
    condition: (path, value) => lookups({ [lookupKey(path, base.lookupExpr)]: value }),
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText),
        schema: enumSchema(choices),
      },
    ],
    bind: (field: FieldLike | undefined) =>
      options.choices || !field?.choices
        ? choiceFilter(options)
        : choiceFilter({ ...options, choices: field.choices }),
  };
}

export interface MultipleChoiceOptions<V, QS> extends ChoiceOptions<V[], QS> {
  /** AND the values (each must match, as separate filter() calls) instead of OR-ing them. */
  conjoined?: boolean;
}

/** django-filter's MultipleChoiceFilter: repeated parameters (`?status=a&status=b`), OR-ed by default. */
export function multipleChoiceFilter<V = unknown, QS = never>(
  options: MultipleChoiceOptions<V, QS> = {},
): Filter<V[], QS> {
  const base = { ...baseFilter("MultipleChoiceFilter", options), distinct: options.distinct ?? true };
  const choices = pairs(options.choices);
  const parseChoice = choiceParser(choices);
  const parseMany = (raws: string[]): Parsed<V[]> => {
    const values: unknown[] = [];
    for (const raw of raws) {
      const parsed = parseChoice(raw);
      if (parsed.ok) values.push(parsed.value);
      else if (!parsed.skip) return parsed;
    }
    return values.length ? { ok: true, value: values as V[] } : skip;
  };
  return {
    ...base,
    params: (name) => [name],
    parseOne: (raw) => parseMany([raw]),
    clean: (data, name) => requireIfNeeded(parseMany(data.getAll(name)), base.required),
    condition(path, values): Condition {
      const parts = values.map((value) => lookups({ [lookupKey(path, base.lookupExpr)]: value }));
      return options.conjoined ? allOf(parts) : anyOf(parts);
    },
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText),
        schema: { type: "array", items: enumSchema(choices) },
        style: "form",
        explode: true,
      },
    ],
    bind: (field: FieldLike | undefined) =>
      options.choices || !field?.choices
        ? multipleChoiceFilter(options)
        : multipleChoiceFilter({ ...options, choices: field.choices }),
  };
}
