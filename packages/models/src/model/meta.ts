// Builds Model.meta (the ModelMeta every package reads) from the bound field specs.
import { FieldError } from "../errors.js";
import type { AnyField, FieldMeta } from "../fields/types.js";
import type { AnyModel, FieldMetaWithSpec } from "./internal.js";
import type { MetaOptions, ModelMeta } from "./types.js";

function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

export function bindField(model: AnyModel, name: string, field: AnyField): FieldMetaWithSpec {
  const spec = field.spec;
  if (name.includes("__")) throw new FieldError(`Field names must not contain "__": ${name}`);
  const attname = spec.storage === "relation" ? `${name}_id` : name;
  const { dbColumn, target: _t, throughTarget: _tt, ...rest } = spec;
  const meta: FieldMetaWithSpec = {
    ...rest,
    name,
    attname,
    column: dbColumn ?? attname,
    model,
    verboseName: spec.verboseName || words(name),
    relatedModel: undefined,
    through: undefined,
    baseField: spec.baseField
      ? ({ ...spec.baseField, name: "item", attname: "item", column: "item" } as FieldMeta)
      : undefined,
    spec,
  };
  return meta;
}

export function buildMeta(
  model: AnyModel,
  appLabel: string,
  objectName: string,
  specs: Record<string, AnyField>,
  options: MetaOptions,
): ModelMeta {
  const all = Object.entries(specs).map(([name, f]) => bindField(model, name, f));
  const fields = all.filter((f) => f.concrete);
  const manyToMany = all.filter((f) => f.manyToMany);
  const pk = fields.find((f) => f.primaryKey);
  if (!pk) throw new FieldError(`${appLabel}.${objectName} has no primary key`);
  const modelName = objectName.toLowerCase();
  const byName = new Map<string, FieldMeta>(all.map((f) => [f.name, f]));
  const verboseName = options.verboseName ?? words(objectName);
  const meta: ModelMeta = {
    label: `${appLabel}.${objectName}`,
    appLabel,
    modelName,
    objectName,
    dbTable: options.dbTable ?? `${appLabel}_${modelName}`,
    pk,
    fields,
    localFields: fields,
    parents: new Map(),
    manyToMany,
    allFields: all,
    relatedObjects: [],
    getField(name: string): FieldMeta {
      const f = byName.get(name) ?? (name === "pk" ? pk : undefined);
      if (!f) {
        throw new FieldError(
          `${appLabel}.${objectName} has no field named '${name}'. Choices are: ${[...byName.keys()].join(", ")}`,
        );
      }
      return f;
    },
    ordering: options.ordering ?? [],
    indexes: options.indexes ?? [],
    uniqueTogether: options.uniqueTogether ?? [],
    constraints: options.constraints ?? [],
    verboseName,
    verboseNamePlural: options.verboseNamePlural ?? `${verboseName}s`,
    abstract: false,
    proxy: options.proxy ?? false,
    autoCreated: false,
    concreteModel: model,
  };
  for (const key of [
    ...meta.ordering,
    ...meta.indexes.flatMap((i) => i.fields),
    ...meta.uniqueTogether.flat(),
  ]) {
    const name = key.replace(/^-/, "").split("__")[0]!;
    if (
      name !== "pk" &&
      name !== "?" &&
      !byName.has(name) &&
      ![...byName.values()].some((f) => f.attname === name)
    ) {
      throw new FieldError(
        `${meta.label}: Meta refers to unknown field '${name}'. Choices are: ${[...byName.keys()].join(", ")}`,
      );
    }
  }
  return meta;
}
