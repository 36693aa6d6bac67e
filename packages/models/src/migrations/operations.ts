// Migration operations: plain data (so a migration file can be JSON or TypeScript),
// each with its effect on the state and its forward / backward SQL.
import type { Database } from "../db/database.js";
import type { Vendor } from "../db/url.js";
import {
  addColumnStatements,
  alterColumnStatements,
  dropColumnStatements,
  namedConstraintStatements,
  uniqueConstraintStatements,
} from "../ddl/pg.js";
import { remakeTableStatements } from "../ddl/sqlite.js";
import {
  type ConstraintState,
  type FieldState,
  getFieldState,
  getModelState,
  type IndexState,
  type ModelState,
  type ProjectState,
} from "../ddl/state.js";
import {
  createIndexStatement,
  createTableStatements,
  dropTableStatements,
  qi,
  type Statement,
} from "../ddl/statements.js";
import { getModel } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";
import { historicalModels } from "./historical.js";
import { cloneState } from "./state.js";

/** What RunCode steps receive: the database (inside the migration's transaction) and model lookup. */
export interface RunCodeContext {
  database: Database;
  vendor: Vendor;
  /**
   * The historical model for a label: a class built from the migration state at this step (its
   * table, columns, relations, defaults), as Django's `apps.get_model` — not today's definition,
   * so later migrations cannot break the data migration. No custom methods, managers or auto_now.
   */
  getModel(label: string): AnyModel;
  /** The schema as the migrations applied so far describe it (tables, columns) — for SQL that must match it. */
  state: ProjectState;
}

export type SqlByVendor =
  | string
  | readonly string[]
  | { readonly sqlite?: string | readonly string[]; readonly postgresql?: string | readonly string[] };

export type Operation =
  | { op: "CreateModel"; model: ModelState }
  | { op: "DeleteModel"; model: string; state?: ModelState }
  | { op: "AddField"; model: string; name: string; field: FieldState }
  | { op: "RemoveField"; model: string; name: string; field?: FieldState }
  | { op: "AlterField"; model: string; name: string; field: FieldState; oldField?: FieldState }
  | { op: "RenameField"; model: string; oldName: string; newName: string }
  | { op: "AlterModelTable"; model: string; table: string; oldTable?: string }
  | { op: "AddIndex"; model: string; index: IndexState }
  | { op: "RemoveIndex"; model: string; name: string; index?: IndexState }
  | { op: "AlterUniqueTogether"; model: string; uniqueTogether: string[][]; old?: string[][] }
  | { op: "AddConstraint"; model: string; constraint: ConstraintState }
  | { op: "RemoveConstraint"; model: string; name: string; constraint?: ConstraintState }
  | { op: "RunSQL"; sql: SqlByVendor; reverseSql?: SqlByVendor }
  | {
      op: "RunCode";
      code: (ctx: RunCodeContext) => unknown;
      reverseCode?: (ctx: RunCodeContext) => unknown;
      /** shown by showmigrations --plan / errors */
      description?: string;
    };

/** Thrown when unapplying an operation that has no reverse (RunSQL/RunCode without one). */
export class IrreversibleError extends Error {
  override name = "IrreversibleError";
}

type Of<K extends Operation["op"]> = Extract<Operation, { op: K }>;
type Args<K extends Operation["op"]> = Omit<Of<K>, "op">;

