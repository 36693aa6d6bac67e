// Column types and per-column CHECKs: the dialect modules' answers behind one entry point.
import type { Vendor } from "../db/url.js";
import type { FieldMeta } from "../fields/types.js";
import { pgColumnType } from "./pg-types.js";
import { sqliteColumnChecks, sqliteColumnType } from "./sqlite-types.js";
import { type FieldState, fieldShape } from "./state.js";

/** The primary key field of the model a relation points at (by lowercase label). */
export type TargetPk = (label: string) => FieldState;

/** The SQL type of a column; a relation takes its target primary key's type (an auto key as a plain integer). */
export function stateColumnType(field: FieldState, vendor: Vendor, targetPk: TargetPk): string {
  if (field.storage === "relation") {
    return stateColumnType({ ...targetPk(field.to!), primaryKey: false }, vendor, targetPk);
  }
  const elementType = (element: FieldState) => stateColumnType(element, vendor, targetPk);
  return vendor === "sqlite" ? sqliteColumnType(field) : pgColumnType(field, elementType);
}

/** The CHECK conditions a column carries (non-negative Positive* fields; SQLite's missing type checks). */
export function columnChecks(field: FieldState, column: string, vendor: Vendor): string[] {
  const out = field.type.startsWith("Positive") ? [`${column} >= 0`] : [];
  return vendor === "sqlite" ? [...out, ...sqliteColumnChecks(field, column)] : out;
}

/** The SQL type of a live field's column (e.g. for a CAST). */
export function columnType(field: FieldMeta, vendor: Vendor): string {
  if (field.manyToMany) throw new Error("ManyToManyField has no column");
  let target = field;
  while (target.isRelation) target = target.relatedModel!().meta.pk;
  return stateColumnType({ ...fieldShape(target), primaryKey: false }, vendor, () => {
    throw new Error("unreachable: the relation chain was followed to its end");
  });
}
