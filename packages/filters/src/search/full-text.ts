// DRF's `@` search prefix (Django's `search` lookup): PostgreSQL full-text search. @x/models has no
// `search` lookup, so this is an @x/models Expression the SearchFilter annotates and filters on.
import { Expression, Q } from "@x/models";
import { sql } from "drizzle-orm";
import { type FtsIndex, ftsPhrase } from "./fts-index.js";

// @x/models exports Expression but not its compiler types: take them from its signature.
type ExpressionCompiler = Parameters<Expression["compile"]>[0];
type Compiled = ReturnType<Expression["compile"]>;

/**
 * True when `term` matches the field: on PostgreSQL `to_tsvector(field) @@ plainto_tsquery(term)` (the
 * database's default text search configuration, like Django's `search` lookup); on SQLite, `MATCH` on the
 * model's declared FTS5 index when it covers the field (see sqliteFtsIndex), else a case-insensitive
 * contains.
 */
export class FullTextMatch extends Expression {
  readonly containsAggregate = false;

  constructor(
    readonly path: string,
    readonly term: string,
    /** SQLite: the model's FTS5 index covering `path`, with the model's primary key field name. */
    readonly fts?: { index: FtsIndex; pk: string },
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
    if (this.fts) {
      const table = sql.identifier(this.fts.index.table);
      const column = sql.identifier(this.path);
      const pk = c.ref(this.fts.pk).sql;
      return {
        sql: sql`(${pk} IN (SELECT rowid FROM ${table} WHERE ${column} MATCH ${ftsPhrase(this.term)}))`,
        out: { storage: "boolean" },
      };
    }
    return {
      sql: sql`(${c.condition(Q({ [`${this.path}__icontains`]: this.term }))})`,
      out: { storage: "boolean" },
    };
  }
}
