// Compiles QueryState into SQL: path resolution with joins, WHERE from Q trees, SELECT/COUNT/UPDATE.
import { type SQL, sql } from "drizzle-orm";
import type { Vendor } from "../db/url.js";
import { FieldError, NotSupportedError } from "../errors.js";
import { toDb } from "../fields/convert.js";
import type { FieldMeta } from "../fields/types.js";
import type { AnyModel } from "../model/internal.js";
import { m2mInfo } from "../model/relations.js";
import type { ReverseRelation } from "../model/types.js";
import {
  type Compiled,
  type Expression,
  type ExpressionCompiler,
  F,
  isExpression,
  isOrderBy,
  type OrderBy,
  type OutField,
  rescale,
} from "./expressions.js";
import { isQ, type QNode } from "./q.js";
import type { QueryState } from "./state.js";
import { type Binder, SlotParam, Uncacheable } from "./template.js";

export const LOOKUPS = new Set([
  "exact",
  "iexact",
  "contains",
  "icontains",
  "in",
  "gt",
  "gte",
  "lt",
  "lte",
  "startswith",
  "istartswith",
  "endswith",
  "iendswith",
  "range",
  "isnull",
  "regex",
  "iregex",
]);
const TRANSFORMS = new Set(["year", "month", "day", "date"]);

export interface Counter {
  n: number;
}

/** The subquery hook a QuerySet provides so the compiler can embed it. */
export interface SubqueryCapable {
  compileSubquery(vendor: Vendor, counter: Counter, outer: Ctx | undefined): Compiled;
}

function isSubqueryCapable(v: unknown): v is SubqueryCapable {
  return typeof v === "object" && v !== null && typeof (v as SubqueryCapable).compileSubquery === "function";
}

export function fieldOut(field: FieldMeta): OutField {
  if (field.isRelation && field.concrete) {
    const target = field.relatedModel!();
    return fieldOut(target.meta.pk);
  }
  return {
    storage: field.storage,
    scale: field.decimalPlaces,
    places: field.decimalPlaces,
    name: field.name,
  };
}

export function col(alias: string, column: string): SQL {
  // alias "" → unqualified (CHECK constraints in DDL)
  if (alias === "") return sql`${sql.identifier(column)}`;
  return sql`${sql.identifier(alias)}.${sql.identifier(column)}`;
}

function modelInstanceLike(v: unknown): v is { pk: unknown; constructor: { meta?: unknown } } {
  return (
    typeof v === "object" && v !== null && "pk" in v && typeof (v as { save?: unknown }).save === "function"
  );
}

interface PathHop {
  /** the model after the hop */
  model: AnyModel;
  multi: boolean;
  /** a row may have no match across this hop (a NULL or reverse relation) */
  nullable: boolean;
  /** `inner`: every hop up to here always matches, so an INNER JOIN gives the same rows (and lets the planner use indexes) */
  join: (from: string, to: string, ctx: Ctx, inner: boolean) => SQL[];
}

interface Resolved extends Compiled {
  field: FieldMeta;
  rest: string[];
  nullable: boolean;
  multiPrefix: string | undefined;
}

/** Lookup name used in filters for a reverse relation (Django's related_query_name). */
export function reverseQueryName(rel: ReverseRelation): string {
  return rel.field.relatedName ?? rel.relatedModel.meta.modelName;
}

function findField(model: AnyModel, name: string): FieldMeta | undefined {
  const meta = model.meta;
  if (name === "pk") return meta.pk;
  return (
    meta.allFields.find((f) => f.name === name) ?? meta.fields.find((f) => f.attname === name && f.isRelation)
  );
}

function findReverse(model: AnyModel, name: string): ReverseRelation | undefined {
  return model.meta.relatedObjects.find((r) => reverseQueryName(r) === name || r.name === name);
}

export function fieldChoices(model: AnyModel): string[] {
  const names = model.meta.allFields.map((f) => f.name);
  for (const r of model.meta.relatedObjects) if (!r.name.includes("+")) names.push(reverseQueryName(r));
  return [...new Set(names)].sort();
}

function unknownField(model: AnyModel, name: string, extra: string[] = []): FieldError {
  const choices = [...fieldChoices(model), ...extra].join(", ");
  return new FieldError(
    `Cannot resolve keyword '${name}' into field of model ${model.meta.label}. Choices are: ${choices}`,
  );
}

