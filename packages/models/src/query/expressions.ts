// Query expressions: F, Value, arithmetic, aggregates, Coalesce, Case/When, Subquery/OuterRef/Exists.
import { type SQL, sql } from "drizzle-orm";
import type { Vendor } from "../db/url.js";
import { NotSupportedError } from "../errors.js";
import type { StorageKind } from "../fields/types.js";
import type { Q } from "./q.js";

/** The type of a compiled SQL value; `scale` is the internal decimal scale (SQLite stores scaled integers). */
export interface OutField {
  storage: StorageKind;
  /** decimal: places of the value as the database holds it (SQLite: scaled integer scale) */
  scale?: number;
  /** decimal: places in the returned string */
  places?: number;
  name?: string;
}

export interface Compiled {
  sql: SQL;
  out: OutField;
}

/** What an expression needs from the query compiler. */
export interface ExpressionCompiler {
  readonly vendor: Vendor;
  /** a field path or annotation name, relative to the query's model */
  ref(name: string): Compiled;
  /** a field path of the outer query (OuterRef) */
  outerRef(name: string): Compiled;
  /** a Q (or filter dict) as a boolean SQL condition */
  condition(q: Q): SQL;
  /** a QuerySet as a scalar subquery */
  subquery(qs: unknown): Compiled;
  /** aggregate context: compile `inner` for each related row, returning SQL aggregated by `fn` */
  aggregate(fn: (inner: ExpressionCompiler) => SQL, refs: readonly Expression[], out: OutField): Compiled;
}

let aliasSeq = 0;

export abstract class Expression {
  readonly isExpression = true;
  /** true when this expression (or a child) aggregates rows */
  abstract readonly containsAggregate: boolean;
  abstract compile(c: ExpressionCompiler): Compiled;
  /** the field paths this expression reads (for aggregates' joins) */
  refs(): string[] {
    return [];
  }

  add(other: ExprLike): Expression {
    return new Combined(this, "+", toExpr(other));
  }
  sub(other: ExprLike): Expression {
    return new Combined(this, "-", toExpr(other));
  }
  mul(other: ExprLike): Expression {
    return new Combined(this, "*", toExpr(other));
  }
  div(other: ExprLike): Expression {
    return new Combined(this, "/", toExpr(other));
  }
  asc(options: { nullsFirst?: boolean; nullsLast?: boolean } = {}): OrderBy {
    return new OrderBy(this, false, options.nullsFirst ? "first" : options.nullsLast ? "last" : undefined);
  }
  desc(options: { nullsFirst?: boolean; nullsLast?: boolean } = {}): OrderBy {
    return new OrderBy(this, true, options.nullsFirst ? "first" : options.nullsLast ? "last" : undefined);
  }
  /** internal: unique id for aliasing */
  readonly uid = ++aliasSeq;
}

export type ExprLike = Expression | string | number | boolean | null | Date;

export function isExpression(v: unknown): v is Expression {
  return typeof v === "object" && v !== null && (v as { isExpression?: boolean }).isExpression === true;
}

function toExpr(v: ExprLike): Expression {
  return isExpression(v) ? v : new ValueExpr(v);
}

/** A reference to a field (or annotation) of the current row: `F("price")`, `F("category__name")`. */
export class FExpr extends Expression {
  readonly containsAggregate = false;
  constructor(readonly name: string) {
    super();
  }
  compile(c: ExpressionCompiler): Compiled {
    return c.ref(this.name);
  }
  override refs(): string[] {
    return [this.name];
  }
}
export function F(name: string): FExpr {
  return new FExpr(name);
}

