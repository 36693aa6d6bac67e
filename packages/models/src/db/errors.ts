// Maps driver errors to IntegrityError with the constraint name.
import { IntegrityError, OperationalError } from "../errors.js";

export function mapSqliteError(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === "string" && e.code.startsWith("SQLITE_CONSTRAINT")) {
    // "UNIQUE constraint failed: products.slug" / "CHECK constraint failed: price_gte_0"
    const m = /constraint failed: (.*)$/.exec(e.message ?? "");
    return new IntegrityError(e.message ?? "constraint failed", m?.[1], { cause: err });
  }
  return err;
}

// Connection-level failures: refused/unreachable server, a pool that gave no connection in time,
// a connection killed by the server (pg_terminate_backend, restart: SQLSTATE class 57P / 08).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
]);
// "... is not queryable": a query on a connection the server already closed (within a transaction).
// "cached plan must not change result type": a prepared statement whose columns a migration changed
// fails once on each connection that prepared it (that connection is then replaced: retry later).
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|is not queryable|cached plan must not change result type/i;

export function mapPgError(err: unknown): unknown {
  const e = err as { code?: string; message?: string; constraint?: string; detail?: string };
  if (
    (typeof e?.code === "string" &&
      (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith("57P") || e.code.startsWith("08"))) ||
    UNAVAILABLE_MESSAGES.test(e?.message ?? "")
  ) {
    return new OperationalError(`Database unavailable: ${e?.message ?? String(err)}`, { cause: err });
  }
  if (typeof e?.code === "string" && e.code.startsWith("23")) {
    const detail = e.detail ? ` (${e.detail})` : "";
    return new IntegrityError(`${e.message}${detail}`, e.constraint, { cause: err });
  }
  return err;
}
