// Maps driver errors to IntegrityError with the constraint name.
import { IntegrityError } from "../errors.js";

export function mapSqliteError(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === "string" && e.code.startsWith("SQLITE_CONSTRAINT")) {
    // "UNIQUE constraint failed: products.slug" / "CHECK constraint failed: price_gte_0"
    const m = /constraint failed: (.*)$/.exec(e.message ?? "");
    return new IntegrityError(e.message ?? "constraint failed", m?.[1], { cause: err });
  }
  return err;
}

export function mapPgError(err: unknown): unknown {
  const e = err as { code?: string; message?: string; constraint?: string; detail?: string };
  if (typeof e?.code === "string" && e.code.startsWith("23")) {
    const detail = e.detail ? ` (${e.detail})` : "";
    return new IntegrityError(`${e.message}${detail}`, e.constraint, { cause: err });
  }
  return err;
}
