// Types of a ModelSerializer's `data` and `validatedData`, from the model instance type, the
// `fields` list and the declared fields.
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
        [K in keyof ReadShape<D> & Names<L>]: ReadShape<D>[K];
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

/** Written model fields are optional in the type: whether one is required is decided at run time from its FieldMeta. */
export type ModelWrite<M, L, D extends FieldMap, RO extends readonly string[]> = L extends readonly string[]
  ? Simplify<
      {
        -readonly [K in Exclude<
          Names<L>,
          keyof D | RO[number] | "id" | "pk" | "url"
        > as K extends `${infer F}_id` ? F : K]?: ModelWriteValue<Inst<M>, K>;
      } & Pick<WriteShape<D>, keyof WriteShape<D>>
    >
  : Record<string, unknown>;