/** A literal value as a parameter. Decimal strings are exact; JS non-integers are read as decimals. */
export class ValueExpr extends Expression {
  readonly containsAggregate = false;
  constructor(
    readonly value: unknown,
    readonly outputField?: OutField,
  ) {
    super();
  }
  compile(c: ExpressionCompiler): Compiled {
    const v = this.value;
    if (this.outputField) return { sql: sql`${sql.param(v)}`, out: this.outputField };
    if (typeof v === "number" && !Number.isInteger(v)) return decimalLiteral(String(v), c.vendor);
    if (typeof v === "string" && /^-?\d+\.\d+$/.test(v)) return decimalLiteral(v, c.vendor);
    if (typeof v === "number") return { sql: sql`${sql.param(v)}`, out: { storage: "integer" } };
    if (typeof v === "boolean") {
      return { sql: sql`${sql.param(c.vendor === "sqlite" ? (v ? 1 : 0) : v)}`, out: { storage: "boolean" } };
    }
    if (v instanceof Date) {
      return {
        sql: sql`${sql.param(c.vendor === "sqlite" ? v.toISOString() : v)}`,
        out: { storage: "datetime" },
      };
    }
    return { sql: sql`${sql.param(v)}`, out: { storage: v === null ? "integer" : "string" } };
  }
}

function decimalLiteral(text: string, vendor: Vendor): Compiled {
  const neg = text.startsWith("-");
  const [w = "0", d = ""] = text.replace(/^-/, "").split(".");
  const scale = d.length;
  if (vendor === "sqlite") {
    const n = Number(`${neg ? "-" : ""}${w}${d}`);
    return { sql: sql`${sql.param(n)}`, out: { storage: "decimal", scale, places: scale } };
  }
  return { sql: sql`${sql.param(text)}::numeric`, out: { storage: "decimal", scale, places: scale } };
}

/** Rescales a SQLite scaled-integer decimal from `from` to `to` places (rounding half away from zero). */
export function rescale(expr: SQL, from: number, to: number): SQL {
  if (from === to) return expr;
  if (to > from) return sql`(${expr} * ${sql.raw(String(10n ** BigInt(to - from)))})`;
  const div = 10n ** BigInt(from - to);
  const half = div / 2n;
  return sql`((${expr} + (CASE WHEN ${expr} >= 0 THEN ${sql.raw(String(half))} ELSE -${sql.raw(String(half))} END)) / ${sql.raw(String(div))})`;
}

const EXTRA_DIVISION_SCALE = 6;

/** lhs op rhs with exact decimal semantics on both databases. */
export class Combined extends Expression {
  readonly containsAggregate: boolean;
  constructor(
    readonly lhs: Expression,
    readonly op: "+" | "-" | "*" | "/",
    readonly rhs: Expression,
  ) {
    super();
    this.containsAggregate = lhs.containsAggregate || rhs.containsAggregate;
  }
  override refs(): string[] {
    return [...this.lhs.refs(), ...this.rhs.refs()];
  }
  compile(c: ExpressionCompiler): Compiled {
    const l = this.lhs.compile(c);
    const r = this.rhs.compile(c);
    const ld = l.out.storage === "decimal";
    const rd = r.out.storage === "decimal";
    const op = sql.raw(this.op);
    if (l.out.storage === "float" || r.out.storage === "float") {
      const lf = ld ? toFloat(l, c.vendor) : l.sql;
      const rf = rd ? toFloat(r, c.vendor) : r.sql;
      return { sql: sql`(${lf} ${op} ${rf})`, out: { storage: "float" } };
    }
    if (!ld && !rd) {
      if (l.out.storage === "duration" || r.out.storage === "duration") {
        return { sql: sql`(${l.sql} ${op} ${r.sql})`, out: { storage: "duration" } };
      }
      return { sql: sql`(${l.sql} ${op} ${r.sql})`, out: { storage: "integer" } };
    }
    const ls = ld ? (l.out.scale ?? 0) : 0;
    const rs = rd ? (r.out.scale ?? 0) : 0;
    const places = Math.max(ld ? (l.out.places ?? ls) : 0, rd ? (r.out.places ?? rs) : 0);
    if (c.vendor === "postgresql") {
      const scale = this.op === "*" ? ls + rs : Math.max(ls, rs);
      return { sql: sql`(${l.sql} ${op} ${r.sql})`, out: { storage: "decimal", scale, places } };
    }
    // SQLite: integers scaled by 10^scale
    if (this.op === "+" || this.op === "-") {
      const s = Math.max(ls, rs);
      return {
        sql: sql`(${rescale(l.sql, ls, s)} ${op} ${rescale(r.sql, rs, s)})`,
        out: { storage: "decimal", scale: s, places },
      };
    }
    if (this.op === "*") {
      return { sql: sql`(${l.sql} * ${r.sql})`, out: { storage: "decimal", scale: ls + rs, places } };
    }
    // division: keep EXTRA_DIVISION_SCALE more places than the operands, integer division truncates beyond
    const target = Math.max(ls, rs) + EXTRA_DIVISION_SCALE;
    const numerator = rescale(l.sql, ls, target + rs);
    return { sql: sql`(${numerator} / ${r.sql})`, out: { storage: "decimal", scale: target, places } };
  }
}

