// SQLite FTS5 indexes the application declares for a model, so `@` search can use them.
import type { ModelLike } from "../ports.js";

export interface FtsIndex {
  /** The FTS5 table: its rowid is the model's primary key (an external-content table). */
  readonly table: string;
  /** The model fields it indexes (its column names). */
  readonly fields: readonly string[];
}

const indexes = new WeakMap<object, FtsIndex>();

/**
 * Declares the SQLite FTS5 table holding `fields` of `model` (created and kept in sync by the
 * application, e.g. `CREATE VIRTUAL TABLE products_fts USING fts5(name, description,
 * content='products', content_rowid='id')` plus triggers, in a migration). SearchFilter's `@` fields
 * listed here then use `MATCH` on SQLite; PostgreSQL ignores it (it has full-text search on any column).
 */
export function sqliteFtsIndex(model: ModelLike, index: FtsIndex): void {
  const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
  for (const name of [index.table, ...index.fields]) {
    if (!identifier.test(name)) throw new Error(`sqliteFtsIndex: '${name}' is not a plain SQL identifier`);
  }
  indexes.set(model, { table: index.table, fields: [...index.fields] });
}

export function ftsIndexOf(model: ModelLike | undefined): FtsIndex | undefined {
  return model ? indexes.get(model) : undefined;
}

/** An FTS5 query matching `term` as one phrase: client input never becomes FTS5 syntax. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
