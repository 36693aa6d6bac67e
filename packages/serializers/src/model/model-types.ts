// The parts of @x/models' Model/FieldMeta that ModelSerializer reads (structural, so the
// serializer layer sees only what it uses).
import type { QuerySetLike } from "../relations/queryset.js";

export interface FieldMetaLike {
  name: string;
  attname: string;
  type: string;
  maxLength: number | undefined;
  maxDigits: number | undefined;
  decimalPlaces: number | undefined;
  null: boolean;
  blank: boolean;
  hasDefault: boolean;
  unique: boolean;
  choices: readonly (readonly [string | number, string])[] | undefined;
  validators: readonly ((value: unknown) => unknown)[];
  editable: boolean;
  primaryKey: boolean;
  autoNow: boolean;
  autoNowAdd: boolean;
  helpText: string;
  verboseName: string;
  isRelation: boolean;
  manyToOne: boolean;
  oneToOne: boolean;
  manyToMany: boolean;
  relatedModel: (() => ModelLike) | undefined;
  baseField?: FieldMetaLike | undefined;
  /** Django's error_messages (e.g. `unique`), when the model field sets them */
  errorMessages?: Readonly<Record<string, string>> | undefined;
  /** File/Image: Django's upload_to (a strftime pattern or a function) */
  uploadTo?: unknown;
}

export interface ReverseRelationLike {
  name: string;
  relatedModel: ModelLike;
  field: FieldMetaLike;
  multiple: boolean;
}

export interface ModelQuerySet<T = unknown> extends QuerySetLike<T> {
  filter(kwargs: Record<string, unknown>): ModelQuerySet<T>;
  delete(): Promise<unknown>;
  exclude(kwargs: Record<string, unknown>): ModelQuerySet<T>;
  exists(): Promise<boolean>;
  create(data: Record<string, unknown>): Promise<T>;
  bulkCreate(objs: readonly object[]): Promise<T[]>;
  all(): ModelQuerySet<T>;
}

export interface ModelLike {
  readonly meta: {
    readonly label: string;
    readonly modelName: string;
    readonly objectName: string;
    readonly verboseName: string;
    readonly pk: FieldMetaLike;
    readonly fields: readonly FieldMetaLike[];
    readonly manyToMany: readonly FieldMetaLike[];
    readonly relatedObjects: readonly ReverseRelationLike[];
    readonly uniqueTogether: readonly (readonly string[])[];
  };
  // biome-ignore lint/suspicious/noExplicitAny: the erased manager of any model
  readonly objects: ModelQuerySet<any>;
  readonly prototype: object;
}
