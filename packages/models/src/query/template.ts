// Compiled-statement templates: a QuerySet's SQL is built once per *shape* (model, filter keys and
// the kinds of their values, ordering, slicing, joins…) and reused with the parameters bound afresh.
// Building SQL through drizzle's template objects costs more than SQLite running a cached statement.
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { SqlDialect } from "../db/database.js";
import { registerPreparedStatement } from "../db/prepared.js";
import type { AnyModel } from "../model/internal.js";
import {
  Aggregate,
  CoalesceExpr,
  Combined,
  type Expression,
  FExpr,
  isExpression,
  type OrderBy,
  ValueExpr,
} from "./expressions.js";
import { isQ, type QNode } from "./q.js";
import type { QueryState } from "./state.js";

/** A parameter that comes from a filter value: `slot` indexes the shape's values, `sub` an item of a list value. */
export class SlotParam {
  constructor(
    readonly slot: number,
    /** -1: the value itself; otherwise the index into the list value (without its nulls when `dropNulls`) */
    readonly sub: number,
    readonly dropNulls: boolean,
    readonly convert: (value: unknown) => unknown,
    /** re-checks a decision the SQL text depends on (false: this value needs other SQL) */
    readonly guard?: (converted: unknown) => boolean,
  ) {}
}

/** Thrown while compiling a template when part of the query cannot be bound later: compile it directly. */
export class Uncacheable extends Error {}

/** Thrown when binding a value the template's SQL was not built for: compile it directly. */
export class ShapeChanged extends Error {}

/** What the compiler needs while building a template: where each filter() call's values start. */
export class Binder {
  constructor(
    readonly bases: ReadonlyMap<object, number>,
    /** slots of the filter values; values after them (an UPDATE's SET) start here */
    readonly size: number,
  ) {}

  /** The first slot of a filter() call's keywords; Uncacheable for keywords outside the shape. */
  baseOf(kwargs: object): number {
    const base = this.bases.get(kwargs);
    if (base === undefined) throw new Uncacheable();
    return base;
  }
}

export interface Shape {
  /**
   * What the SQL text depends on besides the filters: the statement kind and vendor, ordering,
   * slicing, joins, columns, annotations. The same string object for the same parts (see
   * `headOf`): its hash is computed once, and the long part of the key is never built again.
   */
  head: string;
  /** the filters' part: their keys and the kinds of their values */
  key: string;
  /** the filter values, in the order the key lists them */
  values: unknown[];
  /** each filter() call's keywords, in key order, and where its values start in `values` */
  kwargs: object[];
  starts: number[];
}

/**
 * Where each filter() call's values start (what a Binder needs), built only when a shape is
 * compiled: a Map keyed by the fresh keyword objects of every query cost an identity hash each.
 */
export function shapeBases(shape: Shape): Map<object, number> {
  const bases = new Map<object, number>();
  for (let i = 0; i < shape.kwargs.length; i++) {
    const kwargs = shape.kwargs[i]!;
    if (!bases.has(kwargs)) bases.set(kwargs, shape.starts[i]!);
  }
  return bases;
}

/** An identifier as is, anything else as JSON (which starts with a quote): the key stays unambiguous. */
function name(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // [A-Za-z0-9_]
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95))
      return quoted(s);
  }
  return s;
}

// quoted names (ordering keys such as "-created_at") come back for every query of their shape
const quotedNames = new Map<string, string>();

function quoted(s: string): string {
  let q = quotedNames.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quotedNames.size >= 10_000) quotedNames.clear();
    quotedNames.set(s, q);
  }
  return q;
}

function names(list: readonly string[]): string {
  let out = "";
  for (const s of list) out += `${name(s)},`;
  return out;
}

// an `in` list is part of the shape item by item: up to a page of 100 (prefetches of a list page)
const MAX_LIST = 100;

/**
 * What the SQL text depends on in a filter value: its kind (and truthiness, for `isnull`), a list's
 * length and item kinds, an expression's structure. undefined: not bindable (subqueries, long lists).
 */
