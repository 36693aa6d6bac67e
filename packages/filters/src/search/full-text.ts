// DRF's `@` search prefix (Django's `search` lookup): PostgreSQL full-text search. @x/models has no
// `search` lookup, so this is an @x/models Expression the SearchFilter annotates and filters on.
import { Expression, Q } from "@x/models";
import { sql } from "drizzle-orm";

// @x/models exports Expression but not its compiler types: take them from its signature.
type ExpressionCompiler = Parameters<Expression["compile"]>[0];
type Compiled = ReturnType<Expression["compile"]>;

/**
 * True when `term` matches the field: on PostgreSQL `to_tsvector(field) @@ plainto_tsquery(term)` (the
 * database's default text search configuration, like Django's `search` lookup); on SQLite, which has no
 * full-text index for an arbitrary column, a case-insensitive contains.
 */
export class FullTextMatch extends Expression {
  readonly containsAggregate = false;

  constructor(
    readonly path: string,
    readonly term: string,
  ) {
    super();
  }

  override refs(): string[] {
    return [this.path];
  }

  compile(c: ExpressionCompiler): Compiled {
    if (c.vendor === "postgresql") {
      const field = c.ref(this.path).sql;
      return {
        sql: sql`(to_tsvector(COALESCE(${field}, '')) @@ plainto_tsquery(${this.term}))`,
        out: { storage: "boolean" },
      };
    }
    return {
      sql: sql`(${c.condition(Q({ [`${this.path}__icontains`]: this.term }))})`,
      out: { storage: "boolean" },
    };
  }
}
