// The SQL a QuerySet runs, from the template cache when its shape has been compiled before.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import type { Vendor } from "../db/url.js";
import { toDb } from "../fields/convert.js";
import type { FieldMeta } from "../fields/types.js";
import type { AnyModel } from "../model/internal.js";
import { valueSql } from "../model/persist.js";
import { Ctx, col, compileWhere } from "./compiler.js";
import { isExpression } from "./expressions.js";
import { annotationMap, compileSelect, type SelectPlan } from "./select.js";
import { NO_ITEMS, PK_FLAT, type QueryState } from "./state.js";
import {
  Binder,
  cachedTemplate,
  ShapeChanged,
  SlotParam,
  shapeBases,
  shapeOf,
  storeTemplate,
  Template,
  Uncacheable,
} from "./template.js";

export interface Statement<P> {
  sql: string;
  params: unknown[];
  plan: P;
}

type Compile<P> = (binder: Binder | undefined) => { sql: SQL; plan: P };

function statement<P>(
  model: AnyModel,
  state: QueryState,
  db: Database,
  kind: string,
  compile: Compile<P>,
  extraKey?: string,
  extraValues?: readonly unknown[],
): Statement<P> {
  const shape = extraValues && extraKey === undefined ? undefined : shapeOf(state, db.vendor, kind);
  if (shape && extraValues) {
    shape.key += `|${extraKey}`;
    shape.values.push(...extraValues);
  }
  if (shape) {
    let template = cachedTemplate<P>(model, shape.head, shape.key);
    if (template === undefined) {
      try {
        const compiled = compile(
          new Binder(shapeBases(shape), shape.values.length - (extraValues?.length ?? 0)),
        );
        template = Template.build(db.dialect, compiled.sql, compiled.plan);
      } catch (err) {
        if (!(err instanceof Uncacheable)) throw err;
        template = null;
      }
      storeTemplate(model, shape.head, shape.key, template);
    }
    if (template) {
      try {
        return { sql: template.sql, params: template.bind(shape.values), plan: template.plan };
      } catch (err) {
        if (!(err instanceof ShapeChanged)) throw err;
      }
    }
  }
  const compiled = compile(undefined);
  const q = db.dialect.sqlToQuery(compiled.sql);
  return { sql: q.sql, params: q.params, plan: compiled.plan };
}

/** The SELECT of a QuerySet and the plan to read its rows. */
export function selectStatement(model: AnyModel, state: QueryState, db: Database): Statement<SelectPlan> {
  return statement(model, state, db, "select", (binder) =>
    compileSelect(model, state, db.vendor, undefined, undefined, binder),
  );
}

/** SELECT COUNT(*) of a QuerySet (`state` without ordering, prefetches or joins for selectRelated). */
export function countStatement(model: AnyModel, state: QueryState, db: Database): Statement<undefined> {
  return statement(model, state, db, "count", (binder) => ({
    sql: compileCount(model, state, db.vendor, binder),
    plan: undefined,
  }));
}

function compileCount(model: AnyModel, state: QueryState, vendor: Vendor, binder: Binder | undefined): SQL {
  if (
    state.distinct ||
    state.limit !== undefined ||
    state.offset > 0 ||
    state.groupBy ||
    state.distinctFields.length
  ) {
    const inner = compileSelect(
      model,
      state.values || state.distinct ? state : { ...state, values: { fields: ["pk"], mode: "flat" } },
      vendor,
      undefined,
      undefined,
      binder,
    );
    return sql`SELECT COUNT(*) FROM (${inner.sql}) subquery`;
  }
  const ctx = new Ctx(vendor, model, "t0", { n: 1 }, annotationMap(state), undefined);
  ctx.binder = binder;
  const where = compileWhere(ctx, state);
  const parts: SQL[] = [
    sql`SELECT COUNT(*) FROM ${sql.identifier(model.meta.dbTable)} ${sql.identifier("t0")}`,
  ];
  if (ctx.joins.length > 0) parts.push(sql` ${sql.join(ctx.joins, sql` `)}`);
  if (where) parts.push(sql` WHERE ${where}`);
  return sql.join(parts);
}

/** The state of a QuerySet embedded as `pk IN (subquery)` (QuerySet.compileSubquery's rules). */
function subqueryState(state: QueryState): QueryState {
  let s = state;
  if (!s.values) s = { ...s, values: PK_FLAT };
  if (s.limit === undefined && s.offset === 0) s = { ...s, order: NO_ITEMS };
  return { ...s, prefetch: NO_ITEMS, selectRelated: NO_ITEMS };
}

/** WHERE of an UPDATE/DELETE: on the table itself, or `pk IN (SELECT …)` when it needs joins or slicing. */
export function compileWriteWhere(
  model: AnyModel,
  state: QueryState,
  vendor: Vendor,
  binder: Binder | undefined,
): SQL | undefined {
  const table = model.meta.dbTable;
  const ctx = new Ctx(vendor, model, table, { n: 0 }, annotationMap(state), undefined);
  ctx.binder = binder;
  const where = compileWhere(ctx, state);
  const needsSubquery =
    ctx.joins.length > 0 || state.limit !== undefined || state.offset > 0 || state.distinct;
  if (!needsSubquery) return where;
  const inner = compileSelect(model, subqueryState(state), vendor, { n: 0 }, undefined, binder);
  return sql`${col(table, model.meta.pk.column)} IN (${inner.sql})`;
}