export function kindOf(v: unknown): string | undefined {
  if (v === null) return "N";
  switch (typeof v) {
    case "string":
      return v === "" ? "s0" : "s";
    case "number":
      return v ? "n" : "n0";
    case "boolean":
      return v ? "T" : "F";
    case "bigint":
      return v ? "b" : "b0";
    case "object":
      break;
    default:
      return undefined;
  }
  if (v instanceof Date) return "d";
  if (isExpression(v)) {
    const k = exprKey(v);
    return k === undefined ? undefined : `E${k}`;
  }
  if (Array.isArray(v) || v instanceof Set) {
    const items = Array.isArray(v) ? v : [...v];
    if (items.length > MAX_LIST) return undefined;
    let out = Array.isArray(v) ? "[" : "{";
    for (const item of items) {
      const k = kindOf(item);
      if (k === undefined) return undefined;
      out += `${k},`;
    }
    return `${out}]`;
  }
  const o = v as { pk?: unknown; save?: unknown; compileSubquery?: unknown };
  if (typeof o.compileSubquery === "function") return undefined;
  if ("pk" in o && typeof o.save === "function") return "m";
  return "o";
}

/** A structural key for the expressions a template may bake in; undefined for the rest. */
export function exprKey(e: Expression): string | undefined {
  if (e instanceof FExpr) return `F${name(e.name)}`;
  if (e instanceof ValueExpr) {
    const v = e.value;
    const out = e.outputField ? JSON.stringify(e.outputField) : "";
    if (v === null) return `VN${out}`;
    if (v instanceof Date) return `Vd${v.toISOString()}${out}`;
    if (typeof v === "string") return `Vs${JSON.stringify(v)}${out}`;
    if (typeof v === "number" || typeof v === "boolean") return `V${typeof v}${String(v)}${out}`;
    return undefined;
  }
  if (e instanceof Combined) {
    const l = exprKey(e.lhs);
    const r = exprKey(e.rhs);
    return l === undefined || r === undefined ? undefined : `(${l}${e.op}${r})`;
  }
  if (e instanceof Aggregate) {
    if (e.options.filter) return undefined;
    const src = e.source === "*" ? "*" : exprKey(e.source);
    return src === undefined ? undefined : `${e.fn}${e.options.distinct ? "D" : ""}(${src})`;
  }
  if (e instanceof CoalesceExpr) {
    let out = "Coalesce(";
    for (const a of e.args) {
      const k = exprKey(a);
      if (k === undefined) return undefined;
      out += `${k},`;
    }
    return `${out})`;
  }
  return undefined;
}

function orderKey(o: string | OrderBy): string | undefined {
  if (typeof o === "string") return name(o);
  const k = exprKey(o.expression);
  return k === undefined ? undefined : `O${k}${o.descending ? "-" : "+"}${o.nulls ?? ""}`;
}

class ShapeWriter {
  key = "";
  readonly values: unknown[] = [];
  readonly kwargs: object[] = [];
  readonly starts: number[] = [];

  q(q: QNode): boolean {
    this.key += `${q.negated ? "!" : ""}${q.connector === "OR" ? "|(" : "&("}`;
    for (const child of q.children) {
      if (isQ(child)) {
        if (!this.q(child)) return false;
        continue;
      }
      this.kwargs.push(child);
      this.starts.push(this.values.length);
      this.key += "{";
      for (const k of Object.keys(child)) {
        const v = child[k];
        const kind = kindOf(v);
        if (kind === undefined) return false;
        this.key += `${name(k)}=${kind};`;
        this.values.push(v);
      }
      this.key += "}";
    }
    this.key += ")";
    return true;
  }
}

/** The shape of a QuerySet's SELECT/COUNT (everything but prefetches), or undefined when it cannot be bound. */
export function shapeOf(state: QueryState, vendor: string, kind: string): Shape | undefined {
  const w = new ShapeWriter();
  for (const q of state.where) if (!w.q(q)) return undefined;
  const head = headOf(state, vendor, kind);
  if (head === undefined) return undefined;
  return { head, key: w.key, values: w.values, kwargs: w.kwargs, starts: w.starts };
}

/**
 * The parts of a state `headOf` reads, and its answer. Lists of names are kept as copies and
 * compared item by item (a QuerySet chain made per request, `Order.objects.selectRelated("user")`,
 * has lists of its own with the same names), so nothing a request made is kept; annotations and
 * ordering expressions are compared by identity (a QuerySet keeps them as it was given them).
 */