function toFloat(v: Compiled, vendor: Vendor): SQL {
  if (vendor === "sqlite")
    return sql`(CAST(${v.sql} AS REAL) / ${sql.raw(String(10 ** (v.out.scale ?? 0)))})`;
  return sql`CAST(${v.sql} AS double precision)`;
}

/** ORDER BY item. */
export class OrderBy {
  readonly isOrderBy = true;
  constructor(
    readonly expression: Expression,
    readonly descending: boolean,
    readonly nulls: "first" | "last" | undefined,
  ) {}
}

export function isOrderBy(v: unknown): v is OrderBy {
  return typeof v === "object" && v !== null && (v as { isOrderBy?: boolean }).isOrderBy === true;
}

/** Order helpers that flip the NULL placement: `nullsFirst("price")`, `nullsLast("-price")`. */
export function nullsFirst(field: string): OrderBy {
  const desc = field.startsWith("-");
  return new OrderBy(F(desc ? field.slice(1) : field), desc, "first");
}
export function nullsLast(field: string): OrderBy {
  const desc = field.startsWith("-");
  return new OrderBy(F(desc ? field.slice(1) : field), desc, "last");
}

type AggName = "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";

export interface AggregateOptions {
  distinct?: boolean;
  filter?: Q;
}

/** An aggregate over the rows of the query (aggregate()) or over each row's related rows (annotate()). */
export class Aggregate extends Expression {
  readonly containsAggregate = true;
  readonly source: Expression | "*";
  constructor(
    readonly fn: AggName,
    source: ExprLike | "*",
    readonly options: AggregateOptions = {},
  ) {
    super();
    this.source = source === "*" ? "*" : typeof source === "string" ? F(source) : toExpr(source);
  }
  override refs(): string[] {
    return this.source === "*" ? [] : this.source.refs();
  }
  compile(c: ExpressionCompiler): Compiled {
    const src = this.source;
    const filter = this.options.filter;
    let outField: OutField = { storage: "integer" };
    const body = (inner: ExpressionCompiler): SQL => {
      let arg: SQL;
      let out: OutField;
      if (src === "*") {
        arg = sql.raw("*");
        out = { storage: "integer" };
        if (filter) arg = sql`CASE WHEN ${inner.condition(filter)} THEN 1 ELSE NULL END`;
      } else {
        const compiled = src.compile(inner);
        out = compiled.out;
        arg = compiled.sql;
        if (filter) arg = sql`CASE WHEN ${inner.condition(filter)} THEN ${arg} ELSE NULL END`;
      }
      outField = aggregateOut(this.fn, out);
      const distinct = this.options.distinct ? sql.raw("DISTINCT ") : sql.raw("");
      const call = sql`${sql.raw(this.fn)}(${distinct}${arg})`;
      if (this.fn === "AVG" && out.storage === "decimal") {
        const scale = out.scale ?? 0;
        // documented precision: the average is rounded to the field's places (half away from zero)
        if (c.vendor === "sqlite") return sql`CAST(ROUND(${call}) AS INTEGER)`;
        return sql`ROUND(${call}, ${sql.raw(String(scale))})`;
      }
      if (this.fn === "AVG") return c.vendor === "postgresql" ? sql`CAST(${call} AS double precision)` : call;
      return call;
    };
    const refs = src === "*" ? [] : [src];
    const compiled = c.aggregate(body, filter ? [...refs, ...qRefs(filter)] : refs, outField);
    return { sql: compiled.sql, out: outField };
  }
}

