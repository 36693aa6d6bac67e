// One primary and read replicas behind the Database interface: reads go to a
// replica (round-robin), writes and transactions to the primary, and a unit
// of work that wrote reads from the primary from then on (routing.ts).
import { ImproperlyConfigured } from "../errors.js";
import {
  type Connection,
  createDatabase,
  type Database,
  type ExecuteOptions,
  type QueryResult,
} from "./database.js";
import { currentRouting, isReadOnlySql, pinToPrimary } from "./routing.js";
import { currentConnection } from "./tx-context.js";

/**
 * Django's database router, for reads: `dbForRead(sql)` names the alias a read
 * goes to ("primary", "replica", "replicaN"), or undefined for the default
 * rule (the next replica). Writes always go to the primary, and a pinned unit
 * of work always reads from it.
 */
export interface DatabaseRouter {
  dbForRead?(sql: string): string | undefined;
}

export interface ReplicatedDatabaseConfig {
  /** The primary's URL: every write and transaction runs there. */
  default: string;
  /** Streaming replicas of the primary (PostgreSQL only); reads are spread over them. */
  replicas?: readonly string[];
  /** Consulted in order for each read outside a transaction; the first alias named wins. */
  routers?: readonly DatabaseRouter[];
}

// Compiled statements repeat: classify each distinct SQL text once.
const readOnlyCache = new Map<string, boolean>();
function readOnly(sql: string): boolean {
  let known = readOnlyCache.get(sql);
  if (known === undefined) {
    known = isReadOnlySql(sql);
    if (readOnlyCache.size > 2000) readOnlyCache.clear();
    readOnlyCache.set(sql, known);
  }
  return known;
}

export class ReplicatedDatabase implements Database {
  readonly alias = "default";
  private next = 0;

  constructor(
    readonly primary: Database,
    readonly replicas: readonly Database[],
    readonly routers: readonly DatabaseRouter[] = [],
  ) {
    if (replicas.length === 0)
      throw new ImproperlyConfigured("ReplicatedDatabase needs at least one replica");
  }

  get vendor() {
    return this.primary.vendor;
  }
  get url() {
    return this.primary.url;
  }
  get dialect() {
    return this.primary.dialect;
  }
  get beginSql() {
    return this.primary.beginSql;
  }
  get schema() {
    return this.primary.schema;
  }

  /** The database a statement outside a transaction goes to. */
  route(sql: string): Database {
    const reads = readOnly(sql);
    if (!reads) pinToPrimary(); // even when sent explicitly: the unit of work must see it
    const routing = currentRouting();
    if (routing?.forced !== undefined) return this.byAlias(routing.forced);
    if (!reads || routing?.pinned) return this.primary;
    for (const router of this.routers) {
      const alias = router.dbForRead?.(sql);
      if (alias !== undefined) return this.byAlias(alias);
    }
    return this.nextReplica();
  }

  execute(sql: string, params: readonly unknown[] = [], options?: ExecuteOptions): Promise<QueryResult> {
    const conn = currentConnection(this);
    if (conn) return conn.query(sql, params, options);
    return this.route(sql).execute(sql, params, options);
  }

  /** A transaction's connection: always the primary, and the unit of work reads from it afterwards. */
  acquire(): Promise<Connection> {
    pinToPrimary();
    return this.primary.acquire();
  }

  async close(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((db) => db.close()));
  }

  private nextReplica(): Database {
    const db = this.replicas[this.next % this.replicas.length]!;
    this.next = (this.next + 1) % this.replicas.length;
    return db;
  }

  /** The aliases `usingDatabase()` and `QuerySet.using()` accept (and "default", the primary's other name). */
  aliases(): string[] {
    return ["primary", "replica", ...this.replicas.map((db) => db.alias)];
  }

  private byAlias(alias: string): Database {
    if (alias === "primary" || alias === "default") return this.primary;
    if (alias === "replica") return this.nextReplica();
    const found = this.replicas.find((db) => db.alias === alias);
    if (!found) throw unknownAlias(alias, this.aliases());
    return found;
  }
}

function unknownAlias(alias: string, known: readonly string[]): ImproperlyConfigured {
  return new ImproperlyConfigured(`No database "${alias}": use one of ${known.join(", ")}`);
}

/**
 * Throws ImproperlyConfigured naming the valid aliases when `db` has no connection `alias`.
 * Without replicas there is one connection: "default" (and "primary", so code written for
 * replicas runs unchanged on one database).
 */
export function checkDatabaseAlias(db: Database, alias: string): void {
  if (alias === "default" || alias === "primary") return;
  const known =
    db instanceof ReplicatedDatabase ? db.aliases() : [...new Set(["default", "primary", db.alias])];
  if (!known.includes(alias)) throw unknownAlias(alias, known);
}

/** The primary alone, or the primary with its replicas (aliases "primary", "replica0", "replica1"…). */
export function createReplicatedDatabase(config: ReplicatedDatabaseConfig): Database {
  const replicas = config.replicas ?? [];
  if (replicas.length === 0) return createDatabase(config.default);
  const primary = createDatabase(config.default, { alias: "primary" });
  if (primary.vendor === "sqlite" || replicas.some((url) => url.startsWith("sqlite:"))) {
    throw new ImproperlyConfigured(
      "Read replicas need PostgreSQL: SQLite has one file and one writer, so a replica URL cannot be used with it. Unset the replica URLs.",
    );
  }
  return new ReplicatedDatabase(
    primary,
    replicas.map((url, i) => createDatabase(url, { alias: `replica${i}` })),
    config.routers,
  );
}