/** Hops across a relation: the SQL joins it needs and the model it lands on. */
function relationHop(model: AnyModel, name: string): PathHop | undefined {
  const field = findField(model, name);
  if (field?.isRelation && field.concrete && field.name === name) {
    const target = field.relatedModel!();
    return {
      model: target,
      multi: false,
      nullable: field.null,
      join: (from, to, _ctx, inner) => [
        sql`${sql.raw(inner ? "INNER JOIN" : "LEFT JOIN")} ${sql.identifier(target.meta.dbTable)} ${sql.identifier(to)} ON ${col(to, target.meta.pk.column)} = ${col(from, field.column)}`,
      ],
    };
  }
  if (field?.manyToMany) {
    const info = m2mInfo(field);
    const target = field.relatedModel!();
    return {
      model: target,
      multi: true,
      nullable: true,
      join: (from, to, ctx) => {
        const mid = ctx.newAlias();
        return [
          sql`LEFT JOIN ${sql.identifier(info.through.meta.dbTable)} ${sql.identifier(mid)} ON ${col(mid, info.sourceField.column)} = ${col(from, model.meta.pk.column)}`,
          sql`LEFT JOIN ${sql.identifier(target.meta.dbTable)} ${sql.identifier(to)} ON ${col(to, target.meta.pk.column)} = ${col(mid, info.targetField.column)}`,
        ];
      },
    };
  }
  const rev = findReverse(model, name);
  if (rev) {
    const related = rev.relatedModel;
    if (rev.field.manyToMany) {
      const info = m2mInfo(rev.field);
      return {
        model: related,
        multi: true,
        nullable: true,
        join: (from, to, ctx) => {
          const mid = ctx.newAlias();
          return [
            sql`LEFT JOIN ${sql.identifier(info.through.meta.dbTable)} ${sql.identifier(mid)} ON ${col(mid, info.targetField.column)} = ${col(from, model.meta.pk.column)}`,
            sql`LEFT JOIN ${sql.identifier(related.meta.dbTable)} ${sql.identifier(to)} ON ${col(to, related.meta.pk.column)} = ${col(mid, info.sourceField.column)}`,
          ];
        },
      };
    }
    const targetCol = rev.field.relatedModel!().meta.pk.column;
    return {
      model: related,
      multi: rev.multiple,
      nullable: true,
      join: (from, to) => [
        sql`LEFT JOIN ${sql.identifier(related.meta.dbTable)} ${sql.identifier(to)} ON ${col(to, rev.field.column)} = ${col(from, targetCol)}`,
      ],
    };
  }
  return undefined;
}

/** Parent-link names from `model` up to `ancestor` (multi-table inheritance), or undefined. */
export function parentPath(model: AnyModel, ancestor: AnyModel): string[] | undefined {
  for (const [parent, link] of model.meta.parents) {
    if (parent === ancestor) return [link.name];
    const rest = parentPath(parent, ancestor);
    if (rest) return [link.name, ...rest];
  }
  return undefined;
}

/** The ancestor path to the model that owns a reverse relation / field `name`, for multi-table children. */
function inheritedOwner(model: AnyModel, name: string): { path: string[]; model: AnyModel } | undefined {
  for (const [parent, link] of model.meta.parents) {
    if (relationHop(parent, name) || parent.meta.allFields.some((f) => f.name === name)) {
      return { path: [link.name], model: parent };
    }
    const up = inheritedOwner(parent, name);
    if (up) return { path: [link.name, ...up.path], model: up.model };
  }
  return undefined;
}

/** Inserts multi-table parent links before relations that a parent model owns. */
function expandInherited(model: AnyModel, parts: readonly string[]): string[] {
  if (model.meta.parents.size === 0) {
    // fast path: no multi-table inheritance anywhere along the path
    let m: AnyModel | undefined = model;
    let simple = true;
    for (const p of parts) {
      if (!m || m.meta.parents.size > 0) {
        simple = false;
        break;
      }
      m = relationHop(m, p)?.model;
    }
    if (simple) return [...parts];
  }
  const out: string[] = [];
  let m = model;
  for (const part of parts) {
    const f = findField(m, part);
    if (f && f.model !== m) {
      const up = parentPath(m, f.model);
      if (up) {
        out.push(...up);
        m = f.model;
      }
    } else if (!f && !relationHop(m, part)) {
      const owner = inheritedOwner(m, part);
      if (owner) {
        out.push(...owner.path);
        m = owner.model;
      }
    }
    out.push(part);
    const hop = relationHop(m, part);
    if (!hop) break;
    m = hop.model;
  }
  return out;
}

/** First multi-valued prefix of a path ("books" in "books__title__icontains"), if any. */
export function multiValuedPrefix(model: AnyModel, parts: readonly string[]): string | undefined {
  let m = model;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    const field = findField(m, name);
    if (field && !field.isRelation) return undefined;
    if (field && field.name !== name) return undefined; // attname
    const hop = relationHop(m, name);
    if (!hop) return undefined;
    if (hop.multi) return parts.slice(0, i + 1).join("__");
    m = hop.model;
  }
  return undefined;
}

export type AggregateMode = "correlated" | "inline";

