import type { AnyModel, Database, FieldMeta } from "@x/models";

/** Double-quoted identifier (both SQLite and PostgreSQL). */
export function qi(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A placeholder numberer for the database's parameter style. */
export function placeholders(db: Database): () => string {
  let n = 0;
  return () => (db.vendor === "postgresql" ? `$${++n}` : "?");
}

export interface JoinTable {
  /** the through model (automatic or declared) */
  through: AnyModel;
  table: string;
  /** column pointing at the owner of the many-to-many field */
  source: string;
  /** column pointing at the related model */
  target: string;
  /** the two foreign keys' field names, for QuerySet lookups */
  sourceName: string;
  targetName: string;
}

/** The join table of `model.<field>` (a ManyToManyField): its model, columns and field names. */
export function joinTable(model: AnyModel, fieldName: string): JoinTable {
  const field = model.meta.getField(fieldName);
  const through = field.through?.();
  const target = field.relatedModel?.();
  if (!through || !target)
    throw new Error(`${model.meta.label}.${fieldName} is not a resolved many-to-many field`);
  const fks = through.meta.fields.filter((f: FieldMeta) => f.manyToOne || f.oneToOne);
  const pointsTo = (f: FieldMeta, m: AnyModel) => f.relatedModel?.().meta.dbTable === m.meta.dbTable;
  const source = fks.find((f) => pointsTo(f, model));
  const targetFk = fks.find((f) => pointsTo(f, target) && f !== source);
  if (!source || !targetFk) throw new Error(`Cannot find the foreign keys of ${through.meta.label}`);
  return {
    through,
    table: through.meta.dbTable,
    source: source.column,
    target: targetFk.column,
    sourceName: source.name,
    targetName: targetFk.name,
  };
}
