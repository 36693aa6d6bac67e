// A fresh database per test file for the migration and fixture tests: SQLite in memory,
// or a throwaway PostgreSQL schema (TEST_DB=postgres).
import { createDatabase, type Database } from "../src/db/database.js";

const PG_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const vendor = process.env.TEST_DB === "postgres" ? "postgresql" : "sqlite";

export async function openDatabase(): Promise<{ db: Database; close(): Promise<void> }> {
  if (vendor === "sqlite") {
    const db = createDatabase("sqlite::memory:");
    return { db, close: () => db.close() };
  }
  const schema = `x_mb_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = createDatabase(PG_URL);
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  const db = createDatabase(`${PG_URL}?schema=${schema}`);
  return {
    db,
    close: async () => {
      await db.close();
      await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
    },
  };
}

/** Column names of a table, on either database. */
export async function columnsOf(db: Database, table: string): Promise<string[]> {
  if (db.vendor === "sqlite") {
    const r = await db.execute(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`);
    return r.rows.map((row) => String(row.name));
  }
  const r = await db.execute(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    [table],
  );
  return r.rows.map((row) => String(row.column_name));
}

export async function tableExists(db: Database, table: string): Promise<boolean> {
  if (db.vendor === "sqlite") {
    const r = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    return r.rows.length > 0;
  }
  const r = await db.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
    [table],
  );
  return r.rows.length > 0;
}

export async function indexExists(db: Database, name: string): Promise<boolean> {
  if (db.vendor === "sqlite") {
    const r = await db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?", [name]);
    return r.rows.length > 0;
  }
  const r = await db.execute(
    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1",
    [name],
  );
  return r.rows.length > 0;
}

/** `?` placeholders rewritten to `$n` on PostgreSQL. */
export function sql(db: Database, text: string): string {
  if (db.vendor === "sqlite") return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