/** Operation constructors for migration files: `operations.AddField({ model, name, field })`. */
export const operations = {
  CreateModel: (a: Args<"CreateModel">): Of<"CreateModel"> => ({ op: "CreateModel", ...a }),
  DeleteModel: (a: Args<"DeleteModel">): Of<"DeleteModel"> => ({ op: "DeleteModel", ...a }),
  AddField: (a: Args<"AddField">): Of<"AddField"> => ({ op: "AddField", ...a }),
  RemoveField: (a: Args<"RemoveField">): Of<"RemoveField"> => ({ op: "RemoveField", ...a }),
  AlterField: (a: Args<"AlterField">): Of<"AlterField"> => ({ op: "AlterField", ...a }),
  RenameField: (a: Args<"RenameField">): Of<"RenameField"> => ({ op: "RenameField", ...a }),
  AlterModelTable: (a: Args<"AlterModelTable">): Of<"AlterModelTable"> => ({ op: "AlterModelTable", ...a }),
  AddIndex: (a: Args<"AddIndex">): Of<"AddIndex"> => ({ op: "AddIndex", ...a }),
  RemoveIndex: (a: Args<"RemoveIndex">): Of<"RemoveIndex"> => ({ op: "RemoveIndex", ...a }),
  AlterUniqueTogether: (a: Args<"AlterUniqueTogether">): Of<"AlterUniqueTogether"> => ({
    op: "AlterUniqueTogether",
    ...a,
  }),
  AddConstraint: (a: Args<"AddConstraint">): Of<"AddConstraint"> => ({ op: "AddConstraint", ...a }),
  RemoveConstraint: (a: Args<"RemoveConstraint">): Of<"RemoveConstraint"> => ({
    op: "RemoveConstraint",
    ...a,
  }),
  RunSQL: (a: Args<"RunSQL">): Of<"RunSQL"> => ({ op: "RunSQL", ...a }),
  RunCode: (a: Args<"RunCode">): Of<"RunCode"> => ({ op: "RunCode", ...a }),
};

/** Applies an operation to the state (mutating it): how migrations rebuild the schema they describe. */
export function stateForwards(op: Operation, state: ProjectState): void {
  switch (op.op) {
    case "CreateModel":
      if (state.has(op.model.label))
        throw new Error(`CreateModel: ${op.model.label} already exists in the migration state`);
      state.set(op.model.label, structuredClone(op.model));
      return;
    case "DeleteModel":
      getModelState(state, op.model);
      state.delete(op.model.toLowerCase());
      return;
    case "AddField": {
      const m = getModelState(state, op.model);
      if (m.fields.some(([n]) => n === op.name))
        throw new Error(`AddField: ${m.label}.${op.name} already exists`);
      m.fields.push([op.name, structuredClone(op.field)]);
      return;
    }
    case "RemoveField": {
      const m = getModelState(state, op.model);
      getFieldState(m, op.name);
      m.fields = m.fields.filter(([n]) => n !== op.name);
      return;
    }
    case "AlterField": {
      const m = getModelState(state, op.model);
      getFieldState(m, op.name);
      m.fields = m.fields.map(([n, f]) => [n, n === op.name ? structuredClone(op.field) : f]);
      return;
    }
    case "RenameField": {
      const m = getModelState(state, op.model);
      const field = getFieldState(m, op.oldName);
      if (m.fields.some(([n]) => n === op.newName))
        throw new Error(`RenameField: ${m.label}.${op.newName} already exists`);
      // A column named after its field follows the rename (Django's default db_column).
      if (field.column === op.oldName) field.column = op.newName;
      else if (field.column === `${op.oldName}_id` && field.storage === "relation")
        field.column = `${op.newName}_id`;
      m.fields = m.fields.map(([n, f]) => [n === op.oldName ? op.newName : n, f]);
      const rename = (names: string[]) =>
        names.map((n) => (n.replace(/^-/, "") === op.oldName ? n.replace(op.oldName, op.newName) : n));
      m.indexes = m.indexes.map((ix) => ({ ...ix, fields: rename(ix.fields) }));
      m.uniqueTogether = m.uniqueTogether.map(rename);
      m.constraints = m.constraints.map((c) => (c.fields ? { ...c, fields: rename(c.fields) } : c));
      return;
    }
    case "AlterModelTable":
      getModelState(state, op.model).table = op.table;
      return;
    case "AddIndex":
      getModelState(state, op.model).indexes.push(structuredClone(op.index));
      return;
    case "RemoveIndex": {
      const m = getModelState(state, op.model);
      m.indexes = m.indexes.filter((ix) => ix.name !== op.name);
      return;
    }
    case "AlterUniqueTogether":
      getModelState(state, op.model).uniqueTogether = structuredClone(op.uniqueTogether);
      return;
    case "AddConstraint":
      getModelState(state, op.model).constraints.push(structuredClone(op.constraint));
      return;
    case "RemoveConstraint": {
      const m = getModelState(state, op.model);
      m.constraints = m.constraints.filter((c) => c.name !== op.name);
      return;
    }
    case "RunSQL":
    case "RunCode":
      return;
  }
}