/** One SET item: the column and its value (an expression, or a slot when compiling a template). */
export type SetCompiler = (ctx: { binder: Binder | undefined; firstSlot: number }) => SQL;

/**
 * UPDATE … SET … WHERE …; `sets` compile the SET list, `setKey`/`setValues` extend the shape with
 * what the SQL depends on in the new values and the values to bind (undefined: never a template).
 */
export function updateStatement(
  model: AnyModel,
  state: QueryState,
  db: Database,
  setKey: string | undefined,
  setValues: readonly unknown[],
  sets: SetCompiler,
): Statement<undefined> {
  const compile: Compile<undefined> = (binder) => {
    const where = compileWriteWhere(model, state, db.vendor, binder);
    const set = sets({ binder, firstSlot: binder ? binder.size : 0 });
    const query = sql`UPDATE ${sql.identifier(model.meta.dbTable)} SET ${set}${where ? sql` WHERE ${where}` : sql``}`;
    return { sql: query, plan: undefined };
  };
  return statement(model, state, db, "update", compile, setKey, setValues);
}

export function deleteStatement(model: AnyModel, state: QueryState, db: Database): Statement<undefined> {
  return statement(model, state, db, "delete", (binder) => {
    const where = compileWriteWhere(model, state, db.vendor, binder);
    return {
      sql: sql`DELETE FROM ${sql.identifier(model.meta.dbTable)}${where ? sql` WHERE ${where}` : sql``}`,
      plan: undefined,
    };
  });
}

/**
 * INSERT of `rows` (values in `fields` order) with RETURNING the pk, or ON CONFLICT DO NOTHING.
 * The SQL depends only on the columns and the number of rows, unless a value is an expression.
 */
export function insertStatement(
  model: AnyModel,
  fields: readonly FieldMeta[],
  rows: readonly (readonly unknown[])[],
  db: Database,
  ignoreConflicts: boolean,
): Statement<undefined> {
  const vendor = db.vendor;
  const compile = (slots: boolean): SQL => {
    const values = rows.map(
      (row, r) =>
        sql`(${sql.join(
          fields.map((f, i) =>
            slots ? insertValueSql(f, r * fields.length + i, vendor) : valueSql(model, f, row[i], vendor),
          ),
          sql`, `,
        )})`,
    );
    const insert = sql`INSERT INTO ${sql.identifier(model.meta.dbTable)} (${sql.join(
      fields.map((f) => sql.identifier(f.column)),
      sql`, `,
    )}) VALUES ${sql.join(values, sql`, `)}`;
    return ignoreConflicts
      ? sql`${insert} ON CONFLICT DO NOTHING`
      : sql`${insert} RETURNING ${sql.identifier(model.meta.pk.column)}`;
  };
  const flat = rows.flat();
  if (flat.some((v) => isExpression(v))) {
    const q = db.dialect.sqlToQuery(compile(false));
    return { sql: q.sql, params: q.params, plan: undefined };
  }
  let key = `${vendor}:insert|${rows.length}|${ignoreConflicts ? "i" : ""}|`;
  for (const f of fields) key += `${f.column},`;
  let template = cachedTemplate<undefined>(model, key);
  if (!template) {
    template = Template.build(db.dialect, compile(true), undefined);
    storeTemplate(model, key, "", template);
  }
  return { sql: template.sql, params: template.bind(flat), plan: undefined };
}

/** What valueSql writes for a plain value, as a slot. */
function insertValueSql(f: FieldMeta, slot: number, vendor: Vendor): SQL {
  const conv = f.isRelation ? f.relatedModel!().meta.pk : f;
  const p = sql`${sql.param(new SlotParam(slot, -1, false, (v) => toDb(conv, v, vendor)))}`;
  return f.storage === "json" && vendor === "postgresql" ? sql`CAST(${p} AS jsonb)` : p;
}

/** save() of a loaded instance: UPDATE … SET `fields` … WHERE pk = ?, built once per model and column list. */
export function updateRowStatement(
  model: AnyModel,
  fields: readonly FieldMeta[],
  values: readonly unknown[],
  pkValue: unknown,
  db: Database,
): Statement<undefined> {
  const vendor = db.vendor;
  const pk = model.meta.pk;
  const pkConv = pk.isRelation ? pk.relatedModel!().meta.pk : pk;
  const compile = (slots: boolean): SQL => {
    const sets = fields.map(
      (f, i) =>
        sql`${sql.identifier(f.column)} = ${slots ? insertValueSql(f, i, vendor) : valueSql(model, f, values[i], vendor)}`,
    );
    const pkParam = slots
      ? sql.param(new SlotParam(fields.length, -1, false, (v) => toDb(pkConv, v, vendor)))
      : sql.param(toDb(pkConv, pkValue, vendor));
    return sql`UPDATE ${sql.identifier(model.meta.dbTable)} SET ${sql.join(sets, sql`, `)} WHERE ${sql.identifier(pk.column)} = ${pkParam}`;
  };
  if (values.some((v) => isExpression(v))) {
    const q = db.dialect.sqlToQuery(compile(false));
    return { sql: q.sql, params: q.params, plan: undefined };
  }
  let key = `${vendor}:update-row|`;
  for (const f of fields) key += `${f.column},`;
  let template = cachedTemplate<undefined>(model, key);
  if (!template) {
    template = Template.build(db.dialect, compile(true), undefined);
    storeTemplate(model, key, "", template);
  }
  return { sql: template.sql, params: template.bind([...values, pkValue]), plan: undefined };
}
