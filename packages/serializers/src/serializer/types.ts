// Type-level plumbing: what `data` and `validatedData` look like for a map of declared fields.
import type { Field } from "../fields/field.js";

// biome-ignore lint/suspicious/noExplicitAny: any field type may be declared
export type AnyField = Field<any, any, any>;
export type FieldMap = { readonly [name: string]: AnyField };

export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Opts<F extends AnyField> = F["__opts"];
type IsReadOnly<F extends AnyField> = Opts<F> extends { readOnly: true } ? true : false;
type IsWriteOnly<F extends AnyField> = Opts<F> extends { writeOnly: true } ? true : false;
/** Nested serializers declared as fields: their options are not literal types, so they are optional in input. */
type IsNested<F extends AnyField> = F extends { readonly __nested: true } ? true : false;
type IsOptionalIn<F extends AnyField> =
  IsNested<F> extends true
    ? true
    : Opts<F> extends { required: false }
      ? true
      : Opts<F> extends { default: unknown }
        ? true
        : false;
type Nullable<F extends AnyField, T> = Opts<F> extends { allowNull: true } ? T | null : T;

/** The key a field writes in validatedData: its source when it renames (`source: "author"`). */
type WriteKey<K, F extends AnyField> =
  Opts<F> extends { source: infer S extends string } ? (S extends "*" | `${string}.${string}` ? K : S) : K;

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
