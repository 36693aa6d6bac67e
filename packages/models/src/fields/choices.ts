// TextChoices / IntegerChoices: Django's enumeration types as frozen objects.

type ChoiceSpec<V> = Record<string, readonly [V, string] | V>;

type Values<S, V> = {
  readonly [K in keyof S]: S[K] extends readonly [infer X, string] ? X : S[K] extends V ? S[K] : never;
};

export type Choices<S, V> = Values<S, V> & {
  readonly choices: readonly (readonly [Values<S, V>[keyof S], string])[];
  readonly values: readonly Values<S, V>[keyof S][];
  readonly labels: readonly string[];
  readonly names: readonly (keyof S & string)[];
  /** the label of a value (Django's `Choices(value).label`) */
  label(value: unknown): string | undefined;
};

function humanize(name: string): string {
  const s = name.replace(/_/g, " ").toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function build<V, const S extends ChoiceSpec<V>>(spec: S): Choices<S, V> {
  const out: Record<string, unknown> = {};
  const choices: [unknown, string][] = [];
  for (const [name, v] of Object.entries(spec)) {
    const [value, label] = Array.isArray(v) ? (v as [V, string]) : [v, humanize(name)];
    out[name] = value;
    choices.push([value, label]);
  }
  Object.assign(out, {
    choices,
    values: choices.map((c) => c[0]),
    labels: choices.map((c) => c[1]),
    names: Object.keys(spec),
    label: (value: unknown) => choices.find((c) => c[0] === value)?.[1],
  });
  return Object.freeze(out) as Choices<S, V>;
}

/** `TextChoices({ ELECTRONICS: ["ELEC", "Electronics"], BOOKS: "BOOK" })` */
export function TextChoices<const S extends ChoiceSpec<string>>(spec: S): Choices<S, string> {
  return build<string, S>(spec);
}

/** `IntegerChoices({ LOW: [1, "Low"], HIGH: [3, "High"] })` */
export function IntegerChoices<const S extends ChoiceSpec<number>>(spec: S): Choices<S, number> {
  return build<number, S>(spec);
}