function qRefs(q: Q): Expression[] {
  return q.paths().map((p) => F(p));
}

function aggregateOut(fn: AggName, src: OutField): OutField {
  if (fn === "COUNT") return { storage: "integer" };
  if (fn === "AVG") return src.storage === "decimal" ? { ...src } : { storage: "float" };
  return src;
}

export function Count(source: ExprLike | "*", options?: AggregateOptions): Aggregate {
  return new Aggregate("COUNT", source, options);
}
export function Sum(source: ExprLike, options?: AggregateOptions): Aggregate {
  return new Aggregate("SUM", source, options);
}
export function Avg(source: ExprLike, options?: AggregateOptions): Aggregate {
  return new Aggregate("AVG", source, options);
}
export function Min(source: ExprLike, options?: AggregateOptions): Aggregate {
  return new Aggregate("MIN", source, options);
}
export function Max(source: ExprLike, options?: AggregateOptions): Aggregate {
  return new Aggregate("MAX", source, options);
}

/** The first non-NULL argument. Decimal arguments are aligned to one scale. */
export class CoalesceExpr extends Expression {
  readonly containsAggregate: boolean;
  readonly args: Expression[];
  constructor(...args: ExprLike[]) {
    super();
    if (args.length < 2) throw new NotSupportedError("Coalesce must take at least two expressions");
    this.args = args.map((a) => (typeof a === "string" ? F(a) : toExpr(a)));
    this.containsAggregate = this.args.some((a) => a.containsAggregate);
  }
  override refs(): string[] {
    return this.args.flatMap((a) => a.refs());
  }
  compile(c: ExpressionCompiler): Compiled {
    const parts = this.args.map((a) => a.compile(c));
    return alignOutputs(parts, c.vendor, (sqls) => sql`COALESCE(${sql.join(sqls, sql`, `)})`);
  }
}

function alignOutputs(parts: Compiled[], vendor: Vendor, build: (sqls: SQL[]) => SQL): Compiled {
  const decimal = parts.find((p) => p.out.storage === "decimal");
  if (!decimal) return { sql: build(parts.map((p) => p.sql)), out: parts[0]!.out };
  const scale = Math.max(...parts.map((p) => (p.out.storage === "decimal" ? (p.out.scale ?? 0) : 0)));
  const places = Math.max(...parts.map((p) => (p.out.storage === "decimal" ? (p.out.places ?? 0) : 0)));
  const sqls = parts.map((p) =>
    vendor === "sqlite" ? rescale(p.sql, p.out.storage === "decimal" ? (p.out.scale ?? 0) : 0, scale) : p.sql,
  );
  return { sql: build(sqls), out: { storage: "decimal", scale, places } };
}

export class WhenClause {
  readonly condition: Q;
  readonly result: Expression;
  constructor(condition: Q | Record<string, unknown>, then: ExprLike) {
    this.condition = condition as Q;
    this.result = toExpr(then);
  }
}