/** One SELECT scope: its model, alias, joins, and annotations in scope. */
export class Ctx implements ExpressionCompiler {
  readonly joins: SQL[] = [];
  private readonly joinAliases = new Map<string, { alias: string; model: AnyModel }>();
  /** set when a filter inside this scope may join multi-valued relations directly */
  inMultiSubquery = false;
  /** set while compiling a template: filter values become slots bound at execution */
  binder: Binder | undefined = undefined;

  constructor(
    readonly vendor: Vendor,
    readonly model: AnyModel,
    readonly alias: string,
    readonly counter: Counter,
    readonly annotations: Map<string, Expression>,
    readonly outer: Ctx | undefined,
    public aggregateMode: AggregateMode = "correlated",
  ) {}

  newAlias(): string {
    return `t${this.counter.n++}`;
  }

  get hasJoins(): boolean {
    return this.joins.length > 0;
  }

  /** Joins (once per path) up to `parts` and returns the alias and model there. */
  joinPath(path: readonly string[]): { alias: string; model: AnyModel; multi: boolean; nullable: boolean } {
    const parts = expandInherited(this.model, path);
    let alias = this.alias;
    let model = this.model;
    let multi = false;
    // Django's join promotion, simplified: INNER JOIN while every hop so far is a NOT NULL
    // foreign key (each row has exactly one match), LEFT JOIN from the first nullable hop on.
    let required = true;
    for (let i = 0; i < parts.length; i++) {
      const key = parts.slice(0, i + 1).join("__");
      const hop = relationHop(model, parts[i]!);
      if (!hop) throw unknownField(model, parts[i]!);
      multi ||= hop.multi;
      required = required && !hop.nullable && !hop.multi;
      let joined = this.joinAliases.get(key);
      if (!joined) {
        const to = this.newAlias();
        this.joins.push(...hop.join(alias, to, this, required));
        joined = { alias: to, model: hop.model };
        this.joinAliases.set(key, joined);
      }
      alias = joined.alias;
      model = joined.model;
    }
    return { alias, model, multi, nullable: parts.length > 0 };
  }

  /** Resolves `a__b__c` to a column; what is left over (lookups, transforms, JSON keys) is in `rest`. */
  resolve(parts: readonly string[]): Resolved {
    let model = this.model;
    let i = 0;
    const hops: string[] = [];
    while (i < parts.length) {
      const name = parts[i]!;
      const field = findField(model, name);
      if (field && field.model !== model) {
        // a field inherited from a multi-table parent: hop along the parent links first
        const up = parentPath(model, field.model);
        if (up) {
          hops.push(...up);
          model = field.model;
          continue;
        }
      }
      if (!field && !relationHop(model, name)) {
        const owner = inheritedOwner(model, name);
        if (owner) {
          hops.push(...owner.path);
          model = owner.model;
          continue;
        }
      }
      if (field && (!field.isRelation || field.name !== name)) {
        // a plain column (or an FK's attname like category_id)
        const { alias, nullable, multi } = this.joinPath(hops);
        return {
          sql: col(alias, field.column),
          out: fieldOut(field),
          field,
          rest: parts.slice(i + 1),
          nullable: nullable || field.null,
          multiPrefix: multi ? hops.join("__") : undefined,
        };
      }
      const hop = relationHop(model, name);
      if (!hop) throw unknownField(model, name, i === 0 ? [...this.annotations.keys()] : []);
      const next = parts[i + 1];
      const nextIsField =
        next !== undefined &&
        (findField(hop.model, next) !== undefined || relationHop(hop.model, next) !== undefined);
      if (field?.isRelation && field.concrete && !nextIsField) {
        // compare the FK column itself (to a pk or an instance)
        const { alias, nullable, multi } = this.joinPath(hops);
        return {
          sql: col(alias, field.column),
          out: fieldOut(field),
          field,
          rest: parts.slice(i + 1),
          nullable: nullable || field.null,
          multiPrefix: multi ? hops.join("__") : undefined,
        };
      }
      if (field?.isRelation && field.concrete && (next === "pk" || next === hop.model.meta.pk.name)) {
        // category__id: the local FK column, no join
        const { alias, nullable, multi } = this.joinPath(hops);
        return {
          sql: col(alias, field.column),
          out: fieldOut(field),
          field,
          rest: parts.slice(i + 2),
          nullable: nullable || field.null,
          multiPrefix: multi ? hops.join("__") : undefined,
        };
      }
      hops.push(name);
      model = hop.model;
      i++;
      if (!nextIsField) {
        // reverse/M2M relation used as a value: its primary key
        const { alias, multi } = this.joinPath(hops);
        return {
          sql: col(alias, model.meta.pk.column),
          out: fieldOut(model.meta.pk),
          field: model.meta.pk,
          rest: parts.slice(i),
          nullable: true,
          multiPrefix: multi ? hops.join("__") : undefined,
        };
      }
    }
    throw unknownField(model, parts.join("__"));
  }