interface HeadMemo {
  vendor: string;
  kind: string;
  order: readonly (string | OrderBy)[] | undefined;
  selectRelated: readonly string[];
  reversed: boolean;
  limit: number | undefined;
  offset: number;
  distinct: boolean;
  only: readonly string[] | undefined;
  defer: readonly string[];
  annotations: QueryState["annotations"];
  valuesMode: string | undefined;
  valuesFields: readonly string[] | undefined;
  groupBy: readonly string[] | undefined;
  forUpdate: string | undefined;
  /** undefined: not bindable */
  head: string | undefined;
}

// Per distinctFields list: the heads made last, the most recently used first. That list is the
// part a state replaces least (only distinct(...fields) does; its empty one is shared by every
// QuerySet of a manager, and by every count() and exists()), so the lists stay few and short.
const heads = new WeakMap<readonly string[], HeadMemo[]>();
const HEADS_PER_KEY = 32;

function sameItems<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function forUpdateKey(f: QueryState["forUpdate"]): string | undefined {
  return f === undefined ? undefined : `${f.nowait ? "n" : ""}${f.skipLocked ? "s" : ""}${names(f.of)}`;
}

function sameParts(m: HeadMemo, state: QueryState, vendor: string, kind: string): boolean {
  return (
    m.limit === state.limit &&
    m.offset === state.offset &&
    m.kind === kind &&
    m.vendor === vendor &&
    m.reversed === state.reversed &&
    m.distinct === state.distinct &&
    m.annotations === state.annotations &&
    sameItems(m.order, state.order) &&
    sameItems(m.selectRelated, state.selectRelated) &&
    sameItems(m.only, state.only) &&
    sameItems(m.defer, state.defer) &&
    m.valuesMode === state.values?.mode &&
    sameItems(m.valuesFields, state.values?.fields) &&
    sameItems(m.groupBy, state.groupBy) &&
    (state.forUpdate === undefined
      ? m.forUpdate === undefined
      : m.forUpdate === forUpdateKey(state.forUpdate))
  );
}

/** The shape's head for `state` (see Shape.head), remembered for its parts; undefined when not bindable. */
function headOf(state: QueryState, vendor: string, kind: string): string | undefined {
  let memos = heads.get(state.distinctFields);
  if (memos === undefined) {
    memos = [];
    heads.set(state.distinctFields, memos);
  }
  for (let i = 0; i < memos.length; i++) {
    const m = memos[i] as HeadMemo;
    if (!sameParts(m, state, vendor, kind)) continue;
    // to the front: the shapes a process serves most are found first
    for (let j = i; j > 0; j--) memos[j] = memos[j - 1] as HeadMemo;
    memos[0] = m;
    return m.head;
  }
  const head = buildHead(state, vendor, kind);
  const memo: HeadMemo = {
    vendor,
    kind,
    order: state.order?.slice(),
    selectRelated: state.selectRelated.slice(),
    reversed: state.reversed,
    limit: state.limit,
    offset: state.offset,
    distinct: state.distinct,
    only: state.only?.slice(),
    defer: state.defer.slice(),
    annotations: state.annotations,
    valuesMode: state.values?.mode,
    valuesFields: state.values?.fields.slice(),
    groupBy: state.groupBy?.slice(),
    forUpdate: forUpdateKey(state.forUpdate),
    head,
  };
  // the newest first; a shape made per request (its own expressions) only pushes older ones out
  memos.unshift(memo);
  if (memos.length > HEADS_PER_KEY) memos.pop();
  return head;
}

