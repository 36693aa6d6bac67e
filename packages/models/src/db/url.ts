// Parses the one database URL that picks SQLite or PostgreSQL.
import { ImproperlyConfigured } from "../errors.js";

export type Vendor = "sqlite" | "postgresql";

export type DatabaseConfig =
  | { vendor: "sqlite"; url: string; filename: string }
  | { vendor: "postgresql"; url: string; connectionString: string; schema: string | undefined };

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
    return { vendor: "postgresql", url, connectionString: parsed.toString(), schema };
  }
  throw new ImproperlyConfigured(
    `Unsupported database URL "${url}": use sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
  );
}
