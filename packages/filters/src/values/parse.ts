import * as v from "valibot";

/** Outcome of parsing one raw query value: a value, "not filtering" (`skip`), or a message. */
export type Parsed<V> =
  | { ok: true; value: V }
  | { ok: false; skip: true }
  | { ok: false; skip: false; message: string };

/** A valibot schema from the raw query string to a filter value; `undefined` output means "ignore". */
export type ValueSchema<V> = v.GenericSchema<string, V | undefined>;

export function parseValue<V>(schema: ValueSchema<V>, raw: string): Parsed<V> {
  const result = v.safeParse(schema, raw);
  if (!result.success) return { ok: false, skip: false, message: result.issues[0].message };
  if (result.output === undefined) return { ok: false, skip: true };
  return { ok: true, value: result.output };
}

/** A schema that runs `convert` on the trimmed input and reports `message` when it returns null. */
export function convertingSchema<V>(
  message: string,
  convert: (text: string) => V | null | undefined,
): ValueSchema<V> {
  return v.pipe(
    v.string(),
    v.trim(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const out = convert(dataset.value);
      if (out === null) {
        addIssue({ message });
        return NEVER;
      }
      return out;
    }),
  );
}