function sqlFor(sql: SqlByVendor, vendor: Vendor): Statement[] {
  const picked =
    typeof sql === "string" || Array.isArray(sql)
      ? sql
      : (sql as { sqlite?: string | string[]; postgresql?: string | string[] })[vendor];
  if (picked === undefined) return [];
  return (typeof picked === "string" ? [picked] : [...picked])
    .filter((s) => s.trim() !== "")
    .map((s) => ({ sql: s, params: [] }));
}

/** One step a migration runs: SQL statements, or code. */
export type Step =
  | { kind: "sql"; statements: Statement[] }
  | { kind: "code"; run: (ctx: RunCodeContext) => unknown };

const sql = (statements: Statement[]): Step => ({ kind: "sql", statements });

/**
 * The database work of an operation going from `from` (state before) to `to`
 * (state after). Used for both directions: backwards passes the states swapped
 * together with the inverse operation.
 */
function forwardSteps(op: Operation, from: ProjectState, to: ProjectState, vendor: Vendor): Step[] {
  const remake = (label: string) =>
    sql(remakeTableStatements(getModelState(from, label), getModelState(to, label), to));
  switch (op.op) {
    case "CreateModel":
      return [sql(createTableStatements(getModelState(to, op.model.label), to, vendor))];
    case "DeleteModel":
      return [sql(dropTableStatements(getModelState(from, op.model), vendor))];
    case "AddField": {
      // The operation's own definition wins over the state's: a reversed RemoveField brings its default.
      const state = cloneState(to);
      const m = getModelState(state, op.model);
      m.fields = m.fields.map(([n, f]) => [n, n === op.name ? op.field : f]);
      const field = op.field;
      if (field.column === null) return []; // many-to-many: its join table is a model of its own
      const guard = field.null || field.default !== undefined ? [] : [requireEmptyTable(m, op.name)];
      const add =
        vendor === "sqlite"
          ? sql(remakeTableStatements(getModelState(from, op.model), m, state))
          : sql(addColumnStatements(m, field, state));
      return [...guard, add];
    }
    case "RemoveField": {
      const m = getModelState(from, op.model);
      const field = getFieldState(m, op.name);
      if (field.column === null) return [];
      return vendor === "sqlite" ? [remake(op.model)] : [sql(dropColumnStatements(m, field))];
    }
    case "AlterField": {
      const before = getFieldState(getModelState(from, op.model), op.name);
      const after = getFieldState(getModelState(to, op.model), op.name);
      if (before.column === null || after.column === null) return [];
      if (vendor === "sqlite") {
        const renames = before.column !== after.column ? { [after.column]: before.column } : {};
        return [
          sql(remakeTableStatements(getModelState(from, op.model), getModelState(to, op.model), to, renames)),
        ];
      }
      return [sql(alterColumnStatements(getModelState(to, op.model), before, after, to, from))];
    }
    case "RenameField": {
      const before = getFieldState(getModelState(from, op.model), op.oldName);
      const after = getFieldState(getModelState(to, op.model), op.newName);
      if (before.column === null || before.column === after.column) return [];
      const table = qi(getModelState(to, op.model).table);
      return [
        sql([
          {
            sql: `ALTER TABLE ${table} RENAME COLUMN ${qi(before.column)} TO ${qi(after.column!)}`,
            params: [],
          },
        ]),
      ];
    }
    case "AlterModelTable": {
      const oldTable = getModelState(from, op.model).table;
      if (oldTable === op.table) return [];
      return [sql([{ sql: `ALTER TABLE ${qi(oldTable)} RENAME TO ${qi(op.table)}`, params: [] }])];
    }
    case "AddIndex":
      return [sql([createIndexStatement(getModelState(to, op.model), op.index)])];
    case "RemoveIndex":
      return [sql([{ sql: `DROP INDEX ${qi(op.name)}`, params: [] }])];
    case "AlterUniqueTogether": {
      if (vendor === "sqlite") return [remake(op.model)];
      const old = getModelState(from, op.model).uniqueTogether;
      const key = (f: string[]) => f.join(",");
      const drop = old.filter((f) => !op.uniqueTogether.some((n) => key(n) === key(f)));
      const add = op.uniqueTogether.filter((f) => !old.some((o) => key(o) === key(f)));
      return [sql(uniqueConstraintStatements(getModelState(from, op.model), drop, add))];
    }
    case "AddConstraint":
      return vendor === "sqlite"
        ? [remake(op.model)]
        : [sql(namedConstraintStatements(getModelState(to, op.model), op.constraint, true))];
    case "RemoveConstraint": {
      if (vendor === "sqlite") return [remake(op.model)];
      const constraint = getModelState(from, op.model).constraints.find((c) => c.name === op.name);
      if (!constraint) throw new Error(`RemoveConstraint: ${op.model} has no constraint '${op.name}'`);
      return [sql(namedConstraintStatements(getModelState(from, op.model), constraint, false))];
    }
    case "RunSQL":
      return [sql(sqlFor(op.sql, vendor))];
    case "RunCode":
      return [
        {
          kind: "code",
          run: (ctx) => {
            const state = cloneState(from);
            return op.code({ ...ctx, state, getModel: historicalModels(state) });
          },
        },
      ];
  }
}

