// INSERT and UPDATE of single instances (save()).
import { type SQL, sql } from "drizzle-orm";
import type { QueryResult } from "../db/database.js";
import { getDatabase } from "../db/registry.js";
import { runSql } from "../db/run.js";
import type { Vendor } from "../db/url.js";
import { FieldError } from "../errors.js";
import { fromDb, toDb } from "../fields/convert.js";
import type { FieldMeta } from "../fields/types.js";
import { Ctx } from "../query/compiler.js";
import { isExpression, rescale } from "../query/expressions.js";
import { insertStatement, updateRowStatement } from "../query/statements.js";
import { type AnyInstance, type AnyModel, stateOf } from "./internal.js";

/** Copies the pk of a cached related instance into the FK column (it may have been saved since assignment). */
function syncForeignKeys(model: AnyModel, instance: AnyInstance): void {
  const cache = stateOf(instance).cache;
  for (const f of model.meta.fields) {
    if (!f.isRelation) continue;
    const related = cache.get(f.name) as AnyInstance | null | undefined;
    if (related && (instance[f.attname] === null || instance[f.attname] === undefined)) {
      if (related.pk === null || related.pk === undefined) {
        throw new TypeError(
          `save() prohibited to prevent data loss due to unsaved related object '${f.name}'.`,
        );
      }
      instance[f.attname] = related.pk;
    }
  }
}

export function valueSql(model: AnyModel, f: FieldMeta, value: unknown, vendor: Vendor, alias?: string): SQL {
  if (isExpression(value)) {
    const ctx = new Ctx(vendor, model, alias ?? model.meta.dbTable, { n: 0 }, new Map(), undefined);
    const c = value.compile(ctx);
    if (ctx.joins.length > 0) {
      throw new FieldError(
        `Joined field references are not permitted in this query (${model.meta.label}.${f.name})`,
      );
    }
    if (vendor === "sqlite" && f.storage === "decimal") {
      return rescale(c.sql, c.out.storage === "decimal" ? (c.out.scale ?? 0) : 0, f.decimalPlaces ?? 0);
    }
    return c.sql;
  }
  const conv = f.isRelation ? f.relatedModel!().meta.pk : f;
  const v = toDb(conv, value, vendor);
  if (f.storage === "json" && vendor === "postgresql") return sql`CAST(${sql.param(v)} AS jsonb)`;
  return sql`${sql.param(v)}`;
}

export async function insertInstance(model: AnyModel, instance: AnyInstance): Promise<void> {
  const db = getDatabase();
  // multi-table inheritance: the parent rows first, their pk becomes the child's parent link
  for (const [parent, link] of model.meta.parents) {
    await insertInstance(parent, instance);
    instance[link.attname] = instance[parent.meta.pk.attname];
  }
  syncForeignKeys(model, instance);
  const fields = model.meta.localFields.filter(
    (f) => !(f.storage === "auto" && (instance[f.attname] === null || instance[f.attname] === undefined)),
  );
  const pk = model.meta.pk;
  let res: QueryResult;
  if (fields.length === 0) {
    const query = sql`INSERT INTO ${sql.identifier(model.meta.dbTable)} DEFAULT VALUES RETURNING ${sql.identifier(pk.column)}`;
    res = await runSql(db, query, { arrayMode: true });
  } else {
    // the INSERT's SQL is built once per model and column list (values bound each time)
    const statement = insertStatement(model, fields, [fields.map((f) => instance[f.attname])], db, false);
    res = await db.execute(statement.sql, statement.params, { arrayMode: true });
  }
  const row = res.rows[0] as unknown[] | undefined;
  if (row) instance[pk.attname] = fromDb(pk, row[0], db.vendor);
}

/** UPDATE by pk; false when no row matched. */
export async function updateInstance(
  model: AnyModel,
  instance: AnyInstance,
  updateFields: readonly string[] | undefined,
): Promise<boolean> {
  const db = getDatabase();
  let matched = false;
  for (const [parent, link] of model.meta.parents) {
    instance[parent.meta.pk.attname] = instance[link.attname];
    const parentNames = new Set(parent.meta.fields.flatMap((f) => [f.name, f.attname]));
    const parentFields = updateFields?.filter((n) => parentNames.has(n));
    if (!updateFields || (parentFields && parentFields.length > 0)) {
      matched = (await updateInstance(parent, instance, parentFields)) || matched;
    }
  }
  syncForeignKeys(model, instance);
  const pk = model.meta.pk;
  let fields = model.meta.localFields.filter((f) => !f.primaryKey);
  if (updateFields) {
    const wanted = new Set(updateFields);
    fields = fields.filter((f) => wanted.has(f.name) || wanted.has(f.attname));
    const known = new Set(model.meta.fields.flatMap((f) => [f.name, f.attname]));
    const unknown = updateFields.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new TypeError(
        `The following fields do not exist in this model, are m2m fields, or are non-concrete fields: ${unknown.join(", ")}`,
      );
    }
  }
  const deferred = stateOf(instance).deferred;
  // A deferred (only()/defer()) column reads as undefined until assigned: an assigned one is saved, like Django.
  if (deferred && !updateFields) {
    fields = fields.filter((f) => !deferred.has(f.name) || instance[f.attname] !== undefined);
    const remaining = new Set(deferred);
    for (const f of fields) remaining.delete(f.name);
    stateOf(instance).deferred = remaining;
  }
  const pkValue = instance[pk.attname];
  if (fields.length === 0) {
    if (updateFields && model.meta.parents.size > 0) return matched;
    const pkConv = pk.isRelation ? pk.relatedModel!().meta.pk : pk;
    const where = sql`${sql.identifier(pk.column)} = ${sql.param(toDb(pkConv, pkValue, db.vendor))}`;
    const res = await runSql(db, sql`SELECT 1 FROM ${sql.identifier(model.meta.dbTable)} WHERE ${where}`);
    return res.rows.length > 0 || matched;
  }
  // the UPDATE's SQL is built once per model and column list (values bound each time)
  const values = fields.map((f) => instance[f.attname]);
  const statement = updateRowStatement(model, fields, values, pkValue, db);
  const res = await db.execute(statement.sql, statement.params);
  return res.rowCount > 0 || matched;
}