  // ExpressionCompiler
  ref(name: string): Compiled {
    const ann = this.annotations.get(name);
    if (ann) return ann.compile(this);
    const r = this.resolve(name.split("__"));
    if (r.rest.length > 0) {
      return this.applyTransforms(r, r.rest, name);
    }
    return { sql: r.sql, out: r.out };
  }

  private applyTransforms(r: Compiled, rest: string[], name: string): Compiled {
    let cur = r;
    for (const t of rest) {
      if (TRANSFORMS.has(t)) cur = transform(cur, t, this.vendor);
      else if (cur.out.storage === "json") cur = jsonKey(cur, t, this.vendor);
      else throw new FieldError(`Cannot resolve expression '${name}': '${t}' is not a transform`);
    }
    return cur;
  }

  outerRef(name: string): Compiled {
    if (!this.outer) throw new FieldError(`OuterRef('${name}') used outside a subquery`);
    return this.outer.ref(name);
  }

  condition(q: QNode): SQL {
    return this.compileQ(q);
  }

  subquery(qs: unknown): Compiled {
    if (!isSubqueryCapable(qs)) throw new FieldError("Subquery() needs a QuerySet");
    return qs.compileSubquery(this.vendor, this.counter, this);
  }

  aggregate(fn: (inner: ExpressionCompiler) => SQL, _refs: readonly Expression[], out: OutField): Compiled {
    if (this.aggregateMode === "inline") return { sql: fn(this), out };
    // annotate(): the aggregate over this row's related rows, as a correlated subquery
    const inner = new Ctx(
      this.vendor,
      this.model,
      this.newAlias(),
      this.counter,
      this.annotations,
      this.outer,
    );
    inner.aggregateMode = "inline";
    inner.inMultiSubquery = true;
    inner.binder = this.binder;
    const body = fn(inner);
    const pk = this.model.meta.pk.column;
    return {
      sql: sql`(SELECT ${body} FROM ${sql.identifier(this.model.meta.dbTable)} ${sql.identifier(inner.alias)} ${sql.join(inner.joins, sql` `)} WHERE ${col(inner.alias, pk)} = ${col(this.alias, pk)})`,
      out,
    };
  }

  // WHERE
  compileQ(q: QNode): SQL {
    const parts: SQL[] = [];
    for (const child of q.children) {
      if (isQ(child)) {
        if (!child.isEmpty) parts.push(this.compileQ(child));
      } else parts.push(...this.compileKwargs(child));
    }
    let body: SQL;
    if (parts.length === 0) body = sql`1 = 1`;
    else if (parts.length === 1) body = parts[0]!;
    else body = sql`(${sql.join(parts, sql.raw(q.connector === "AND" ? " AND " : " OR "))})`;
    return q.negated ? sql`NOT (${body})` : body;
  }

  /** One filter() call's keywords: conditions across a multi-valued relation share one subquery. */
  compileKwargs(kwargs: Record<string, unknown>): SQL[] {
    const direct: SQL[] = [];
    const groups = new Map<string, [string, unknown, number][]>();
    const base = this.binder ? this.binder.baseOf(kwargs) : -1;
    let slot = base - 1;
    for (const [key, value] of Object.entries(kwargs)) {
      slot++;
      if (value === undefined) {
        throw new FieldError(`Filter '${key}' on ${this.model.meta.label} has the value undefined`);
      }
      const parts = key.split("__");
      const prefix =
        this.inMultiSubquery || this.annotations.has(parts[0]!)
          ? undefined
          : multiValuedPrefix(this.model, parts);
      if (prefix === undefined) direct.push(this.leaf(key, value, base < 0 ? -1 : slot));
      else {
        const g = groups.get(prefix) ?? [];
        g.push([key, value, base < 0 ? -1 : slot]);
        groups.set(prefix, g);
      }
    }
    for (const entries of groups.values()) {
      const inner = new Ctx(
        this.vendor,
        this.model,
        this.newAlias(),
        this.counter,
        this.annotations,
        this.outer,
      );
      inner.inMultiSubquery = true;
      inner.binder = this.binder;
      const conds = entries.map(([k, v, s]) => inner.leaf(k, v, s));
      const pk = this.model.meta.pk.column;
      direct.push(
        sql`${col(this.alias, pk)} IN (SELECT ${col(inner.alias, pk)} FROM ${sql.identifier(this.model.meta.dbTable)} ${sql.identifier(inner.alias)} ${sql.join(inner.joins, sql` `)} WHERE ${sql.join(conds, sql` AND `)})`,
      );
    }
    return direct;
  }

