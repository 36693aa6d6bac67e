// Historical models for RunCode (Django's `apps` argument of RunPython): model classes built from
// the migration state at that point of the graph — its tables, columns and relations — rather
// than today's definitions, so a data migration keeps working after later migrations change them.
import type { FieldState, ModelState, ProjectState } from "../ddl/state.js";
import { ForeignKey, ManyToManyField, OneToOneField } from "../fields/relations.js";
import {
  ArrayField,
  AutoField,
  BigAutoField,
  BigIntegerField,
  BooleanField,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  DurationField,
  EmailField,
  FileField,
  FloatField,
  ImageField,
  IntegerField,
  JSONField,
  PositiveBigIntegerField,
  PositiveIntegerField,
  PositiveSmallIntegerField,
  SlugField,
  SmallAutoField,
  SmallIntegerField,
  TextField,
  TimeField,
  URLField,
  UUIDField,
} from "../fields/scalar.js";
import type { AnyField, FieldType } from "../fields/types.js";
import { defineModel } from "../model/define.js";
import { allModels, registerModel, unregisterModel } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";

// biome-ignore lint/suspicious/noExplicitAny: options are assembled from a FieldState, checked by the state's shape
type Scalar = (options: any) => AnyField;

const SCALARS: Partial<Record<FieldType, Scalar>> = {
  AutoField,
  BigAutoField,
  SmallAutoField,
  CharField,
  TextField,
  SlugField,
  EmailField,
  URLField,
  UUIDField,
  IntegerField,
  BigIntegerField,
  SmallIntegerField,
  PositiveIntegerField,
  PositiveSmallIntegerField,
  PositiveBigIntegerField,
  FloatField,
  DecimalField,
  BooleanField,
  DateField,
  DateTimeField,
  TimeField,
  DurationField,
  JSONField,
  FileField,
  ImageField,
};

/** The recorded JSON default as a model default (a fresh copy per row for objects). */
function defaultOf(field: FieldState): unknown {
  const value = field.default;
  if (value === undefined) return undefined;
  if (field.storage === "datetime" && typeof value === "string") return () => new Date(value);
  return typeof value === "object" && value !== null ? () => structuredClone(value) : value;
}

function fieldFrom(
  model: ModelState,
  name: string,
  field: FieldState,
  lookup: (label: string) => AnyModel,
): AnyField {
  // hidden reverse names: historical models only need their forward relations (and cascades)
  const relatedName = `${model.label.replace(".", "_")}_${name}+`;
  if (field.storage === "m2m") {
    return ManyToManyField(() => lookup(field.to!), {
      relatedName,
      ...(field.through ? { through: () => lookup(field.through!) } : {}),
    });
  }
  const options = {
    null: field.null,
    unique: field.unique,
    dbIndex: field.dbIndex,
    ...(field.column !== null ? { dbColumn: field.column } : {}),
    ...(field.primaryKey ? { primaryKey: true } : {}),
    ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
    ...(field.maxDigits !== undefined ? { maxDigits: field.maxDigits } : {}),
    ...(field.decimalPlaces !== undefined ? { decimalPlaces: field.decimalPlaces } : {}),
    ...(field.default !== undefined ? { default: defaultOf(field) } : {}),
  };
  if (field.storage === "relation") {
    const relation = field.type === "OneToOneField" ? OneToOneField : ForeignKey;
    return relation(() => lookup(field.to!), {
      ...options,
      onDelete: field.onDelete ?? "CASCADE",
      relatedName,
    });
  }
  if (field.storage === "array")
    return ArrayField(
      fieldFrom(model, name, field.baseField!, lookup),
      options as { default?: () => unknown[] },
    );
  const scalar = SCALARS[field.type];
  if (!scalar) throw new Error(`Historical model ${model.label}: no field class for ${field.type}`);
  if (field.storage === "auto") return scalar({ primaryKey: true, dbColumn: field.column });
  return scalar(options);
}

function defineHistorical(model: ModelState, lookup: (label: string) => AnyModel): AnyModel {
  const fields = Object.fromEntries(
    model.fields.map(([name, f]) => [name, fieldFrom(model, name, f, lookup)]),
  );
  return defineModel(model.label, {
    fields,
    meta: { dbTable: model.table, uniqueTogether: model.uniqueTogether },
  }) as unknown as AnyModel;
}

/**
 * A `getModel(label)` over the models of `state`, built on first use. Defining a model registers it
 * under its label, so the current registrations are put back right after (synchronously: nothing
 * else runs in between) and the historical classes are reachable only through this lookup.
 */
export function historicalModels(state: ProjectState): (label: string) => AnyModel {
  let built: Map<string, AnyModel> | undefined;
  const lookup = (label: string): AnyModel => {
    const model = built?.get(label.toLowerCase());
    if (!model)
      throw new Error(
        `The migration state has no model '${label}' at this point (known: ${[...state.keys()].join(", ")})`,
      );
    return model;
  };
  return (label) => {
    if (!built) {
      const current = new Map(allModels().map((m) => [m.meta.label.toLowerCase(), m]));
      const defined = new Map<string, AnyModel>();
      built = defined;
      try {
        for (const model of state.values()) defined.set(model.label, defineHistorical(model, lookup));
      } catch (error) {
        built = undefined;
        throw error;
      } finally {
        for (const labelOf of state.keys()) {
          const original = current.get(labelOf);
          if (original) registerModel(original);
          else unregisterModel(labelOf);
        }
      }
    }
    return lookup(label);
  };
}