/** Existing rows cannot get a value for a new NOT NULL column without a default: say so clearly. */
function requireEmptyTable(model: ModelState, name: string): Step {
  return {
    kind: "code",
    run: async ({ database }) => {
      const rows = await database.execute(`SELECT 1 AS x FROM ${qi(model.table)} LIMIT 1`);
      if (rows.rows.length > 0) {
        throw new Error(
          `Cannot add the non-nullable field ${model.label}.${name} without a default: table "${model.table}" has rows. Give the field a default in the migration ("default"), allow null, or empty the table first.`,
        );
      }
    },
  };
}

/** The operation that undoes `op`, given the state before it; throws IrreversibleError when there is none. */
export function inverse(op: Operation, before: ProjectState): Operation {
  switch (op.op) {
    case "CreateModel":
      return { op: "DeleteModel", model: op.model.label };
    case "DeleteModel":
      return { op: "CreateModel", model: op.state ?? getModelState(before, op.model) };
    case "AddField":
      return { op: "RemoveField", model: op.model, name: op.name, field: op.field };
    case "RemoveField":
      return {
        op: "AddField",
        model: op.model,
        name: op.name,
        field: op.field ?? getFieldState(getModelState(before, op.model), op.name),
      };
    case "AlterField":
      return {
        op: "AlterField",
        model: op.model,
        name: op.name,
        field: op.oldField ?? getFieldState(getModelState(before, op.model), op.name),
        oldField: op.field,
      };
    case "RenameField":
      return { op: "RenameField", model: op.model, oldName: op.newName, newName: op.oldName };
    case "AlterModelTable":
      return {
        op: "AlterModelTable",
        model: op.model,
        table: op.oldTable ?? getModelState(before, op.model).table,
        oldTable: op.table,
      };
    case "AddIndex":
      return { op: "RemoveIndex", model: op.model, name: op.index.name, index: op.index };
    case "RemoveIndex": {
      const index = op.index ?? getModelState(before, op.model).indexes.find((ix) => ix.name === op.name);
      if (!index)
        throw new IrreversibleError(`RemoveIndex ${op.name} on ${op.model}: the index definition is unknown`);
      return { op: "AddIndex", model: op.model, index };
    }
    case "AlterUniqueTogether":
      return {
        op: "AlterUniqueTogether",
        model: op.model,
        uniqueTogether: op.old ?? getModelState(before, op.model).uniqueTogether,
        old: op.uniqueTogether,
      };
    case "AddConstraint":
      return { op: "RemoveConstraint", model: op.model, name: op.constraint.name, constraint: op.constraint };
    case "RemoveConstraint": {
      const constraint =
        op.constraint ?? getModelState(before, op.model).constraints.find((c) => c.name === op.name);
      if (!constraint)
        throw new IrreversibleError(
          `RemoveConstraint ${op.name} on ${op.model}: the constraint definition is unknown`,
        );
      return { op: "AddConstraint", model: op.model, constraint };
    }
    case "RunSQL":
      if (op.reverseSql === undefined)
        throw new IrreversibleError(`RunSQL has no reverseSql: ${JSON.stringify(op.sql).slice(0, 80)}`);
      return { op: "RunSQL", sql: op.reverseSql, reverseSql: op.sql };
    case "RunCode":
      if (!op.reverseCode)
        throw new IrreversibleError(
          `RunCode${op.description ? ` (${op.description})` : ""} has no reverseCode`,
        );
      return { op: "RunCode", code: op.reverseCode, reverseCode: op.code, description: op.description };
  }
}

