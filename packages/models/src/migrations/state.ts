// The schema as migrations see it: plain, JSON-serialisable descriptions of models
// and fields, rebuilt by replaying migration operations (Django's ProjectState).
import { createHash } from "node:crypto";
import type { Vendor } from "../db/url.js";
import { tableConstraintsSql } from "../ddl/schema.js";
import type { FieldMeta, FieldType, OnDelete, StorageKind } from "../fields/types.js";
import type { AnyModel } from "../model/types.js";

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

export function cloneState(state: ProjectState): ProjectState {
  return new Map([...state].map(([k, v]) => [k, structuredClone(v)]));
}

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

/** The migration view of a live field (FieldMeta). */
export function fieldStateFromMeta(field: FieldMeta): FieldState {
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
  const def = field.primaryKey ? undefined : jsonDefault(field);
  if (def !== undefined) state.default = def;
  if (field.isRelation && field.relatedModel) {
    state.to = field.relatedModel().meta.label.toLowerCase();
    if (field.onDelete) state.onDelete = field.onDelete;
  }
  if (field.manyToMany && field.through) state.through = field.through().meta.label.toLowerCase();
  if (field.baseField) state.baseField = fieldStateFromMeta(field.baseField);
  return state;
}

/** Deterministic, length-limited identifier (PostgreSQL keeps 63 bytes). */
export function identifier(parts: readonly string[], suffix: string): string {
  const full = `${parts.join("_")}_${suffix}`;
  if (full.length <= 63) return full;
  let hash = 0;
  for (const ch of full) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  const tag = (hash >>> 0).toString(16).padStart(8, "0");
  return `${full.slice(0, 63 - suffix.length - 10)}_${tag}_${suffix}`;
}

/** A CheckConstraint's condition as SQL, compiled by the model layer's DDL for one dialect. */
function checkSql(model: AnyModel, name: string, vendor: Vendor): string {
  const prefix = `CONSTRAINT "${name.replace(/"/g, '""')}" CHECK (`;
  const clause = tableConstraintsSql(model.meta, vendor).find((c) => c.startsWith(prefix));
  if (!clause) throw new Error(`${model.meta.label}: cannot compile check constraint '${name}'`);
  return clause.slice(prefix.length, -1);
}

/**
 * Meta.indexes with their names: the given one, else `<table>_<columns>_idx`, with a hash of the
 * fields (ordering signs included) added when that name is taken — by another index of the model or
 * by the automatic index of a db_index / foreign-key column.
 */
function indexStates(model: AnyModel): IndexState[] {
  const meta = model.meta;
  const columnOf = (name: string) => meta.getField(name.replace(/^-/, "")).column;
  const used = new Set(
    meta.fields
      .filter((f) => (f.dbIndex || f.manyToOne || f.oneToOne) && !f.unique && !f.primaryKey)
      .map((f) => identifier([meta.dbTable, f.column], "idx")),
  );
  for (const ix of meta.indexes) if (ix.name) used.add(ix.name);
  return meta.indexes.map((ix) => {
    let name = ix.name;
    if (!name) {
      const columns = ix.fields.map(columnOf);
      name = identifier([meta.dbTable, ...columns], "idx");
      if (used.has(name))
        name = identifier([meta.dbTable, ...columns, shortHash(ix.fields.join(","))], "idx");
      used.add(name);
    }
    return { name, fields: [...ix.fields] };
  });
}

function shortHash(text: string): string {
  return createHash("md5").update(text).digest("hex").slice(0, 6);
}

/** The migration view of a live model. */
export function modelStateFromModel(model: AnyModel): ModelState {
  const meta = model.meta;
  return {
    label: meta.label.toLowerCase(),
    app: meta.appLabel,
    table: meta.dbTable,
    fields: meta.allFields.map((f) => [f.name, fieldStateFromMeta(f)]),
    indexes: indexStates(model),
    uniqueTogether: meta.uniqueTogether.map((fields) => [...fields]),
    constraints: meta.constraints.map((c) =>
      c.kind === "unique"
        ? { name: c.name, fields: [...c.fields] }
        : {
            name: c.name,
            check: {
              sqlite: checkSql(model, c.name, "sqlite"),
              postgresql: checkSql(model, c.name, "postgresql"),
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
