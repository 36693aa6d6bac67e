// The runtime description of a field (FieldMeta) and the phantom-typed field
// specs that field constructors return; defineModel binds specs to names.
import type { AnyModel } from "../model/types.js";

export type FieldType =
  | "AutoField"
  | "BigAutoField"
  | "SmallAutoField"
  | "CharField"
  | "TextField"
  | "SlugField"
  | "EmailField"
  | "URLField"
  | "UUIDField"
  | "IntegerField"
  | "BigIntegerField"
  | "SmallIntegerField"
  | "PositiveIntegerField"
  | "PositiveSmallIntegerField"
  | "PositiveBigIntegerField"
  | "FloatField"
  | "DecimalField"
  | "BooleanField"
  | "DateField"
  | "DateTimeField"
  | "TimeField"
  | "DurationField"
  | "JSONField"
  | "ArrayField"
  | "FileField"
  | "ImageField"
  | "ForeignKey"
  | "OneToOneField"
  | "ManyToManyField";

/** How values are stored; several Django field types share one storage kind. */
export type StorageKind =
  | "auto"
  | "integer"
  | "float"
  | "decimal"
  | "string"
  | "uuid"
  | "boolean"
  | "date"
  | "datetime"
  | "time"
  | "duration"
  | "json"
  | "array"
  | "relation"
  | "m2m";

export type OnDelete = "CASCADE" | "PROTECT" | "RESTRICT" | "SET_NULL" | "SET_DEFAULT" | "DO_NOTHING";
export const CASCADE: OnDelete = "CASCADE";
export const PROTECT: OnDelete = "PROTECT";
export const RESTRICT: OnDelete = "RESTRICT";
export const SET_NULL: OnDelete = "SET_NULL";
export const SET_DEFAULT: OnDelete = "SET_DEFAULT";
export const DO_NOTHING: OnDelete = "DO_NOTHING";

/** A validator receives the value and throws ValidationError. */
export type Validator = (value: unknown) => void;

export type Choice = readonly [value: string | number, label: string];

/** The field description every package reads (serializers, filters, migrations, OpenAPI). */
export interface FieldMeta {
  name: string;
  attname: string;
  column: string;
  type: FieldType;
  storage: StorageKind;
  /** the model this field belongs to (set by defineModel) */
  model: AnyModel;
  maxLength: number | undefined;
  maxDigits: number | undefined;
  decimalPlaces: number | undefined;
  null: boolean;
  blank: boolean;
  hasDefault: boolean;
  getDefault(): unknown;
  unique: boolean;
  dbIndex: boolean;
  choices: readonly Choice[] | undefined;
  validators: readonly Validator[];
  editable: boolean;
  primaryKey: boolean;
  autoNow: boolean;
  autoNowAdd: boolean;
  helpText: string;
  verboseName: string;
  /** false for ManyToManyField (no column on this table) */
  concrete: boolean;
  isRelation: boolean;
  manyToOne: boolean;
  oneToOne: boolean;
  manyToMany: boolean;
  relatedModel: (() => AnyModel) | undefined;
  relatedName: string | undefined;
  onDelete: OnDelete | undefined;
  /** M2M: the through model (automatic or user-given) */
  through: (() => AnyModel) | undefined;
  /** ArrayField: the element field */
  baseField: FieldMeta | undefined;
  /** File/Image: upload_to pattern */
  uploadTo: string | undefined;
}

/** What a field constructor produces before defineModel gives it a name. */
export type FieldSpec = Omit<
  FieldMeta,
  "name" | "attname" | "column" | "model" | "relatedModel" | "through"
> & {
  dbColumn: string | undefined;
  /** relation target: a thunk, a "app.Model" label, or "self" */
  target: (() => AnyModel) | string | undefined;
  throughTarget: (() => AnyModel) | string | undefined;
};

declare const phantom: unique symbol;

/**
 * A field spec with its TypeScript value type `V`, whether it may be omitted
 * on create `O`, and whether it is the primary key `P`.
 */
export interface Field<V = unknown, O extends boolean = boolean, P extends boolean = boolean> {
  readonly spec: FieldSpec;
  readonly [phantom]?: { value: V; optional: O; pk: P };
}

/** ForeignKey / OneToOneField: T is the target model (or "self"). */
export interface RelationField<T, N extends boolean, O extends boolean = boolean>
  extends Field<unknown, O, false> {
  readonly relation: "fk";
  readonly [phantom]?: { value: unknown; optional: O; pk: false; target: T; nullable: N };
}

export interface ManyToManyRelField<T> extends Field<unknown, true, false> {
  readonly relation: "m2m";
  readonly [phantom]?: { value: unknown; optional: true; pk: false; target: T; nullable: false };
}

export type AnyField = Field<unknown, boolean, boolean>;
export type Fields = Record<string, AnyField>;

export type ValueOf<F> = F extends { readonly [phantom]?: { value: infer V } } ? V : never;
export type OptionalOf<F> = F extends { readonly [phantom]?: { optional: infer O } } ? O : never;
export type IsPk<F> = F extends { readonly [phantom]?: { pk: true } } ? true : false;
export type TargetOf<F> = F extends { readonly [phantom]?: { target: infer T } } ? T : never;
export type NullableOf<F> = F extends { readonly [phantom]?: { nullable: infer N } } ? N : never;