  /** One condition; `slot` is the value's place in the template's shape (-1: not compiling a template). */
  leaf(key: string, value: unknown, slot = -1): SQL {
    const parts = key.split("__");
    let lhs: Compiled;
    let rest: string[];
    let nullable = true;
    const ann = this.annotations.get(parts[0]!);
    if (ann) {
      lhs = ann.compile(this);
      rest = parts.slice(1);
    } else {
      const r = this.resolve(parts);
      lhs = r;
      rest = r.rest;
      nullable = r.nullable;
    }
    let lookup = "exact";
    for (let i = 0; i < rest.length; i++) {
      const p = rest[i]!;
      if (TRANSFORMS.has(p) && !(lhs.out.storage === "json")) {
        lhs = transform(lhs, p, this.vendor);
      } else if (LOOKUPS.has(p) && i === rest.length - 1) {
        lookup = p;
      } else if (lhs.out.storage === "json") {
        lhs = jsonKey(lhs, p, this.vendor);
      } else {
        throw new FieldError(
          `Unsupported lookup '${p}' for ${lhs.out.name ?? "expression"} in '${key}' on ${this.model.meta.label}; valid lookups: ${[...LOOKUPS, ...TRANSFORMS].join(", ")}`,
        );
      }
    }
    const at = slot < 0 ? undefined : { slot, sub: -1, dropNulls: false };
    const cond = buildLookup(this, lhs, lookup, value, at, ann === undefined);
    // keep NOT(...) from matching NULLs the way SQL's three-valued logic would (Django's exclude semantics)
    if (nullable && lookup !== "isnull" && !(lookup === "exact" && value === null)) {
      return sql`(${cond} AND ${lhs.sql} IS NOT NULL)`;
    }
    return cond;
  }
}

function transform(v: Compiled, part: string, vendor: Vendor): Compiled {
  if (part === "date") {
    const s = vendor === "sqlite" ? sql`substr(${v.sql}, 1, 10)` : sql`CAST(${v.sql} AS date)`;
    return { sql: s, out: { storage: "date" } };
  }
  const [start, len] = part === "year" ? [1, 4] : part === "month" ? [6, 2] : [9, 2];
  if (vendor === "sqlite") {
    return {
      sql: sql`CAST(substr(${v.sql}, ${sql.raw(String(start))}, ${sql.raw(String(len))}) AS INTEGER)`,
      out: { storage: "integer" },
    };
  }
  return {
    sql: sql`CAST(EXTRACT(${sql.raw(part.toUpperCase())} FROM ${v.sql}) AS integer)`,
    out: { storage: "integer" },
  };
}

function jsonKey(v: Compiled, key: string, vendor: Vendor): Compiled {
  const isIndex = /^\d+$/.test(key);
  if (vendor === "sqlite") {
    const path = isIndex ? `$[${key}]` : `$.${JSON.stringify(key)}`;
    return {
      sql: sql`json_extract(${v.sql}, ${sql.param(path)})`,
      out: { storage: "json", name: key, scale: -1 },
    };
  }
  const k = isIndex ? sql.raw(key) : sql`${sql.param(key)}`;
  return { sql: sql`(${v.sql} -> ${k})`, out: { storage: "json", name: key, scale: -1 } };
}

/** A JSON key extracted value (scale -1 marks it) */
function isJsonKey(out: OutField): boolean {
  return out.storage === "json" && out.scale === -1;
}

/** PostgreSQL's lower() (SQLite's i-lookups: sqliteCaseInsensitive) */
function lower(s: SQL): SQL {
  return sql`lower(${s})`;
}

function asText(lhs: Compiled, vendor: Vendor): SQL {
  if (isJsonKey(lhs.out)) {
    if (vendor === "sqlite") return lhs.sql;
    // -> gives jsonb; ->> gives text: rebuild as text extraction
    return sql`(${lhs.sql} #>> '{}')`;
  }
  if (lhs.out.storage === "string") return lhs.sql;
  // SQLite stores dates and times as text; PostgreSQL's date/time types need the cast (text lookups
  // on them were "function lower(date) does not exist")
  if ((lhs.out.storage === "date" || lhs.out.storage === "time") && vendor === "sqlite") return lhs.sql;
  if (lhs.out.storage === "uuid" && vendor === "postgresql") return sql`CAST(${lhs.sql} AS text)`;
  return vendor === "sqlite" ? sql`CAST(${lhs.sql} AS TEXT)` : sql`CAST(${lhs.sql} AS text)`;
}

/** Where a filter value sits in a template's shape: its slot, and the item of a list value. */
interface SlotRef {
  slot: number;
  sub: number;
  dropNulls: boolean;
}

function item(at: SlotRef | undefined, sub: number, dropNulls: boolean): SlotRef | undefined {
  return at && { slot: at.slot, sub, dropNulls };
}

/**
 * A filter value as a parameter. Compiling a template, the parameter is a slot that `convert`
 * fills from each execution's value (`guard` re-checks a decision the SQL depends on); otherwise
 * the converted value itself (`converted` when the caller already has it).
 */
