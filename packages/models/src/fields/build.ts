// Turns constructor options into a FieldSpec (the untyped runtime part of a field).
import type { AnyModel } from "../model/types.js";
import type { Choice, FieldSpec, FieldType, OnDelete, StorageKind, Validator } from "./types.js";

export interface BaseOptions<V> {
  null?: boolean;
  blank?: boolean;
  default?: V | (() => V);
  unique?: boolean;
  dbIndex?: boolean;
  dbColumn?: string;
  choices?: readonly Choice[];
  validators?: readonly Validator[];
  helpText?: string;
  verboseName?: string;
  editable?: boolean;
  primaryKey?: boolean;
}

export type Nullable<V, O> = O extends { null: true } ? V | null : V;
export type OptionalFlag<O> = O extends { default: unknown }
  ? true
  : O extends { blank: true }
    ? true
    : O extends { null: true }
      ? true
      : O extends { autoNow: true }
        ? true
        : O extends { autoNowAdd: true }
          ? true
          : false;
export type PkFlag<O> = O extends { primaryKey: true } ? true : false;

interface Extra {
  maxLength?: number;
  maxDigits?: number;
  decimalPlaces?: number;
  autoNow?: boolean;
  autoNowAdd?: boolean;
  onDelete?: OnDelete;
  relatedName?: string;
  target?: (() => AnyModel) | string;
  throughTarget?: (() => AnyModel) | string;
  baseField?: FieldSpec;
  uploadTo?: string;
}

export function buildSpec(
  type: FieldType,
  storage: StorageKind,
  options: BaseOptions<unknown> & Extra,
  forced: Partial<FieldSpec> = {},
): FieldSpec {
  const def = options.default;
  const hasDefault = def !== undefined;
  const primaryKey = options.primaryKey ?? false;
  const isRelation = storage === "relation" || storage === "m2m";
  return {
    type,
    storage,
    maxLength: options.maxLength,
    maxDigits: options.maxDigits,
    decimalPlaces: options.decimalPlaces,
    null: options.null ?? false,
    blank: options.blank ?? false,
    hasDefault,
    getDefault: () => {
      if (typeof def === "function") return (def as () => unknown)();
      if (def !== undefined) return def;
      return options.null ? null : undefined;
    },
    unique: (options.unique ?? false) || primaryKey,
    dbIndex: options.dbIndex ?? false,
    choices: options.choices,
    validators: options.validators ?? [],
    editable: options.editable ?? true,
    primaryKey,
    autoNow: options.autoNow ?? false,
    autoNowAdd: options.autoNowAdd ?? false,
    helpText: options.helpText ?? "",
    verboseName: options.verboseName ?? "",
    concrete: storage !== "m2m",
    isRelation,
    manyToOne: type === "ForeignKey",
    oneToOne: type === "OneToOneField",
    manyToMany: type === "ManyToManyField",
    relatedName: options.relatedName,
    onDelete: options.onDelete,
    baseField: undefined,
    uploadTo: options.uploadTo,
    dbColumn: options.dbColumn,
    target: options.target,
    throughTarget: options.throughTarget,
    ...forced,
  };
}
