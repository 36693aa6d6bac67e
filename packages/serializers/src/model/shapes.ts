// Types of a ModelSerializer's `data` and `validatedData`, from the model instance type, the
// `fields` list and the declared fields.
import type { InstanceBase, Field as ModelField } from "@x/models";
import type { FieldMap, ReadShape, Simplify, WriteShape } from "../serializer/types.js";

type Inst<M> = M extends abstract new (...args: never[]) => infer I ? I : Record<string, unknown>;

/** How a model value is rendered: datetimes as text, related objects as their pk. */
type Rep<V> = V extends Date ? string : V extends { pk: infer P } ? P : V;
type RepOf<V> = null extends V ? Rep<NonNullable<V>> | null : Rep<V>;

type ModelReadValue<I, K extends string> = `${K}_id` extends keyof I
  ? I[`${K}_id`]
  : K extends keyof I
    ? RepOf<I[K]>
    : unknown;

type Names<L> = L extends readonly (infer N)[] ? N & string : never;

export type ModelRead<M, L, D extends FieldMap> = L extends readonly string[]
  ? Simplify<
      { -readonly [K in Exclude<Names<L>, keyof D>]: ModelReadValue<Inst<M>, K> } & {
        // an untyped declared field (`new ReadOnlyField()`) takes the model attribute's type
        [K in keyof ReadShape<D> & Names<L>]: unknown extends ReadShape<D>[K]
          ? ModelReadValue<Inst<M>, K & string>
          : ReadShape<D>[K];
      }
    >
  : Record<string, unknown>;

/** `<fk>_id` in fields writes the related object; other names their own value. */
type ModelWriteValue<I, K extends string> = K extends `${infer F}_id`
  ? F extends keyof I
    ? I[F]
    : K extends keyof I
      ? I[K]
      : unknown
  : K extends keyof I
    ? I[K]
    : unknown;

type FieldsOf<M> = M extends { readonly prototype: InstanceBase<infer F> } ? F : never;

/** The model field a serializer field name writes: `category_id` writes `category`. */
type ModelKey<M, K extends string> = K extends `${infer F}_id` ? (F extends keyof FieldsOf<M> ? F : K) : K;

/**
 * Whether a model field may be left out of input: @x/models' optional flag (a default, `blank`,
 * `null`, auto dates) is DRF's `required=False` rule. Unknown names (properties) are optional.
 */
type OptionalIn<M, K extends string> =
  ModelKey<M, K> extends keyof FieldsOf<M>
    ? FieldsOf<M>[ModelKey<M, K>] extends ModelField<unknown, infer O, boolean>
      ? O
      : true
    : true;

type WriteNames<L, D extends FieldMap, RO extends readonly string[]> = Exclude<
  Names<L>,
  keyof D | RO[number] | "id" | "pk" | "url"
>;

/** validatedData of a ModelSerializer: model fields required as the model requires them, plus the declared fields. */
export type ModelWrite<M, L, D extends FieldMap, RO extends readonly string[]> = L extends readonly string[]
  ? Simplify<
      {
        -readonly [K in WriteNames<L, D, RO> as OptionalIn<M, K> extends false
          ? ModelKey<M, K>
          : never]: ModelWriteValue<Inst<M>, K>;
      } & {
        -readonly [K in WriteNames<L, D, RO> as OptionalIn<M, K> extends false
          ? never
          : ModelKey<M, K>]?: ModelWriteValue<Inst<M>, K>;
      } & Pick<WriteShape<D>, keyof WriteShape<D>>
    >
  : Record<string, unknown>;