function param(
  ctx: Ctx,
  value: unknown,
  at: SlotRef | undefined,
  convert: (v: unknown) => unknown,
  guard?: (converted: unknown) => boolean,
  converted: unknown = convert(value),
): SQL {
  if (!ctx.binder) return sql`${sql.param(converted)}`;
  if (!at) throw new Uncacheable();
  return sql`${sql.param(new SlotParam(at.slot, at.sub, at.dropNulls, convert, guard))}`;
}

function instancePk(v: unknown): unknown {
  return modelInstanceLike(v) ? v.pk : v;
}

const stringify = (v: unknown) => JSON.stringify(v);
const asIs = (v: unknown) => v;

function jsonKeySqliteValue(v: unknown): unknown {
  const x = instancePk(v);
  return typeof x === "boolean" ? (x ? 1 : 0) : x;
}

const INT4_MAX = 2147483647;
const INT4_MIN = -2147483648;

function pastInt4(converted: unknown): boolean {
  return typeof converted === "number" && (converted > INT4_MAX || converted < INT4_MIN);
}

/** Converts a filter value to a parameter (or compiles it when it is an expression). */
function rhsOf(ctx: Ctx, lhs: Compiled, value: unknown, at: SlotRef | undefined): SQL {
  if (isExpression(value)) {
    const r = value.compile(ctx);
    if (ctx.vendor === "sqlite" && lhs.out.storage === "decimal" && r.out.storage === "decimal") {
      return rescale(r.sql, r.out.scale ?? 0, lhs.out.scale ?? 0);
    }
    if (ctx.vendor === "sqlite" && lhs.out.storage === "decimal" && r.out.storage !== "decimal") {
      return rescale(r.sql, 0, lhs.out.scale ?? 0);
    }
    return r.sql;
  }
  if (isJsonKey(lhs.out)) {
    if (ctx.vendor === "sqlite") return param(ctx, value, at, jsonKeySqliteValue);
    return sql`CAST(${param(ctx, value, at, (v) => JSON.stringify(instancePk(v)))} AS jsonb)`;
  }
  const field = {
    storage: lhs.out.storage,
    decimalPlaces: lhs.out.scale,
    name: lhs.out.name ?? "value",
    baseField: undefined,
  };
  const vendor = ctx.vendor;
  // SQLite re-prepares a statement on every execution when a value bound against an indexed
  // column could change its plan (once ANALYZE has sampled the index: STAT4), which costs more
  // than running it. A boolean has two values: written into the SQL (a template per value, as
  // the shape's kind T/F already is), the statement stays prepared. Only booleans: other values
  // would make one statement per value.
  if (vendor === "sqlite" && lhs.out.storage === "boolean" && typeof value === "boolean")
    return sql.raw(value ? "1" : "0");
  const convert = (v: unknown) => toDb(field, instancePk(v), vendor);
  if (lhs.out.storage === "json" && vendor === "postgresql")
    return sql`CAST(${param(ctx, value, at, convert)} AS jsonb)`;
  // PostgreSQL types an untyped parameter after its column: a value past int4's range would be an
  // "out of range" error instead of matching nothing. bigint compares with any integer column
  // (and keeps its index usable); past bigint, toDb has already refused the value.
  if (vendor === "postgresql" && (lhs.out.storage === "integer" || lhs.out.storage === "auto")) {
    const converted = convert(value);
    const big = pastInt4(converted);
    const p = param(ctx, value, at, convert, (c) => pastInt4(c) === big, converted);
    return big ? sql`CAST(${p} AS bigint)` : p;
  }
  return param(ctx, value, at, convert);
}

function textValue(value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") {
    throw new FieldError(`Text lookups need a string, got ${JSON.stringify(value)}`);
  }
  return String(value);
}

function textParam(ctx: Ctx, value: unknown, at: SlotRef | undefined): SQL {
  return param(ctx, value, at, textValue);
}

// SQLite's i-lookups fold case with the registered x_lower() (JavaScript's toLowerCase, like
// PostgreSQL's lower()); SQLite calling into JavaScript for every row and column costs more than the
// rest of the query. A pure-ASCII value (octet_length = length: one byte per character and no NUL,
// which length() stops at) is instead matched with LIKE (which folds A-Z only, as toLowerCase does
// on ASCII) against the term lowercased in JavaScript with its wildcards escaped; a term with other
// characters matches such a value neither way. Other values keep x_lower(); NULL takes neither
// branch (NULL, as before). A term LIKE cannot take (a NUL ends its pattern; SQLite refuses patterns
// past 50,000 bytes) is compiled without the template (its guard fails) to the x_lower() form for
// every row, as are annotations (their SQL would be evaluated up to four times per row) and JSON
// keys (json_extract can give numbers, which x_lower() and LIKE treat differently).
type CaseInsensitive = "iexact" | "icontains" | "istartswith" | "iendswith";

// UTF-8 takes at most 3 bytes per UTF-16 unit: 16,000 units stay under SQLite's 50,000 bytes
const LIKE_PATTERN_MAX = 16_000;

