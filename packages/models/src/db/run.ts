// Compiles a drizzle SQL object for the database's dialect and executes it.
import type { SQL } from "drizzle-orm";
import type { Database, ExecuteOptions, QueryResult } from "./database.js";

export function toQuery(db: Database, query: SQL): { sql: string; params: unknown[] } {
  const q = db.dialect.sqlToQuery(query);
  return { sql: q.sql, params: q.params };
}

export function runSql(db: Database, query: SQL, options?: ExecuteOptions): Promise<QueryResult> {
  const q = db.dialect.sqlToQuery(query);
  return db.execute(q.sql, q.params, options);
}
