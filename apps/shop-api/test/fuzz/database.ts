// The database's state as one value per table: its row count and a checksum of
// its rows, computed by the database (PostgreSQL: md5 over the rows as text;
// SQLite, which has no hash function: the rows' quoted columns, ordered and
// concatenated), so "a refused write changed nothing" is one comparison.
import { getDatabase } from "@x/models";

export type Snapshot = Record<string, string>;

let tables: string[] | undefined;
let sqliteChecksums: Map<string, string> | undefined;

async function tableNames(): Promise<string[]> {
  const db = getDatabase();
  const sql =
    db.vendor === "postgresql"
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1";
  return (await db.execute(sql)).rows.map((r: { name: string }) => r.name);
}

/** SQLite: the expression that renders a row of `table` as text (every column quoted). */
async function sqliteRowText(table: string): Promise<string> {
  const db = getDatabase();
  const columns = (await db.execute(`PRAGMA table_info("${table}")`)).rows.map(
    (r: { name: string }) => r.name,
  );
  return columns.map((c: string) => `quote("${c}")`).join(" || '|' || ");
}

/** Every table's row count and checksum, in one statement. */
export async function snapshot(): Promise<Snapshot> {
  const db = getDatabase();
  tables ??= await tableNames();
  if (db.vendor === "postgresql") {
    const parts = tables.map(
      (t) =>
        `SELECT '${t}' AS name, count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS sum FROM "${t}" x`,
    );
    const rows = (await db.execute(parts.join(" UNION ALL "))).rows as { name: string; sum: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
  }
  if (!sqliteChecksums) {
    sqliteChecksums = new Map();
    for (const t of tables) sqliteChecksums.set(t, await sqliteRowText(t));
  }
  // the rows as text, ordered and concatenated: compared as a whole, no collision to worry about
  const parts = tables.map(
    (t) =>
      `SELECT '${t}' AS name, (SELECT count(*) FROM "${t}") || ':' || coalesce((SELECT group_concat(r, char(30)) FROM (SELECT ${sqliteChecksums!.get(t)} AS r FROM "${t}" ORDER BY 1)), '') AS sum`,
  );
  const rows = (await db.execute(parts.join(" UNION ALL "))).rows as { name: string; sum: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

/** The tables whose count or checksum differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
