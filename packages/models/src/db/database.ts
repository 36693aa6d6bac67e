// The two backends behind one interface: execute SQL, hand out a connection for a transaction.
// Each backend is its own module (sqlite-database.ts, postgres-database.ts), and each loads its
// driver when a database of its kind first connects, not when @x/models is imported: a process on
// SQLite never loads pg, one on PostgreSQL never loads better-sqlite3.
import type { PgDialect } from "drizzle-orm/pg-core";
import type { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { PostgresDatabase } from "./postgres-database.js";
import { SqliteDatabase } from "./sqlite-database.js";
import { type DatabaseConfig, parseDatabaseUrl, type Vendor } from "./url.js";

export interface QueryResult {
  /** objects keyed by column name, or arrays of values when `arrayMode` was asked */
  // biome-ignore lint/suspicious/noExplicitAny: rows are either objects or arrays depending on arrayMode
  rows: any[];
  rowCount: number;
}

export interface ExecuteOptions {
  /** rows as arrays of column values (faster, and safe with duplicate column names) */
  arrayMode?: boolean;
}

/** A connection owned by one transaction. */
export interface Connection {
  query(sql: string, params: readonly unknown[], options?: ExecuteOptions): Promise<QueryResult>;
  /**
   * PostgreSQL: sends a statement whose result nobody waits for (SAVEPOINT, RELEASE SAVEPOINT)
   * without waiting for it: it travels with the next statement in one round trip (pipelined), and
   * its error, if any, is thrown by the next query(). Only for statements inside a transaction
   * block, where a failed statement aborts the transaction so nothing sent after it runs.
   */
  send?(sql: string): void;
  release(): void;
}

export type SqlDialect = SQLiteSyncDialect | PgDialect;

export interface Database {
  readonly vendor: Vendor;
  /** Names the connection in captured queries: "default", or "primary" / "replicaN" behind read replicas. */
  readonly alias: string;
  readonly url: string;
  readonly dialect: SqlDialect;
  /** runs on the current transaction's connection when inside atomic() */
  execute(sql: string, params?: readonly unknown[], options?: ExecuteOptions): Promise<QueryResult>;
  /** a dedicated connection for a transaction (SQLite: the lock on the single connection) */
  acquire(): Promise<Connection>;
  /** the SQL that opens a transaction (SQLite: BEGIN IMMEDIATE serialises writers) */
  readonly beginSql: string;
  close(): Promise<void>;
  /** PostgreSQL: the schema on the search_path, when one was given */
  readonly schema: string | undefined;
}

export interface CreateDatabaseOptions {
  /** The name captured queries carry (default "default"). */
  alias?: string;
}

export function createDatabase(
  urlOrConfig: string | DatabaseConfig,
  options: CreateDatabaseOptions = {},
): Database {
  const config = typeof urlOrConfig === "string" ? parseDatabaseUrl(urlOrConfig) : urlOrConfig;
  const alias = options.alias ?? "default";
  if (config.vendor === "sqlite") return new SqliteDatabase(config.url, config.filename, alias);
  return new PostgresDatabase(
    config.url,
    config.connectionString,
    config.schema,
    { size: config.poolSize, timeoutMs: config.poolTimeoutMs },
    alias,
    config.preparedStatements ?? true,
  );
}
