// The default database the app configures once at startup.
import { ImproperlyConfigured } from "../errors.js";
import { createDatabase, type Database } from "./database.js";
import { createReplicatedDatabase, ReplicatedDatabase, type ReplicatedDatabaseConfig } from "./replicas.js";

let defaultDb: Database | undefined;

/**
 * Sets the default database from a URL, a primary with read replicas
 * (`{ default: url, replicas: [url, ...] }`), or an existing Database; returns it.
 */
export function configureDatabase(config: string | ReplicatedDatabaseConfig | Database): Database {
  if (typeof config === "string") defaultDb = createDatabase(config);
  else if ("execute" in config) defaultDb = config;
  else defaultDb = createReplicatedDatabase(config);
  return defaultDb;
}

/** The default database; `sqlite:./db.sqlite3` when nothing was configured. */
export function getDatabase(): Database {
  if (!defaultDb) defaultDb = createDatabase("sqlite:./db.sqlite3");
  return defaultDb;
}

/**
 * Whether the default database routes reads (it has replicas), so a unit of work
 * needs a `routingScope()`. A web app asks once at startup and, with one database,
 * installs no per-request scope (an AsyncLocalStorage run per request for nothing).
 */
export function routingScopeNeeded(db: Database = getDatabase()): boolean {
  return db instanceof ReplicatedDatabase;
}

export async function closeDatabase(): Promise<void> {
  const db = defaultDb;
  defaultDb = undefined;
  await db?.close();
}

export function requireDatabase(): Database {
  const db = getDatabase();
  if (!db) throw new ImproperlyConfigured("No database configured: call configureDatabase(url)");
  return db;
}
