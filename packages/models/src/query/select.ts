// Builds SELECT statements and the plan to turn their rows into instances or dicts.
import { type SQL, sql } from "drizzle-orm";
import type { Vendor } from "../db/url.js";
import { FieldError } from "../errors.js";
import type { FieldMeta } from "../fields/types.js";
import type { AnyModel } from "../model/internal.js";
import {
  type Counter,
  Ctx,
  col,
  compileOrder,
  compileWhere,
  limitSql,
  orderItems,
  parentPath,
} from "./compiler.js";
import type { Compiled, Expression, OutField } from "./expressions.js";
import type { QueryState } from "./state.js";
import type { Binder } from "./template.js";

interface ModelGroup {
  model: AnyModel;
  fields: FieldMeta[];
  start: number;
  /** selectRelated: where to attach (parent group index and relation name) */
  parent: number;
  name: string;
  /** reverse one-to-one: attach as a single related object */
  reverse: boolean;
  deferred: Set<string> | undefined;
}

export interface SelectPlan {
  kind: "instances" | "values";
  groups: ModelGroup[];
  annotations: { name: string; out: OutField; index: number }[];
  values: { key: string; out: OutField; index: number }[];
}

export function annotationMap(state: QueryState): Map<string, Expression> {
  return new Map(state.annotations);
}

function concreteFieldNames(model: AnyModel): string[] {
  return model.meta.fields.map((f) => f.name);
}

function loadedFields(
  model: AnyModel,
  state: QueryState,
  prefix: string,
): { fields: FieldMeta[]; deferred?: Set<string> } {
  const all = model.meta.fields;
  const pick = (names: string[]) =>
    names
      .filter((n) => (prefix ? n.startsWith(`${prefix}__`) : !n.includes("__")))
      .map((n) => (prefix ? n.slice(prefix.length + 2) : n))
      .filter((n) => !n.includes("__"));
  let fields = all;
  if (state.only) {
    const only = new Set(pick(state.only));
    if (only.size > 0 || !prefix) {
      for (const n of only)
        if (!all.some((f) => f.name === n || f.attname === n) && n !== "pk") throw unknownLoad(model, n);
      fields = all.filter((f) => f.primaryKey || only.has(f.name) || only.has(f.attname));
    }
  }
  const defer = new Set(pick(state.defer));
  for (const n of defer) if (!all.some((f) => f.name === n)) throw unknownLoad(model, n);
  fields = fields.filter((f) => f.primaryKey || !defer.has(f.name));
  if (fields.length === all.length) return { fields };
  const loaded = new Set(fields.map((f) => f.name));
  return { fields, deferred: new Set(concreteFieldNames(model).filter((n) => !loaded.has(n))) };
}

function unknownLoad(model: AnyModel, name: string): FieldError {
  return new FieldError(
    `${model.meta.label} has no field named '${name}'. Choices are: ${model.meta.fields.map((f) => f.name).join(", ")}`,
  );
}

export interface CompiledSelect {
  sql: SQL;
  plan: SelectPlan;
}