const lowerText = (v: unknown) => textValue(v).toLowerCase();

function likePattern(lookup: CaseInsensitive, term: string): string {
  const t = term.replace(/[\\%_]/g, "\\$&");
  if (lookup === "icontains") return `%${t}%`;
  if (lookup === "istartswith") return `${t}%`;
  if (lookup === "iendswith") return `%${t}`;
  return t;
}

function likeable(pattern: unknown): boolean {
  return typeof pattern === "string" && pattern.length <= LIKE_PATTERN_MAX && !pattern.includes("\0");
}

/** `column`: lhs is a column (through joins) or a transform of one, cheap to repeat. */
function sqliteCaseInsensitive(
  ctx: Ctx,
  lhs: Compiled,
  lookup: CaseInsensitive,
  value: unknown,
  at: SlotRef | undefined,
  column: boolean,
): SQL {
  const c = asText(lhs, "sqlite");
  const lowered = lowerText(value);
  const t = param(ctx, value, at, lowerText, undefined, lowered);
  const x = sql`x_lower(${c})`;
  const unicode =
    lookup === "iexact"
      ? sql`${x} = ${t}`
      : lookup === "icontains"
        ? sql`instr(${x}, ${t}) > 0`
        : lookup === "istartswith"
          ? sql`instr(${x}, ${t}) = 1`
          : sql`x_endswith(${x}, ${t}) = 1`;
  if (!column || isJsonKey(lhs.out)) return unicode;
  const converted = likePattern(lookup, lowered);
  // a template is built for the terms LIKE can take, whatever the first term is
  if (!ctx.binder && !likeable(converted)) return unicode;
  const toPattern = (v: unknown) => likePattern(lookup, lowerText(v));
  const pattern = param(ctx, value, at, toPattern, likeable, converted);
  return sql`CASE WHEN octet_length(${c}) = length(${c}) THEN ${c} LIKE ${pattern} ESCAPE '\\' WHEN octet_length(${c}) <> length(${c}) THEN ${unicode} END`;
}

function buildLookup(
  ctx: Ctx,
  lhs: Compiled,
  lookup: string,
  value: unknown,
  at?: SlotRef,
  column = false,
): SQL {
  const v = ctx.vendor;
  const L = lhs.sql;
  const text = () => textParam(ctx, value, at);
  // the i-lookups below are PostgreSQL's
  if (
    v === "sqlite" &&
    (lookup === "icontains" || lookup === "istartswith" || lookup === "iendswith" || lookup === "iexact") &&
    !(lookup === "iexact" && value === null)
  ) {
    return sqliteCaseInsensitive(ctx, lhs, lookup, value, at, column);
  }
  switch (lookup) {
    case "exact":
      if (value === null) return sql`${L} IS NULL`;
      if (lhs.out.storage === "json" && !isJsonKey(lhs.out) && v === "sqlite") {
        return sql`json(${L}) = json(${param(ctx, value, at, stringify)})`;
      }
      return sql`${L} = ${rhsOf(ctx, lhs, value, at)}`;
    case "iexact":
      if (value === null) return sql`${L} IS NULL`;
      return sql`${lower(asText(lhs, v))} = ${lower(text())}`;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const op = { gt: ">", gte: ">=", lt: "<", lte: "<=" }[lookup];
      return sql`${L} ${sql.raw(op)} ${rhsOf(ctx, lhs, value, at)}`;
    }
    case "in": {
      if (isSubqueryCapable(value)) {
        const sub = value.compileSubquery(v, ctx.counter, ctx);
        return sql`${L} IN (${sub.sql})`;
      }
      if (!Array.isArray(value) && !(value instanceof Set)) {
        throw new FieldError(`'in' lookup needs a list, got ${JSON.stringify(value)}`);
      }
      const items = [...(value as Iterable<unknown>)].filter((x) => x !== null);
      if (items.length === 0) return sql`1 = 0`;
      return sql`${L} IN (${sql.join(
        items.map((x, i) => rhsOf(ctx, lhs, x, item(at, i, true))),
        sql`, `,
      )})`;
    }
    case "range": {
      if (!Array.isArray(value) || value.length !== 2) {
        throw new FieldError(`'range' lookup needs [low, high], got ${JSON.stringify(value)}`);
      }
      return sql`${L} BETWEEN ${rhsOf(ctx, lhs, value[0], item(at, 0, false))} AND ${rhsOf(ctx, lhs, value[1], item(at, 1, false))}`;
    }
    case "isnull":
      return value ? sql`${L} IS NULL` : sql`${L} IS NOT NULL`;
    case "contains":
      if (lhs.out.storage === "array" || (lhs.out.storage === "json" && !isJsonKey(lhs.out))) {
        if (v === "sqlite") return sql`x_json_contains(${L}, ${param(ctx, value, at, stringify)}) = 1`;
        if (lhs.out.storage === "array") return sql`${L} @> ${param(ctx, value, at, asIs)}`;
        return sql`${L} @> CAST(${param(ctx, value, at, stringify)} AS jsonb)`;
      }
      return v === "sqlite"
        ? sql`instr(${asText(lhs, v)}, ${text()}) > 0`
        : sql`strpos(${asText(lhs, v)}, ${text()}) > 0`;
    case "icontains":
      return sql`strpos(${lower(asText(lhs, v))}, ${lower(text())}) > 0`;
    case "startswith":
      return v === "sqlite"
        ? sql`instr(${asText(lhs, v)}, ${text()}) = 1`
        : sql`starts_with(${asText(lhs, v)}, ${text()})`;
    case "istartswith":
      return sql`starts_with(${lower(asText(lhs, v))}, ${lower(text())})`;
    case "endswith":
      return v === "sqlite"
        ? sql`x_endswith(${asText(lhs, v)}, ${text()}) = 1`
        : sql`right(${asText(lhs, v)}, char_length(${text()})) = ${text()}`;
    case "iendswith":
      return sql`right(${lower(asText(lhs, v))}, char_length(${text()})) = ${lower(text())}`;
    case "regex":
      return v === "sqlite"
        ? sql`x_regexp(${asText(lhs, v)}, ${text()}) = 1`
        : sql`${asText(lhs, v)} ~ ${text()}`;
    case "iregex":
      return v === "sqlite"
        ? sql`x_iregexp(${asText(lhs, v)}, ${text()}) = 1`
        : sql`${asText(lhs, v)} ~* ${text()}`;
    default:
      throw new FieldError(`Unsupported lookup '${lookup}'`);
  }
}

