// Django converts a URL's lookup value with the field's to_python before the
// query; a value the column type cannot hold ("abc" for an integer pk, an
// out-of-range number, a malformed UUID) names no object. Checking it here
// keeps PostgreSQL from answering a type error (a 500) where SQLite finds nothing.
import type { FieldMeta } from "@x/models";

const INTEGER_BITS: Record<string, number> = {
  SmallAutoField: 16,
  SmallIntegerField: 16,
  PositiveSmallIntegerField: 16,
  AutoField: 32,
  IntegerField: 32,
  PositiveIntegerField: 32,
  BigAutoField: 64,
  BigIntegerField: 64,
  PositiveBigIntegerField: 64,
};

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The field whose values `field` stores (a ForeignKey stores its target's pk). */
function storedField(field: FieldMeta): FieldMeta {
  if ((field.type === "ForeignKey" || field.type === "OneToOneField") && field.relatedModel) {
    return storedField(field.relatedModel().meta.pk);
  }
  return field;
}

export function isValidLookupValue(field: FieldMeta, value: string): boolean {
  const target = storedField(field);
  const bits = INTEGER_BITS[target.type];
  if (bits !== undefined) {
    if (!/^[+-]?\d+$/.test(value.trim())) return false;
    const n = BigInt(value.trim());
    const limit = 1n << BigInt(bits - 1);
    return n >= -limit && n < limit;
  }
  if (target.type === "UUIDField") return UUID.test(value);
  return true;
}

interface ModelLike {
  meta: { pk: FieldMeta; getField(name: string): FieldMeta };
}

/** Whether every `field → value` pair of a URL lookup can name a row of `model`. */
export function lookupCanMatch(model: ModelLike | undefined, lookups: Record<string, unknown>): boolean {
  if (!model) return true;
  for (const [name, value] of Object.entries(lookups)) {
    if (typeof value !== "string" || name.includes("__")) continue;
    let field: FieldMeta;
    try {
      field = name === "pk" ? model.meta.pk : model.meta.getField(name);
    } catch {
      continue; // not a concrete field name: let the query report it
    }
    if (!isValidLookupValue(field, value)) return false;
  }
  return true;
}
