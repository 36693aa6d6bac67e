// drizzle's dialects, for rendering SQL with inlined literals and quoting names in DDL.
import { PgDialect } from "drizzle-orm/pg-core";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";

export const dialects = { sqlite: new SQLiteSyncDialect(), postgresql: new PgDialect() } as const;