// ORDER BY
export function orderItems(state: QueryState, model: AnyModel): (string | OrderBy)[] {
  let items = state.order ?? [...model.meta.ordering];
  if (state.reversed) {
    if (items.length === 0) items = [`-${model.meta.pk.name}`];
    else
      items = items.map((o) => {
        if (isOrderBy(o)) return { ...o, descending: !o.descending, nulls: flipNulls(o.nulls) } as OrderBy;
        return o.startsWith("-") ? o.slice(1) : `-${o}`;
      });
  }
  return items;
}

function flipNulls(n: "first" | "last" | undefined): "first" | "last" | undefined {
  return n === "first" ? "last" : n === "last" ? "first" : undefined;
}

export function compileOrder(ctx: Ctx, items: readonly (string | OrderBy)[]): SQL | undefined {
  if (items.length === 0) return undefined;
  const parts = items.map((item) => {
    if (item === "?") return sql`random()`;
    let expr: Compiled;
    let desc: boolean;
    let nulls: "first" | "last" | undefined;
    if (isOrderBy(item)) {
      expr = item.expression.compile(ctx);
      desc = item.descending;
      nulls = item.nulls;
    } else {
      desc = item.startsWith("-");
      const name = desc ? item.slice(1) : item;
      expr = F(name).compile(ctx);
      // A NOT NULL column of the model itself has no NULLs to place: leaving the clause out
      // lets SQLite walk an index in order instead of sorting every row.
      const own = name.includes("__") ? undefined : findField(ctx.model, name);
      if (own?.concrete && !own.null) return sql`${expr.sql} ${sql.raw(desc ? "DESC" : "ASC")}`;
    }
    // the same NULL placement on both databases: NULLs are "largest" unless the query says otherwise
    const nullPlacement = nulls ?? (desc ? "first" : "last");
    return sql`${expr.sql} ${sql.raw(desc ? "DESC" : "ASC")} NULLS ${sql.raw(nullPlacement === "first" ? "FIRST" : "LAST")}`;
  });
  return sql.join(parts, sql`, `);
}

export function compileWhere(ctx: Ctx, state: QueryState): SQL | undefined {
  const conds = state.where.filter((q) => !q.isEmpty).map((q) => ctx.compileQ(q));
  if (conds.length === 0) return undefined;
  return sql.join(conds, sql` AND `);
}

export function limitSql(state: QueryState, vendor: Vendor): SQL {
  const parts: SQL[] = [];
  if (state.limit !== undefined) parts.push(sql` LIMIT ${sql.raw(String(state.limit))}`);
  else if (state.offset > 0 && vendor === "sqlite") parts.push(sql` LIMIT -1`);
  if (state.offset > 0) parts.push(sql` OFFSET ${sql.raw(String(state.offset))}`);
  return sql.join(parts);
}

export function assertSupported(state: QueryState, vendor: Vendor): void {
  if (state.distinctFields.length > 0 && vendor === "sqlite") {
    throw new NotSupportedError(
      "DISTINCT ON fields is not supported by SQLite (distinct(...fields) needs PostgreSQL)",
    );
  }
}
