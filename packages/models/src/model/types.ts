// Type-level machinery: rows, create inputs and filter keys inferred from field specs.
import type { MultipleObjectsReturned, ObjectDoesNotExist } from "../errors.js";
import type {
  Field,
  FieldMeta,
  Fields,
  IsPk,
  ManyToManyRelField,
  NullableOf,
  OptionalOf,
  RelationField,
  TargetOf,
  ValueOf,
} from "../fields/types.js";
import type { Expression } from "../query/expressions.js";
import type { QuerySet } from "../query/queryset.js";
import type { RelatedManager } from "./related-manager.js";

export interface IndexSpec {
  fields: readonly string[];
  name?: string;
}
export interface UniqueConstraintSpec {
  kind: "unique";
  fields: readonly string[];
  name: string;
}
export interface CheckConstraintSpec {
  kind: "check";
  /** a filter (as in .filter()) that every row must satisfy */
  check: Record<string, unknown>;
  name: string;
}
export type ConstraintSpec = UniqueConstraintSpec | CheckConstraintSpec;

export interface MetaOptions {
  dbTable?: string;
  ordering?: readonly string[];
  indexes?: readonly IndexSpec[];
  uniqueTogether?: readonly (readonly string[])[];
  constraints?: readonly ConstraintSpec[];
  verboseName?: string;
  verboseNamePlural?: string;
  /** proxy model: same table as the parent given in `extends` */
  proxy?: boolean;
}

export interface ReverseRelation {
  /** accessor name on the target instance, e.g. "books" */
  name: string;
  /** the model holding the ForeignKey / M2M */
  relatedModel: AnyModel;
  field: FieldMeta;
  multiple: boolean;
}

export interface ModelMeta {
  label: string;
  appLabel: string;
  modelName: string;
  objectName: string;
  dbTable: string;
  pk: FieldMeta;
  /** concrete fields (with columns) in definition order, bases first; a multi-table child includes its parents' */
  fields: FieldMeta[];
  /** the concrete fields stored in this model's own table (DDL uses these) */
  localFields: FieldMeta[];
  /** multi-table inheritance: direct parent model → the child's one-to-one parent link */
  parents: Map<AnyModel, FieldMeta>;
  manyToMany: FieldMeta[];
  /** concrete + many-to-many, in definition order */
  allFields: FieldMeta[];
  relatedObjects: ReverseRelation[];
  getField(name: string): FieldMeta;
  ordering: readonly string[];
  indexes: readonly IndexSpec[];
  uniqueTogether: readonly (readonly string[])[];
  constraints: readonly ConstraintSpec[];
  verboseName: string;
  verboseNamePlural: string;
  abstract: false;
  proxy: boolean;
  /** automatic M2M join table models are hidden from app listings */
  autoCreated: boolean;
  concreteModel: AnyModel;
}

// biome-ignore lint/suspicious/noExplicitAny: the erased model type every package handles generically
export type AnyInstance = InstanceBase<any> & Record<string, any>;