function buildHead(state: QueryState, vendor: string, kind: string): string | undefined {
  let key = `${vendor}:${kind}|o`;
  if (state.order === undefined) key += "meta";
  else {
    key += "[";
    for (const o of state.order) {
      const k = orderKey(o);
      if (k === undefined) return undefined;
      key += `${k},`;
    }
    key += "]";
  }
  key += `|${state.reversed ? "r" : ""}|${state.limit ?? ""}|${state.offset}|${state.distinct ? "d" : ""}`;
  key += `|${names(state.distinctFields)}|${names(state.selectRelated)}`;
  key += `|${state.only ? names(state.only) : "-"}|${names(state.defer)}|`;
  for (const [n, e] of state.annotations) {
    const k = exprKey(e);
    if (k === undefined) return undefined;
    key += `${name(n)}=${k},`;
  }
  if (state.values) key += `|v${state.values.mode}:${names(state.values.fields)}`;
  if (state.groupBy) key += `|g${names(state.groupBy)}`;
  if (state.forUpdate) {
    const f = state.forUpdate;
    key += `|u${f.nowait ? "n" : ""}${f.skipLocked ? "s" : ""}${names(f.of)}`;
  }
  // flat once, here: a rope would be flattened again by every lookup
  key.charCodeAt(0);
  return key;
}

/** A statement built once: its SQL text and parameters (constants or slots), plus what the caller keeps with it. */
export class Template<P> {
  private readonly slotted: boolean;

  constructor(
    readonly sql: string,
    readonly params: readonly unknown[],
    readonly plan: P,
  ) {
    this.slotted = params.some((p) => p instanceof SlotParam);
  }

  static build<P>(dialect: SqlDialect, query: SQL, plan: P): Template<P> {
    const q = dialect.sqlToQuery(query);
    // PostgreSQL runs a shape's text as a named prepared statement (db/prepared.ts)
    if (dialect instanceof PgDialect) registerPreparedStatement(q.sql);
    return new Template(q.sql, q.params, plan);
  }

  /** The parameters for `values` (a shape's values). ShapeChanged when a value needs other SQL. */
  bind(values: readonly unknown[]): unknown[] {
    if (!this.slotted) return this.params.slice();
    const out = new Array<unknown>(this.params.length);
    let lists: Map<number, unknown[]> | undefined;
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      if (!(p instanceof SlotParam)) {
        out[i] = p;
        continue;
      }
      let v = values[p.slot];
      if (p.sub >= 0) {
        lists ??= new Map();
        const key = p.dropNulls ? -1 - p.slot : p.slot;
        let list = lists.get(key);
        if (!list) {
          list = Array.isArray(v) ? v : [...(v as Iterable<unknown>)];
          if (p.dropNulls) list = list.filter((x) => x !== null);
          lists.set(key, list);
        }
        v = list[p.sub];
      }
      const converted = p.convert(v);
      if (p.guard && !p.guard(converted)) throw new ShapeChanged();
      out[i] = converted;
    }
    return out;
  }
}

const MAX_TEMPLATES_PER_MODEL = 500;

/** A model's templates by head, then by the rest of the key; null marks a shape that cannot be bound. */
interface ModelTemplates {
  byHead: Map<string, Map<string, Template<unknown> | null>>;
  size: number;
}

/**
 * Templates per model class (a model defined again is another class: nothing stale is reused),
 * under a head (Shape.head, or a whole key) and the rest of the key (a shape's filters).
 */
const templates = new WeakMap<AnyModel, ModelTemplates>();

export function cachedTemplate<P>(model: AnyModel, head: string, key = ""): Template<P> | null | undefined {
  // A key is built by concatenation (a rope): reading a character flattens it on V8's fast path,
  // whereas Map.get flattens it through the runtime (about 40% of the lookup, measured on Node 20).
  head.charCodeAt(0);
  key.charCodeAt(0);
  return templates.get(model)?.byHead.get(head)?.get(key) as Template<P> | null | undefined;
}

export function storeTemplate<P>(
  model: AnyModel,
  head: string,
  key: string,
  template: Template<P> | null,
): void {
  let forModel = templates.get(model);
  if (!forModel) {
    forModel = { byHead: new Map(), size: 0 };
    templates.set(model, forModel);
  }
  // unbounded shapes (pages of a long list, `in` lists of every length) must not grow memory forever
  if (forModel.size >= MAX_TEMPLATES_PER_MODEL) {
    forModel.byHead.clear();
    forModel.size = 0;
  }
  let byKey = forModel.byHead.get(head);
  if (!byKey) {
    byKey = new Map();
    forModel.byHead.set(head, byKey);
  }
  if (!byKey.has(key)) forModel.size++;
  byKey.set(key, template as Template<unknown>);
}