/** CASE WHEN ... THEN ... ELSE ... END */
export class CaseExpr extends Expression {
  readonly containsAggregate: boolean;
  readonly whens: WhenClause[];
  readonly otherwise: Expression;
  constructor(...args: (WhenClause | { default: ExprLike })[]) {
    super();
    this.whens = args.filter((a): a is WhenClause => a instanceof WhenClause);
    const def = args.find((a) => !(a instanceof WhenClause)) as { default: ExprLike } | undefined;
    this.otherwise = toExpr(def?.default ?? null);
    this.containsAggregate =
      this.whens.some((w) => w.result.containsAggregate) || this.otherwise.containsAggregate;
  }
  override refs(): string[] {
    const out: string[] = [];
    for (const w of this.whens) {
      out.push(...asQ(w.condition).paths(), ...w.result.refs());
    }
    return [...out, ...this.otherwise.refs()];
  }
  compile(c: ExpressionCompiler): Compiled {
    const thens = this.whens.map((w) => w.result.compile(c));
    const other = this.otherwise.compile(c);
    const isNull = this.otherwise instanceof ValueExpr && this.otherwise.value === null;
    const parts = isNull ? thens : [...thens, other];
    const aligned = alignOutputs(parts, c.vendor, (sqls) => {
      const whenSql = this.whens.map((w, i) => sql`WHEN ${c.condition(asQ(w.condition))} THEN ${sqls[i]!}`);
      const elseSql = isNull ? sql`NULL` : sqls[sqls.length - 1]!;
      return sql`CASE ${sql.join(whenSql, sql` `)} ELSE ${elseSql} END`;
    });
    return aligned;
  }
}

let qFactory: (v: Record<string, unknown>) => Q = () => {
  throw new Error("Q not initialised");
};
export function setQFactory(fn: (v: Record<string, unknown>) => Q): void {
  qFactory = fn;
}
function asQ(v: Q | Record<string, unknown>): Q {
  return typeof (v as Q).paths === "function" ? (v as Q) : qFactory(v as Record<string, unknown>);
}

/** A field of the outer query inside a Subquery/Exists: `OuterRef("pk")`. */
export class OuterRefExpr extends Expression {
  readonly containsAggregate = false;
  constructor(readonly name: string) {
    super();
  }
  compile(c: ExpressionCompiler): Compiled {
    return c.outerRef(this.name);
  }
}

/** A QuerySet returning one column used as a value: `Subquery(qs.values("x").slice(0, 1))`. */
export class SubqueryExpr extends Expression {
  readonly containsAggregate = false;
  constructor(readonly queryset: unknown) {
    super();
  }
  compile(c: ExpressionCompiler): Compiled {
    const inner = c.subquery(this.queryset);
    return { sql: sql`(${inner.sql})`, out: inner.out };
  }
}

/** EXISTS(subquery) as a boolean. */
export class ExistsExpr extends Expression {
  readonly containsAggregate = false;
  constructor(readonly queryset: unknown) {
    super();
  }
  compile(c: ExpressionCompiler): Compiled {
    const inner = c.subquery(this.queryset);
    return { sql: sql`EXISTS (${inner.sql})`, out: { storage: "boolean" } };
  }
}

/** Raw SQL with parameters, for what the expression API does not cover. */
export class RawSQL extends Expression {
  readonly containsAggregate = false;
  constructor(
    readonly text: SQL,
    readonly outputField: OutField = { storage: "string" },
  ) {
    super();
  }
  compile(): Compiled {
    return { sql: this.text, out: this.outputField };
  }
}

// Django-style callables: Value(1), Case(When({...}, "x"), { default: "y" }), OuterRef("pk") ...
export function Value(value: unknown, outputField?: OutField): ValueExpr {
  return new ValueExpr(value, outputField);
}
export function Coalesce(...args: ExprLike[]): CoalesceExpr {
  return new CoalesceExpr(...args);
}
export function When(condition: Q | Record<string, unknown>, then: ExprLike): WhenClause {
  return new WhenClause(condition, then);
}
export function Case(...args: (WhenClause | { default: ExprLike })[]): CaseExpr {
  return new CaseExpr(...args);
}
export function OuterRef(name: string): OuterRefExpr {
  return new OuterRefExpr(name);
}
export function Subquery(queryset: unknown): SubqueryExpr {
  return new SubqueryExpr(queryset);
}
export function Exists(queryset: unknown): ExistsExpr {
  return new ExistsExpr(queryset);
}