export interface AnyModel {
  // biome-ignore lint/suspicious/noExplicitAny: constructor input of an erased model
  new (data?: any): AnyInstance;
  readonly meta: ModelMeta;
  // biome-ignore lint/suspicious/noExplicitAny: erased manager
  readonly objects: QuerySet<AnyInstance, any>;
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type HasPk<F> = true extends { [K in keyof F]: IsPk<F[K]> }[keyof F] ? true : false;
/** The fields plus Django's automatic `id` when no field is the primary key. */
export type WithPk<F> = HasPk<F> extends true ? F : { id: Field<number, true, true> } & F;

type PkKey<F> = { [K in keyof F]: IsPk<F[K]> extends true ? K : never }[keyof F];
export type PkValue<F> = HasPk<F> extends true ? ValueOf<F[PkKey<F>]> : number;

type IsFk<X> = X extends { relation: "fk" } ? true : false;
type IsM2M<X> = X extends { relation: "m2m" } ? true : false;

/** Instance type of a relation target. */
export type RelatedInstance<T> = T extends "self"
  ? AnyInstance
  : T extends abstract new (
        // biome-ignore lint/suspicious/noExplicitAny: matching any constructor signature
        ...args: any
      ) => infer I
    ? I
    : AnyInstance;
type RelatedPk<T> = RelatedInstance<T> extends { pk: infer P } ? P : number | string;

type ScalarKeys<F> = {
  [K in keyof F]: IsFk<F[K]> extends true ? never : IsM2M<F[K]> extends true ? never : K;
}[keyof F];
type FkKeys<F> = { [K in keyof F]: IsFk<F[K]> extends true ? K : never }[keyof F];
type M2MKeys<F> = { [K in keyof F]: IsM2M<F[K]> extends true ? K : never }[keyof F];

type NullIf<V, N> = N extends true ? V | null : V;

/** The stored values of an instance (what `values()` returns). */
export type RowOf<F> = { -readonly [K in ScalarKeys<F>]: ValueOf<F[K]> } & {
  -readonly [K in FkKeys<F> & string as `${K}_id`]: NullIf<RelatedPk<TargetOf<F[K]>>, NullableOf<F[K]>>;
};

type RelationProps<F> = {
  -readonly [K in FkKeys<F>]: NullIf<RelatedInstance<TargetOf<F[K]>>, NullableOf<F[K]>>;
} & {
  readonly [K in M2MKeys<F>]: RelatedManager<RelatedInstance<TargetOf<F[K]>>>;
};

export type FieldName<F> = keyof F & string;

export interface SaveOptions<F> {
  updateFields?: readonly FieldName<F>[];
  forceInsert?: boolean;
  forceUpdate?: boolean;
}

/** Methods every instance has. */
export interface InstanceBase<F> {
  /** the primary key value */
  pk: PkValue<F>;
  save(options?: SaveOptions<F>): Promise<void>;
  delete(): Promise<[number, Record<string, number>]>;
  refreshFromDb(options?: { fields?: readonly FieldName<F>[] }): Promise<void>;
  fullClean(options?: { exclude?: readonly string[]; validateUnique?: boolean }): Promise<void>;
  cleanFields(options?: { exclude?: readonly string[] }): void;
  clean(): void | Promise<void>;
  validateUnique(options?: { exclude?: readonly string[] }): Promise<void>;
  /** Django's get_FOO_display() */
  getDisplay(field: FieldName<F>): string;
  /** load a forward relation (ForeignKey/OneToOne) that was not selectRelated */
  fetchRelated(...names: FieldName<F>[]): Promise<void>;
  /** a reverse relation manager (`author.related<typeof Book>("books")`), or a declared M2M */
  related<M = AnyModel>(name: string): RelatedManager<RelatedInstance<M>>;
  toString(): string;
}

export type Instance<F, M> = Simplify<RowOf<F>> & RelationProps<F> & M & InstanceBase<F>;

/** create()/constructor input: required fields are those without a default that are not nullable. */
type RequiredKeys<F> = {
  [K in ScalarKeys<F> | FkKeys<F>]: OptionalOf<F[K]> extends true ? never : K;
}[ScalarKeys<F> | FkKeys<F>];
type OptionalKeys<F> = Exclude<ScalarKeys<F> | FkKeys<F>, RequiredKeys<F>>;

type InputValue<F, K extends keyof F> =
  IsFk<F[K]> extends true
    ? NullIf<RelatedInstance<TargetOf<F[K]>>, NullableOf<F[K]>>
    : ValueOf<F[K]> | Expression;

type FkIdInput<F> = {
  [K in FkKeys<F> & string as `${K}_id`]?: NullIf<RelatedPk<TargetOf<F[K]>>, NullableOf<F[K]>>;
};

/**
 * Required scalar keys must be given; a required ForeignKey may be given as
 * the instance (`author`) or the id (`author_id`), so it is typed optional.
 */
export type CreateInput<F> = string extends keyof F
  ? Record<string, unknown>
  : Simplify<
      { [K in keyof F as K extends RequiredKeys<F> & ScalarKeys<F> ? K : never]: InputValue<F, K> } & {
        [K in keyof F as K extends OptionalKeys<F> | (RequiredKeys<F> & FkKeys<F>) ? K : never]?: InputValue<
          F,
          K
        >;
      } & FkIdInput<F> & { pk?: PkValue<F> }
    >;

export type UpdateInput<F> = string extends keyof F
  ? Record<string, unknown>
  : Simplify<
      { [K in keyof F as K extends ScalarKeys<F> | FkKeys<F> ? K : never]?: InputValue<F, K> } & FkIdInput<F>
    >;

export type Lookup =
  | "exact"
  | "iexact"
  | "contains"
  | "icontains"
  | "in"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "startswith"
  | "istartswith"
  | "endswith"
  | "iendswith"
  | "range"
  | "isnull"
  | "year"
  | "month"
  | "day"
  | "regex"
  | "iregex";

/** Any QuerySet used as a subquery (`pk__in: qs`). */
export type SubqueryLike = Pick<QuerySet<unknown, Fields>, "compileSubquery" | "model">;

type LookupValue<V, L> = L extends "in"
  ? readonly NonNullable<V>[] | SubqueryLike
  : L extends "range"
    ? readonly [NonNullable<V>, NonNullable<V>]
    : L extends "isnull"
      ? boolean
      : L extends "year" | "month" | "day"
        ? number
        : L extends "regex" | "iregex" | "iexact" | "icontains" | "istartswith" | "iendswith"
          ? string
          : L extends "exact"
            ? V | Expression
            : NonNullable<V> | Expression;

type DatePart = "year" | "month" | "day";
type PartLookup = "exact" | "gt" | "gte" | "lt" | "lte" | "in";

type ScalarFilter<F> = {
  [K in ScalarKeys<F> & string]?: ValueOf<F[K]> | Expression;
} & {
  [P in `${ScalarKeys<F> & string}__${Lookup}`]?: P extends `${infer K}__${infer L}`
    ? K extends keyof F
      ? LookupValue<ValueOf<F[K]>, L>
      : never
    : never;
} & {
  [P in `${ScalarKeys<F> & string}__${DatePart}__${PartLookup}`]?: P extends `${string}__${string}__in`
    ? readonly number[]
    : number;
};

type FkFilter<F> = {
  [K in FkKeys<F> & string]?: RelatedInstance<TargetOf<F[K]>> | RelatedPk<TargetOf<F[K]>> | null | Expression;
} & {
  [K in FkKeys<F> & string as `${K}_id`]?: RelatedPk<TargetOf<F[K]>> | null | Expression;
} & {
  // lookups across relations are checked at run time
  [K in `${(FkKeys<F> | M2MKeys<F>) & string}__${string}`]?: unknown;
};

/** Filter keywords: every field, `field__lookup`, `pk`, and relation paths (loosely typed). */
export type FilterOf<F> = string extends keyof F ? Record<string, unknown> : TypedFilter<F>;

type TypedFilter<F> = ScalarFilter<F> &
  FkFilter<F> & {
    pk?: PkValue<F> | Expression;
    pk__in?: readonly PkValue<F>[] | SubqueryLike;
  } & { [K in M2MKeys<F> & string]?: unknown } & {
    // reverse relations (`books__title`) are not known to the model's type: checked at run time
    [K in `${string}__${string}`]?: unknown;
  };

/** Filter keywords for a model class. */
export type FilterFor<M> = M extends { readonly prototype: InstanceBase<infer F> } ? FilterOf<F> : never;

/** Instance type of a model class: `InstanceOf<typeof Product>`. */
export type InstanceOf<M> = M extends abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: matching any constructor signature
  ...args: any
) => infer I
  ? I
  : never;

/** Order keys: `field`, `-field`, `?` is not supported; relation paths loosely. */
export type OrderKey<F> =
  | FieldName<F>
  | `-${FieldName<F>}`
  | "pk"
  | "-pk"
  | `${FieldName<F>}_id`
  | `-${FieldName<F>}_id`
  | `${FkKeys<F> & string}__${string}`
  | `-${FkKeys<F> & string}__${string}`;

export type UnionToIntersectionOf<U> = UnionToIntersection<U>;
export type SimplifyOf<T> = Simplify<T>;
export type { Fields };
export type ManyToManyOf<T> = ManyToManyRelField<T>;
export type RelationOf<T, N extends boolean> = RelationField<T, N>;
