// Database functions with one behaviour on both databases: Lower, Upper, Length, Concat.
import { sql } from "drizzle-orm";
import {
  type Compiled,
  Expression,
  type ExpressionCompiler,
  type ExprLike,
  F,
  isExpression,
  Value,
} from "./expressions.js";

function arg(v: ExprLike): Expression {
  if (typeof v === "string") return F(v);
  return isExpression(v) ? v : Value(v);
}

class TextFunction extends Expression {
  readonly containsAggregate: boolean;
  readonly source: Expression;
  constructor(
    readonly fn: "lower" | "upper" | "length",
    source: ExprLike,
  ) {
    super();
    this.source = arg(source);
    this.containsAggregate = this.source.containsAggregate;
  }
  override refs(): string[] {
    return this.source.refs();
  }
  compile(c: ExpressionCompiler): Compiled {
    const s = this.source.compile(c).sql;
    if (this.fn === "length") {
      const call = c.vendor === "sqlite" ? sql`length(${s})` : sql`char_length(${s})`;
      return { sql: call, out: { storage: "integer" } };
    }
    // SQLite's lower()/upper() are ASCII-only: the registered JS functions fold like PostgreSQL's
    if (c.vendor === "sqlite") {
      return {
        sql: this.fn === "lower" ? sql`x_lower(${s})` : sql`x_upper(${s})`,
        out: { storage: "string" },
      };
    }
    return { sql: this.fn === "lower" ? sql`lower(${s})` : sql`upper(${s})`, out: { storage: "string" } };
  }
}

/** `Lower("name")`: Unicode lower case on both databases (`orderBy(Lower("name").asc())`). */
export function Lower(source: ExprLike): Expression {
  return new TextFunction("lower", source);
}
/** `Upper("name")`: Unicode upper case on both databases. */
export function Upper(source: ExprLike): Expression {
  return new TextFunction("upper", source);
}
/** `Length("name")`: characters (not bytes) on both databases. */
export function Length(source: ExprLike): Expression {
  return new TextFunction("length", source);
}

class ConcatExpr extends Expression {
  readonly containsAggregate: boolean;
  readonly parts: Expression[];
  constructor(parts: ExprLike[]) {
    super();
    this.parts = parts.map((p) => (typeof p === "string" ? F(p) : arg(p)));
    this.containsAggregate = this.parts.some((p) => p.containsAggregate);
  }
  override refs(): string[] {
    return this.parts.flatMap((p) => p.refs());
  }
  compile(c: ExpressionCompiler): Compiled {
    // NULL parts count as "" (Django's Concat), with text casts so numbers join too
    const pieces = this.parts.map((p) => {
      const s = p.compile(c).sql;
      return c.vendor === "sqlite"
        ? sql`COALESCE(CAST(${s} AS TEXT), '')`
        : sql`COALESCE(CAST(${s} AS text), '')`;
    });
    return { sql: sql`(${sql.join(pieces, sql` || `)})`, out: { storage: "string" } };
  }
}

/** `Concat("first_name", Value(" "), "last_name")`: field names are F() references; use Value() for literals. */
export function Concat(...parts: ExprLike[]): Expression {
  return new ConcatExpr(parts);
}
