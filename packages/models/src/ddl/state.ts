// The schema description every DDL statement is built from: plain, JSON-serialisable models and
// fields (what a migration file records), made from live models here or replayed by migrations.
import type { Vendor } from "../db/url.js";
import type { FieldMeta, FieldType, OnDelete, StorageKind } from "../fields/types.js";
import type { AnyModel, ModelMeta } from "../model/types.js";
import { Ctx } from "../query/compiler.js";
import { Q } from "../query/q.js";
import { dialects } from "./dialects.js";
import { indexName, shortHash } from "./names.js";

/** What a migration records about a field: everything that shapes the column. */
export interface FieldState {
  type: FieldType;
  storage: StorageKind;
  column: string | null;
  null: boolean;
  unique: boolean;
  primaryKey: boolean;
  dbIndex: boolean;
  maxLength?: number;
  maxDigits?: number;
  decimalPlaces?: number;
  /** a JSON default used to fill existing rows when a NOT NULL column is added */
  default?: unknown;
  /** relations: the target's label ("products.category", lowercase) */
  to?: string;
  onDelete?: OnDelete;
  /** ManyToManyField: the through model's label */
  through?: string;
  /** ArrayField: the element field */
  baseField?: FieldState;
}

export interface IndexState {
  name: string;
  fields: string[];
}

/** A named table constraint: UNIQUE over `fields`, or a CHECK with its SQL per dialect (compiled from the model's filter). */
export interface ConstraintState {
  name: string;
  fields?: string[];
  check?: { sqlite: string; postgresql: string };
}

/** @deprecated the earlier name of ConstraintState */
export type UniqueConstraintState = ConstraintState;

export interface ModelState {
  /** lowercase label, "products.product" */
  label: string;
  app: string;
  table: string;
  fields: [string, FieldState][];
  indexes: IndexState[];
  uniqueTogether: string[][];
  constraints: ConstraintState[];
  /** an automatic many-to-many join table */
  autoCreated?: boolean;
}

/** All models by lowercase label. */
export type ProjectState = Map<string, ModelState>;

export function getModelState(state: ProjectState, label: string): ModelState {
  const model = state.get(label.toLowerCase());
  if (!model)
    throw new Error(`Migration state has no model '${label}' (known: ${[...state.keys()].join(", ")})`);
  return model;
}

export function getFieldState(model: ModelState, name: string): FieldState {
  const found = model.fields.find(([n]) => n === name);
  if (!found) throw new Error(`Migration state: ${model.label} has no field '${name}'`);
  return found[1];
}

function jsonDefault(field: FieldMeta): unknown {
  if (!field.hasDefault) return undefined;
  let value: unknown;
  try {
    value = field.getDefault();
  } catch {
    return undefined;
  }
  if (value instanceof Date) return value.toISOString();
  if (value === undefined || typeof value === "function" || typeof value === "bigint") return undefined;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

function fieldState(field: FieldMeta, withDefault: boolean): FieldState {
  const state: FieldState = {
    type: field.type,
    storage: field.storage,
    column: field.concrete ? field.column : null,
    null: field.null,
    unique: field.unique && !field.primaryKey,
    primaryKey: field.primaryKey,
    dbIndex: field.dbIndex,
  };
  if (field.maxLength !== undefined) state.maxLength = field.maxLength;
  if (field.maxDigits !== undefined) state.maxDigits = field.maxDigits;
  if (field.decimalPlaces !== undefined) state.decimalPlaces = field.decimalPlaces;
  const def = withDefault && !field.primaryKey ? jsonDefault(field) : undefined;
  if (def !== undefined) state.default = def;
  if (field.isRelation && field.relatedModel) {
    state.to = field.relatedModel().meta.label.toLowerCase();
    if (field.onDelete) state.onDelete = field.onDelete;
  }
  if (field.manyToMany && field.through) state.through = field.through().meta.label.toLowerCase();
  if (field.baseField) state.baseField = fieldState(field.baseField, withDefault);
  return state;
}

/** The migration view of a live field (FieldMeta). */
export function fieldStateFromMeta(field: FieldMeta): FieldState {
  return fieldState(field, true);
}

/** The column-shaping part of a field, without its default (computing one may call user code). */
export function fieldShape(field: FieldMeta): FieldState {
  return fieldState(field, false);
}

/** A CheckConstraint's condition as SQL for one dialect, compiled with literal values (DDL takes no parameters). */
export function checkConstraintSql(meta: ModelMeta, check: Record<string, unknown>, vendor: Vendor): string {
  const ctx = new Ctx(vendor, meta.concreteModel, "", { n: 0 }, new Map(), undefined);
  return dialects[vendor].sqlToQuery(ctx.compileQ(Q(check)).inlineParams()).sql;
}

/** A model's own fields: a multi-table child's table holds its link to the parent, not the parent's columns. */
function ownFields(meta: ModelMeta): FieldMeta[] {
  const inherited = new Set([...meta.parents.keys()].flatMap((p) => p.meta.allFields));
  return meta.allFields.filter((f) => !inherited.has(f));
}

/**
 * Meta.indexes with their names: the given one, else `<table>_<columns>_idx`, with a hash of the
 * fields (ordering signs included) added when that name is taken — by another index of the model or
 * by the automatic index of a db_index / foreign-key column.
 */
function indexStates(meta: ModelMeta): IndexState[] {
  const columnOf = (name: string) => meta.getField(name.replace(/^-/, "")).column;
  const used = new Set(
    ownFields(meta)
      .filter((f) => (f.dbIndex || f.manyToOne || f.oneToOne) && !f.unique && !f.primaryKey)
      .map((f) => indexName(meta.dbTable, [f.column])),
  );
  for (const ix of meta.indexes) if (ix.name) used.add(ix.name);
  const generated = (fields: readonly string[]): string => {
    const columns = fields.map(columnOf);
    let name = indexName(meta.dbTable, columns);
    if (used.has(name)) name = indexName(meta.dbTable, [...columns, shortHash(fields.join(","))]);
    used.add(name);
    return name;
  };
  return meta.indexes.map((ix) => ({ name: ix.name ?? generated(ix.fields), fields: [...ix.fields] }));
}

/** The schema description of a live model. */
export function modelStateFromModel(model: AnyModel): ModelState {
  const meta = model.meta;
  return {
    label: meta.label.toLowerCase(),
    app: meta.appLabel,
    table: meta.dbTable,
    fields: ownFields(meta).map((f) => [f.name, fieldStateFromMeta(f)]),
    indexes: indexStates(meta),
    uniqueTogether: meta.uniqueTogether.map((fields) => [...fields]),
    constraints: meta.constraints.map((c) =>
      c.kind === "unique"
        ? { name: c.name, fields: [...c.fields] }
        : {
            name: c.name,
            check: {
              sqlite: checkConstraintSql(meta, c.check, "sqlite"),
              postgresql: checkConstraintSql(meta, c.check, "postgresql"),
            },
          },
    ),
    ...(meta.autoCreated ? { autoCreated: true } : {}),
  };
}

/** The state of the given live models (concrete, non-proxy), e.g. everything in the registry. */
export function projectStateFromModels(models: readonly AnyModel[]): ProjectState {
  const state: ProjectState = new Map();
  for (const model of models) {
    if (model.meta.proxy) continue;
    const ms = modelStateFromModel(model);
    state.set(ms.label, ms);
  }
  return state;
}
