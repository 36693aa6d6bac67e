// The SQLite backend: one better-sqlite3 connection per database, statements prepared once and
// kept. better-sqlite3 (a native addon) is loaded when the database first opens its file.
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { recordQuery } from "./capture.js";
import type { Connection, Database, ExecuteOptions, QueryResult } from "./database.js";
import { mapSqliteError } from "./errors.js";
import { Mutex } from "./mutex.js";
import { registerSqliteFunctions } from "./sqlite-functions.js";
import { currentConnection } from "./tx-context.js";

let Driver: typeof BetterSqlite3 | undefined;
function driver(): typeof BetterSqlite3 {
  Driver ??= createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  return Driver;
}

function sqliteParam(v: unknown): unknown {
  // better-sqlite3 binds every JS number as REAL; integers must stay INTEGER so arithmetic on
  // scaled decimals divides as integers (exact), like PostgreSQL numerics
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return null;
  return v;
}

export class SqliteDatabase implements Database {
  readonly vendor = "sqlite" as const;
  readonly dialect = new SQLiteSyncDialect();
  readonly beginSql = "BEGIN IMMEDIATE";
  readonly schema = undefined;
  private db: BetterSqlite3.Database | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly mutex = new Mutex();

  constructor(
    readonly url: string,
    private readonly filename: string,
    readonly alias: string,
  ) {}

  private handle(): BetterSqlite3.Database {
    if (!this.db) {
      const db = new (driver())(this.filename);
      db.pragma("foreign_keys = ON");
      if (this.filename !== ":memory:") db.pragma("journal_mode = WAL");
      registerSqliteFunctions(db);
      this.db = db;
    }
    return this.db;
  }

  /** synchronous execution on the single connection */
  run(sql: string, params: readonly unknown[], options?: ExecuteOptions): QueryResult {
    recordQuery(sql, params, this.alias);
    let stmt = this.statements.get(sql);
    try {
      if (!stmt) {
        stmt = this.handle().prepare(sql);
        if (this.statements.size > 1000) this.statements.clear();
        this.statements.set(sql, stmt);
      }
      const args = params.map(sqliteParam);
      if (stmt.reader) {
        stmt.raw(options?.arrayMode === true);
        const rows = stmt.all(...args) as Record<string, unknown>[];
        return { rows, rowCount: rows.length };
      }
      const info = stmt.run(...args);
      return { rows: [], rowCount: info.changes };
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  async execute(
    sql: string,
    params: readonly unknown[] = [],
    options?: ExecuteOptions,
  ): Promise<QueryResult> {
    const conn = currentConnection(this);
    if (conn) return conn.query(sql, params, options);
    if (!this.mutex.isLocked) return this.run(sql, params, options);
    // another async flow holds a transaction on the single connection: wait for it
    const release = await this.mutex.lock();
    try {
      return this.run(sql, params, options);
    } finally {
      release();
    }
  }

  async acquire(): Promise<Connection> {
    const release = await this.mutex.lock();
    return {
      query: async (sql, params, options) => this.run(sql, params, options),
      release,
    };
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}
