// Parses the one database URL that picks SQLite or PostgreSQL.
import { ImproperlyConfigured } from "../errors.js";

export type Vendor = "sqlite" | "postgresql";

export type DatabaseConfig =
  | { vendor: "sqlite"; url: string; filename: string }
  | {
      vendor: "postgresql";
      url: string;
      connectionString: string;
      schema: string | undefined;
      /** Connections per process (`?pool_size=`, default 10). */
      poolSize: number;
      /** How long a query waits for a free connection, then OperationalError (`?pool_timeout=` seconds, default 10). */
      poolTimeoutMs: number;
      /** Compiled query shapes run as named prepared statements (`?prepared_statements=false` turns it off, e.g. behind a transaction-pooling PgBouncer). */
      preparedStatements?: boolean;
    };

function positiveNumber(
  url: string,
  params: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = params.get(name);
  params.delete(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ImproperlyConfigured(
      `Invalid ${name}=${raw} in database URL "${url}": expected a number in (0, ${max}]`,
    );
  }
  return value;
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (typeof url !== "string" || url.length === 0) {
    throw new ImproperlyConfigured(
      "Empty database URL: use sqlite:<path>, sqlite::memory: or postgres://user@host:port/db",
    );
  }
  if (url.startsWith("sqlite:")) {
    let filename = url.slice("sqlite:".length);
    if (filename.startsWith("//")) filename = filename.slice(2); // sqlite://./x.db
    if (filename === "" || filename === ":memory:") return { vendor: "sqlite", url, filename: ":memory:" };
    return { vendor: "sqlite", url, filename };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ImproperlyConfigured(
        `Invalid PostgreSQL URL "${url}": expected postgres://user@host:port/db`,
      );
    }
    if (!parsed.hostname || parsed.pathname.length <= 1) {
      throw new ImproperlyConfigured(
        `Invalid PostgreSQL URL "${url}": expected postgres://user@host:port/db (host and database name are required)`,
      );
    }
    const schema = parsed.searchParams.get("schema") ?? undefined;
    parsed.searchParams.delete("schema");
    const poolSize = Math.floor(positiveNumber(url, parsed.searchParams, "pool_size", 10, 1000));
    const poolTimeoutMs = Math.round(
      positiveNumber(url, parsed.searchParams, "pool_timeout", 10, 3600) * 1000,
    );
    const prepared = parsed.searchParams.get("prepared_statements") ?? "true";
    parsed.searchParams.delete("prepared_statements");
    if (prepared !== "true" && prepared !== "false") {
      throw new ImproperlyConfigured(
        `Invalid prepared_statements=${prepared} in database URL "${url}": expected true or false`,
      );
    }
    return {
      vendor: "postgresql",
      url,
      connectionString: parsed.toString(),
      schema,
      poolSize,
      poolTimeoutMs,
      preparedStatements: prepared === "true",
    };
  }
  throw new ImproperlyConfigured(
    `Unsupported database URL "${url}": use sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
  );
}