export function compileSelect(
  model: AnyModel,
  state: QueryState,
  vendor: Vendor,
  counter: Counter = { n: 0 },
  outer?: Ctx,
  binder?: Binder,
): CompiledSelect {
  const annotations = annotationMap(state);
  const ctx = new Ctx(vendor, model, `t${counter.n++}`, counter, annotations, outer);
  ctx.binder = binder;
  const grouped = state.values !== undefined && state.groupBy !== undefined;
  if (grouped) ctx.aggregateMode = "inline";
  const cols: SQL[] = [];
  const plan: SelectPlan = {
    kind: state.values ? "values" : "instances",
    groups: [],
    annotations: [],
    values: [],
  };
  const groupBy: SQL[] = [];

  if (state.values) {
    const names = state.values.fields.length > 0 ? state.values.fields : defaultValueNames(model, state);
    for (const key of names) {
      const c: Compiled = ctx.ref(key === "pk" ? model.meta.pk.name : key);
      plan.values.push({ key, out: c.out, index: cols.length });
      cols.push(c.sql);
      if (grouped && !annotations.has(key)) groupBy.push(c.sql);
    }
  } else {
    const { fields, deferred } = loadedFields(model, state, "");
    plan.groups.push({ model, fields, start: 0, parent: -1, name: "", reverse: false, deferred });
    for (const f of fields) cols.push(col(fieldAlias(ctx, ctx.alias, model, [], f), f.column));
    // selectRelated: one LEFT JOIN per relation, columns appended
    const paths = expandSelectRelated(model, state.selectRelated);
    const groupIndex = new Map<string, number>([["", 0]]);
    for (const path of paths) {
      const parts = path.split("__");
      const parentPath = parts.slice(0, -1).join("__");
      const parent = groupIndex.get(parentPath);
      if (parent === undefined) throw new FieldError(`selectRelated('${path}') needs '${parentPath}' first`);
      const parentModel = plan.groups[parent]!.model;
      const name = parts[parts.length - 1]!;
      const { target, reverse } = selectRelatedTarget(parentModel, name, path);
      const joined = ctx.joinPath(parts);
      const loaded = loadedFields(target, state, path);
      plan.groups.push({
        model: target,
        fields: loaded.fields,
        start: cols.length,
        parent,
        name,
        reverse,
        deferred: loaded.deferred,
      });
      groupIndex.set(path, plan.groups.length - 1);
      for (const f of loaded.fields)
        cols.push(col(fieldAlias(ctx, joined.alias, target, parts, f), f.column));
      void joined;
    }
    for (const [name, expr] of state.annotations) {
      const c = expr.compile(ctx);
      plan.annotations.push({ name, out: c.out, index: cols.length });
      cols.push(c.sql);
    }
  }

  // in a GROUP BY query, conditions on aggregate annotations belong in HAVING
  const isAggregateCondition = (q: QueryState["where"][number]) =>
    q.paths().some((p) => annotations.get(p.split("__")[0]!)?.containsAggregate === true);
  const havingQs = grouped ? state.where.filter(isAggregateCondition) : [];
  const where = compileWhere(
    ctx,
    havingQs.length > 0 ? { ...state, where: state.where.filter((q) => !isAggregateCondition(q)) } : state,
  );
  const having =
    havingQs.length > 0
      ? sql.join(
          havingQs.map((q) => ctx.compileQ(q)),
          sql` AND `,
        )
      : undefined;
  const order = compileOrder(
    ctx,
    grouped || state.values ? orderItemsForValues(state, model) : orderItems(state, model),
  );
  if (state.distinct && order && vendor === "postgresql") {
    // PostgreSQL requires ORDER BY expressions of a DISTINCT query in the select list
    const items = orderItems(state, model);
    for (const item of items) {
      if (typeof item === "string" && item !== "?") {
        const name = item.replace(/^-/, "");
        cols.push(ctx.ref(name).sql);
      } else if (typeof item !== "string") cols.push(item.expression.compile(ctx).sql);
    }
  }
  let distinct = sql``;
  if (state.distinctFields.length > 0) {
    distinct = sql`DISTINCT ON (${sql.join(
      state.distinctFields.map((f) => ctx.ref(f).sql),
      sql`, `,
    )}) `;
  } else if (state.distinct) distinct = sql`DISTINCT `;
  const parts: SQL[] = [
    sql`SELECT ${distinct}${sql.join(cols, sql`, `)} FROM ${sql.identifier(model.meta.dbTable)} ${sql.identifier(ctx.alias)}`,
  ];
  if (ctx.joins.length > 0) parts.push(sql` ${sql.join(ctx.joins, sql` `)}`);
  if (where) parts.push(sql` WHERE ${where}`);
  if (groupBy.length > 0) parts.push(sql` GROUP BY ${sql.join(groupBy, sql`, `)}`);
  if (having) parts.push(sql` HAVING ${having}`);
  if (order) parts.push(sql` ORDER BY ${order}`);
  parts.push(limitSql(state, vendor));
  if (state.forUpdate && vendor === "postgresql") {
    parts.push(sql` FOR UPDATE OF ${sql.identifier(ctx.alias)}`);
    if (state.forUpdate.nowait) parts.push(sql` NOWAIT`);
    if (state.forUpdate.skipLocked) parts.push(sql` SKIP LOCKED`);
  }
  return { sql: sql.join(parts), plan };
}

/** The alias holding a field's column: a multi-table parent's fields live in the parent's table. */
function fieldAlias(ctx: Ctx, alias: string, model: AnyModel, prefix: string[], f: FieldMeta): string {
  if (f.model === model) return alias;
  const up = parentPath(model, f.model);
  if (!up) return alias;
  return ctx.joinPath([...prefix, ...up]).alias;
}

function orderItemsForValues(state: QueryState, model: AnyModel) {
  // a GROUP BY query ordered by the model's default ordering would group by it too (Django drops it)
  if (state.groupBy && state.order === undefined) return [];
  return orderItems(state, model);
}

function defaultValueNames(model: AnyModel, state: QueryState): string[] {
  return [...model.meta.fields.map((f) => f.attname), ...state.annotations.map(([n]) => n)];
}

function selectRelatedTarget(
  model: AnyModel,
  name: string,
  path: string,
): { target: AnyModel; reverse: boolean } {
  const field = model.meta.allFields.find((f) => f.name === name);
  if (field?.isRelation && field.concrete) return { target: field.relatedModel!(), reverse: false };
  const rel = model.meta.relatedObjects.find((r) => r.name === name && !r.multiple && !r.field.manyToMany);
  if (rel) return { target: rel.relatedModel, reverse: true };
  const choices = [
    ...model.meta.fields.filter((f) => f.isRelation).map((f) => f.name),
    ...model.meta.relatedObjects.filter((r) => !r.multiple && !r.field.manyToMany).map((r) => r.name),
  ];
  throw new FieldError(
    `Invalid field name(s) given in selectRelated: '${path}'. Choices are: ${choices.join(", ") || "(none)"}`,
  );
}

function expandSelectRelated(model: AnyModel, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split("__");
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("__"));
  }
  void model;
  return [...out];
}
