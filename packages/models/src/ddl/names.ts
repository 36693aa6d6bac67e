// Generated identifiers (constraint and index names), kept within PostgreSQL's 63-byte limit.
// They are in databases migrated by earlier versions: changing them needs a migration.
import { createHash } from "node:crypto";

const MAX_LENGTH = 63;

/** `<parts>_<suffix>`, or when that is too long, a prefix of it, an 8-digit hash of the whole and the suffix. */
export function identifier(parts: readonly string[], suffix: string): string {
  const full = `${parts.join("_")}_${suffix}`;
  if (full.length <= MAX_LENGTH) return full;
  let hash = 0;
  for (const ch of full) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  const tag = (hash >>> 0).toString(16).padStart(8, "0");
  return `${full.slice(0, MAX_LENGTH - suffix.length - 10)}_${tag}_${suffix}`;
}

/** The UNIQUE constraint of a unique field or a unique_together group. */
export function uniqueName(table: string, columns: readonly string[]): string {
  return identifier([table, ...columns], "uniq");
}

/** The FOREIGN KEY constraint of a relation column. */
export function foreignKeyName(table: string, column: string): string {
  return identifier([table, column], "fk");
}

/** The index of a db_index / foreign-key column, and the first choice for a Meta.indexes entry. */
export function indexName(table: string, columns: readonly string[]): string {
  return identifier([table, ...columns], "idx");
}

/** Six hex digits telling apart two Meta.indexes on the same columns (the ordering signs differ). */
export function shortHash(text: string): string {
  return createHash("md5").update(text).digest("hex").slice(0, 6);
}
