// Type-level plumbing: what `data` and `validatedData` look like for a map of declared fields.
import type { Field } from "../fields/field.js";

// biome-ignore lint/suspicious/noExplicitAny: any field type may be declared
export type AnyField = Field<any, any, any>;
export type FieldMap = { readonly [name: string]: AnyField };

export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Opts<F extends AnyField> = F["__opts"];
/** The option is set (not merely declared optional) to exactly `V`. */
type OptionIs<O, K extends string, V> = K extends keyof O
  ? undefined extends O[K]
    ? false
    : O[K] extends V
      ? true
      : false
  : false;
type IsReadOnly<F extends AnyField> = OptionIs<Opts<F>, "readOnly", true>;
type IsWriteOnly<F extends AnyField> = OptionIs<Opts<F>, "writeOnly", true>;
/** Nested serializers declared as fields: their options are not literal types, so they are optional in input. */
type IsNested<F extends AnyField> = F extends { readonly __nested: true } ? true : false;
type IsOptionalIn<F extends AnyField> =
  IsNested<F> extends true
    ? true
    : OptionIs<Opts<F>, "required", false> extends true
      ? true
      : OptionIs<Opts<F>, "default", unknown>;
type Nullable<F extends AnyField, T> = OptionIs<Opts<F>, "allowNull", true> extends true ? T | null : T;

/** The key a field writes in validatedData: its source when it renames (`source: "author"`). */
type WriteKey<K, F extends AnyField> =
  OptionIs<Opts<F>, "source", string> extends true
    ? Opts<F>["source"] extends "*" | `${string}.${string}`
      ? K
      : Opts<F>["source"] & string
    : K;

export type ReadShape<F extends FieldMap> = Simplify<{
  -readonly [K in keyof F as IsWriteOnly<F[K]> extends true ? never : K]: Nullable<F[K], F[K]["__out"]>;
}>;

export type WriteShape<F extends FieldMap> = Simplify<
  {
    -readonly [K in keyof F as IsReadOnly<F[K]> extends true
      ? never
      : IsOptionalIn<F[K]> extends true
        ? never
        : WriteKey<K, F[K]>]: Nullable<F[K], F[K]["__in"]>;
  } & {
    -readonly [K in keyof F as IsReadOnly<F[K]> extends true
      ? never
      : IsOptionalIn<F[K]> extends true
        ? WriteKey<K, F[K]>
        : never]?: Nullable<F[K], F[K]["__in"]>;
  }
>;