/** Database steps to apply `op` (from → to). */
export function databaseForwards(
  op: Operation,
  from: ProjectState,
  to: ProjectState,
  vendor: Vendor,
): Step[] {
  return forwardSteps(op, from, to, vendor);
}

/** Database steps to unapply `op`: `after` is the state with it applied, `before` without. */
export function databaseBackwards(
  op: Operation,
  after: ProjectState,
  before: ProjectState,
  vendor: Vendor,
): Step[] {
  return forwardSteps(inverse(op, before), after, before, vendor);
}

/** A one-line description, as Django's `describe()`. */
export function describeOperation(op: Operation): string {
  switch (op.op) {
    case "CreateModel":
      return `Create model ${op.model.label}`;
    case "DeleteModel":
      return `Delete model ${op.model}`;
    case "AddField":
      return `Add field ${op.name} to ${op.model}`;
    case "RemoveField":
      return `Remove field ${op.name} from ${op.model}`;
    case "AlterField":
      return `Alter field ${op.name} on ${op.model}`;
    case "RenameField":
      return `Rename field ${op.oldName} on ${op.model} to ${op.newName}`;
    case "AlterModelTable":
      return `Rename table for ${op.model} to ${op.table}`;
    case "AddIndex":
      return `Create index ${op.index.name} on ${op.index.fields.join(", ")} on model ${op.model}`;
    case "RemoveIndex":
      return `Remove index ${op.name} from ${op.model}`;
    case "AlterUniqueTogether":
      return `Alter unique_together for ${op.model} (${op.uniqueTogether.length} constraint(s))`;
    case "AddConstraint":
      return `Create constraint ${op.constraint.name} on model ${op.model}`;
    case "RemoveConstraint":
      return `Remove constraint ${op.name} from model ${op.model}`;
    case "RunSQL":
      return "Raw SQL operation";
    case "RunCode":
      return op.description ? `Run code: ${op.description}` : "Run code";
  }
}

/** What RunCode steps get; the state and its historical models are filled in per step. */
export function runCodeContext(database: Database): RunCodeContext {
  return { database, vendor: database.vendor, getModel, state: new Map() };
}
