// DDL for live models: createTables (test databases) and the per-model SQL helpers. Each model is
// first described as migrations describe it (ModelState), then rendered by the same statements
// the migration operations run, so a test database equals a migrated one.
import type { Database } from "../db/database.js";
import { getDatabase } from "../db/registry.js";
import type { Vendor } from "../db/url.js";
import type { FieldMeta } from "../fields/types.js";
import type { AnyModel } from "../model/internal.js";
import { ensureResolved } from "../model/registry.js";
import { m2mInfo } from "../model/relations.js";
import type { ModelMeta } from "../model/types.js";
import { identifier } from "./names.js";
import {
  fieldStateFromMeta,
  getModelState,
  type ModelState,
  type ProjectState,
  projectStateFromModels,
} from "./state.js";
import {
  addForeignKeyStatement,
  columnDefinition,
  createTableStatements,
  dropTableStatements,
  foreignKeyStatements,
  indexStatements,
  type Statement,
  tableConstraintClauses,
} from "./statements.js";

/** The models plus the automatic join tables of their many-to-many fields, parents first. */
export function withThroughModels(models: readonly AnyModel[]): AnyModel[] {
  ensureResolved();
  const out: AnyModel[] = [];
  const add = (m: AnyModel) => {
    if (!out.includes(m)) out.push(m);
  };
  for (const m of models) add(m);
  for (const m of models) {
    for (const f of m.meta.manyToMany) {
      const info = m2mInfo(f);
      if (info.autoCreated) add(info.through);
    }
  }
  return out;
}

/** The state of `models` and of every model their foreign keys reach (whose key types they take). */
function stateWithTargets(models: readonly AnyModel[]): ProjectState {
  ensureResolved();
  const all = [...models];
  for (let i = 0; i < all.length; i++) {
    for (const f of all[i]!.meta.localFields) {
      const target = f.isRelation ? f.relatedModel?.().meta.concreteModel : undefined;
      if (target && !all.includes(target)) all.push(target);
    }
  }
  return projectStateFromModels(all);
}

function sqlOf(statements: readonly Statement[]): string[] {
  return statements.map((s) => {
    if (s.params.length > 0) throw new Error(`DDL with parameters cannot be shown as text: ${s.sql}`);
    return s.sql;
  });
}

function modelOf(meta: ModelMeta): { model: ModelState; state: ProjectState } {
  const state = stateWithTargets([meta.concreteModel]);
  return { model: getModelState(state, meta.concreteModel.meta.label), state };
}

/** The tables of `models` (plus automatic M2M join tables): what `createTables` creates, in order. */
function tablesOf(models: readonly AnyModel[]): { tables: ModelState[]; state: ProjectState } {
  const all = withThroughModels(models).filter((m) => !m.meta.proxy);
  const state = stateWithTargets(all);
  return { tables: all.map((m) => getModelState(state, m.meta.label)), state };
}

/**
 * CREATE TABLE + its indexes. On PostgreSQL foreign keys are separate statements
 * (`foreignKeys`), added once every table exists; SQLite declares them in the table.
 */
export function createModelSql(meta: ModelMeta, vendor: Vendor): { table: string[]; foreignKeys: string[] } {
  const { model, state } = modelOf(meta);
  const inline = vendor === "sqlite";
  return {
    table: sqlOf(createTableStatements(model, state, vendor, { foreignKeys: inline })),
    foreignKeys: inline ? [] : sqlOf(foreignKeyStatements(model, state)),
  };
}

export function dropModelSql(meta: ModelMeta, vendor: Vendor): string[] {
  return sqlOf(dropTableStatements(modelOf(meta).model, vendor, true));
}

/** The column definition: `"price" numeric(10, 2) NOT NULL` (constraints other than CHECK are the table's). */
export function columnSql(field: FieldMeta, vendor: Vendor): string {
  return columnDefinition(fieldStateFromMeta(field), stateWithTargets([field.model]), vendor);
}

/** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY of one relation field (the same SQL on both dialects). */
export function foreignKeySql(meta: ModelMeta, field: FieldMeta): string {
  const { model, state } = modelOf(meta);
  return addForeignKeyStatement(model, fieldStateFromMeta(field), state).sql;
}

/** Table-level constraints but foreign keys: unique fields, unique_together, UniqueConstraint, CheckConstraint. */
export function tableConstraintsSql(meta: ModelMeta, vendor: Vendor): string[] {
  const { model, state } = modelOf(meta);
  return tableConstraintClauses(model, state, vendor, false);
}

/** CREATE INDEX statements for db_index and foreign-key columns and Meta.indexes. */
export function indexesSql(meta: ModelMeta): string[] {
  return sqlOf(indexStatements(modelOf(meta).model));
}

/** Django-style generated name (`<table>_<columns>_<suffix>`), shortened with a hash to 63 characters. */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  return identifier([table, ...columns], suffix);
}

/** Creates the tables (and M2M join tables) of `models` on a database, as migrations would. */
export async function createTables(models: readonly AnyModel[], db: Database = getDatabase()): Promise<void> {
  const { tables, state } = tablesOf(models);
  // PostgreSQL checks a reference when it is declared: foreign keys wait until every table exists.
  const inline = db.vendor === "sqlite";
  const later: Statement[] = [];
  for (const model of tables) {
    for (const s of createTableStatements(model, state, db.vendor, { foreignKeys: inline }))
      await db.execute(s.sql, s.params);
    if (!inline) later.push(...foreignKeyStatements(model, state));
  }
  for (const s of later) await db.execute(s.sql, s.params);
}

export async function dropTables(models: readonly AnyModel[], db: Database = getDatabase()): Promise<void> {
  const { tables } = tablesOf(models);
  if (db.vendor === "sqlite") await db.execute("PRAGMA foreign_keys = OFF");
  try {
    for (const model of tables.reverse())
      for (const s of dropTableStatements(model, db.vendor, true)) await db.execute(s.sql, s.params);
  } finally {
    if (db.vendor === "sqlite") await db.execute("PRAGMA foreign_keys = ON");
  }
}
