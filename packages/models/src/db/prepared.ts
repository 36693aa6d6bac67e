// Named prepared statements on PostgreSQL for the compiled query shapes (query/template.ts): the
// server parses and plans a shape's SQL once per connection instead of on every execution.
// node-postgres prepares a name on a connection the first time it runs there and remembers it per
// connection, so a replaced (killed) connection prepares again. One-off SQL, DDL and raw SQL have
// no name and run unnamed.
import { createHash } from "node:crypto";

// Each name is a statement kept by every connection that ran it: bound them. Shapes registered
// first (the hot ones, in practice) keep their names; later ones run unnamed. Never evicting
// keeps the set of names a connection can hold bounded too.
const MAX_NAMES = 1000;

const nameOf = new Map<string, string>();
const textOf = new Map<string, string>();

/** Gives `sql` (a compiled shape's text) a statement name derived from the text. */
export function registerPreparedStatement(sql: string): void {
  if (nameOf.has(sql) || nameOf.size >= MAX_NAMES) return;
  // 42 characters: under PostgreSQL's 63-byte identifier limit
  const name = `x_${createHash("sha1").update(sql).digest("hex")}`;
  if (textOf.has(name)) return; // a hash collision: one name must never stand for two texts
  nameOf.set(sql, name);
  textOf.set(name, sql);
}

/** The statement name of a registered shape's SQL, undefined for any other SQL. */
export function preparedStatementName(sql: string): string | undefined {
  return nameOf.get(sql);
}

/** How many texts have names (tests). */
export function preparedStatementCount(): number {
  return nameOf.size;
}
