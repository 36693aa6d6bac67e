// The SQL a QuerySet runs, from the template cache when its shape has been compiled before.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import type { Vendor } from "../db/url.js";
import type { AnyModel } from "../model/internal.js";
import { Ctx, compileWhere } from "./compiler.js";
import { annotationMap, compileSelect, type SelectPlan } from "./select.js";
import type { QueryState } from "./state.js";
import {
  Binder,
  cachedTemplate,
  ShapeChanged,
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
): Statement<P> {
  const shape = shapeOf(state, `${db.vendor}:${kind}`);
  if (shape) {
    let template = cachedTemplate<P>(model, shape.key);
    if (template === undefined) {
      try {
        const compiled = compile(new Binder(shape.bases));
        template = Template.build(db.dialect, compiled.sql, compiled.plan);
      } catch (err) {
        if (!(err instanceof Uncacheable)) throw err;
        template = null;
      }
      storeTemplate(model, shape.key, template);
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
