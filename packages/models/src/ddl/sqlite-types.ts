// SQLite column types: one per storage kind (SQLite has type affinities, not types), so the
// limits other databases keep in the type — a varchar's length, a boolean — are CHECKs.
import type { StorageKind } from "../fields/types.js";
import type { FieldState } from "./state.js";

const TYPES: Partial<Record<StorageKind, string>> = {
  auto: "integer",
  integer: "integer",
  float: "real",
  // exact: an integer scaled by 10^decimal_places
  decimal: "integer",
  string: "text",
  uuid: "text",
  boolean: "integer",
  date: "text",
  datetime: "text",
  time: "text",
  duration: "bigint",
  json: "text",
  array: "text",
};

export function sqliteColumnType(field: FieldState): string {
  const type = TYPES[field.storage];
  if (!type) throw new Error(`No SQLite column type for ${field.type}`);
  return type;
}

/** `column` is already quoted. */
export function sqliteColumnChecks(field: FieldState, column: string): string[] {
  const out: string[] = [];
  if (field.storage === "string" && field.maxLength !== undefined && field.type !== "TextField") {
    out.push(`length(${column}) <= ${field.maxLength}`);
  }
  if (field.storage === "boolean") out.push(`${column} IN (0, 1)`);
  return out;
}
