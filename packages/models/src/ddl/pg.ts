// PostgreSQL-only DDL: columns and constraints altered in place.
import { foreignKeyName, indexName, uniqueName } from "./names.js";
import type { ConstraintState, FieldState, ModelState, ProjectState } from "./state.js";
import {
  addForeignKeyStatement,
  columnDefinition,
  columnIndexStatement,
  columnsOf,
  columnTypeIn,
  constraintClause,
  defaultParam,
  hasOwnIndex,
  qi,
  type Statement,
  stmt,
  uniqueClause,
} from "./statements.js";

/** ADD COLUMN (filled with the default, then NOT NULL), its constraints and index. */
export function addColumnStatements(model: ModelState, field: FieldState, state: ProjectState): Statement[] {
  const table = qi(model.table);
  const col = qi(field.column!);
  const out = [stmt(`ALTER TABLE ${table} ADD COLUMN ${columnDefinition(field, state, "postgresql", true)}`)];
  if (field.default !== undefined)
    out.push(stmt(`UPDATE ${table} SET ${col} = $1`, [defaultParam(field, "postgresql")]));
  if (!field.null) out.push(stmt(`ALTER TABLE ${table} ALTER COLUMN ${col} SET NOT NULL`));
  out.push(...columnConstraintStatements(model, field, state));
  return out;
}

/** A column's UNIQUE and FOREIGN KEY constraints and its own index, after the column exists. */
function columnConstraintStatements(model: ModelState, field: FieldState, state: ProjectState): Statement[] {
  const table = qi(model.table);
  const out: Statement[] = [];
  if (field.unique && !field.primaryKey)
    out.push(stmt(`ALTER TABLE ${table} ADD ${uniqueClause(model, [field.column!])}`));
  if (field.storage === "relation") out.push(addForeignKeyStatement(model, field, state));
  if (hasOwnIndex(field)) out.push(columnIndexStatement(model, field));
  return out;
}

/** DROP COLUMN (its constraints and indexes go with it). */
export function dropColumnStatements(model: ModelState, field: FieldState): Statement[] {
  return [stmt(`ALTER TABLE ${qi(model.table)} DROP COLUMN ${qi(field.column!)} CASCADE`)];
}

/** Alters a column in place (rename, type, nullability, unique, index, foreign key). */
export function alterColumnStatements(
  model: ModelState,
  from: FieldState,
  to: FieldState,
  state: ProjectState,
  fromState: ProjectState,
): Statement[] {
  const table = qi(model.table);
  const out: Statement[] = [];
  if (from.storage === "relation")
    out.push(
      stmt(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qi(foreignKeyName(model.table, from.column!))}`),
    );
  if (from.unique && !from.primaryKey) {
    out.push(
      stmt(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qi(uniqueName(model.table, [from.column!]))}`),
      // PostgreSQL's own name for an inline UNIQUE: tables made by an earlier createTables, then --fake-initial.
      stmt(
        `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qi(`${model.table}_${from.column}_key`.slice(0, 63))}`,
      ),
    );
  }
  if (from.dbIndex || from.storage === "relation")
    out.push(stmt(`DROP INDEX IF EXISTS ${qi(indexName(model.table, [from.column!]))}`));
  if (from.column !== to.column)
    out.push(stmt(`ALTER TABLE ${table} RENAME COLUMN ${qi(from.column!)} TO ${qi(to.column!)}`));
  const col = qi(to.column!);
  const oldType = columnTypeIn(from, fromState, "postgresql");
  const newType = columnTypeIn(to, state, "postgresql");
  if (oldType !== newType)
    out.push(stmt(`ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${newType} USING ${col}::${newType}`));
  if (from.null && !to.null && to.default !== undefined) {
    out.push(stmt(`UPDATE ${table} SET ${col} = $1 WHERE ${col} IS NULL`, [defaultParam(to, "postgresql")]));
  }
  if (from.null !== to.null)
    out.push(stmt(`ALTER TABLE ${table} ALTER COLUMN ${col} ${to.null ? "DROP" : "SET"} NOT NULL`));
  out.push(...columnConstraintStatements(model, to, state));
  return out;
}

/** unique_together changes. */
export function uniqueConstraintStatements(
  model: ModelState,
  drop: readonly string[][],
  add: readonly string[][],
): Statement[] {
  const table = qi(model.table);
  return [
    ...drop.map((fields) =>
      stmt(
        `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${qi(uniqueName(model.table, columnsOf(model, fields)))}`,
      ),
    ),
    ...add.map((fields) => stmt(`ALTER TABLE ${table} ADD ${uniqueClause(model, columnsOf(model, fields))}`)),
  ];
}

/** Adds or drops a named constraint. */
export function namedConstraintStatements(
  model: ModelState,
  constraint: ConstraintState,
  add: boolean,
): Statement[] {
  const table = qi(model.table);
  return add
    ? [stmt(`ALTER TABLE ${table} ADD ${constraintClause(model, constraint, "postgresql")}`)]
    : [stmt(`ALTER TABLE ${table} DROP CONSTRAINT ${qi(constraint.name)}`)];
}
