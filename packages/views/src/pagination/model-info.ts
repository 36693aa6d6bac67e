import type { PositionValue } from "./cursor-codec.js";

/** The field facts cursor pagination reads from `queryset.model.meta` (an @x/models QuerySet has them). */
interface FieldFacts {
  type: string;
  unique: boolean;
  primaryKey: boolean;
  null: boolean;
  name: string;
}

export interface ModelInfo {
  pkName: string;
  attributeOf(name: string): string;
  isUnique(name: string): boolean;
  field(name: string): FieldFacts | null;
}

function readField(meta: unknown, name: string): FieldFacts | null {
  if (typeof meta !== "object" || meta === null) return null;
  const getField: unknown = Reflect.get(meta, "getField");
  if (typeof getField !== "function") return null;
  let field: unknown;
  try {
    field = Reflect.apply(getField, meta, [name]);
  } catch {
    return null;
  }
  if (typeof field !== "object" || field === null) return null;
  const get = (k: string): unknown => Reflect.get(field, k);
  const type = get("type");
  const fieldName = get("name");
  if (typeof type !== "string" || typeof fieldName !== "string") return null;
  return {
    type,
    name: fieldName,
    unique: get("unique") === true,
    primaryKey: get("primaryKey") === true,
    null: get("null") === true,
  };
}

/** Model facts for a QuerySet, or conservative defaults (`id` primary key) when it exposes none. */
export function modelInfo(queryset: object): ModelInfo {
  const model: unknown = Reflect.get(queryset, "model");
  const meta: unknown =
    typeof model === "function" || typeof model === "object" ? Reflect.get(model ?? {}, "meta") : null;
  const pk = readField(meta, "pk");
  const pkName = pk?.name ?? "id";
  return {
    pkName,
    attributeOf: (name) => (name === "pk" ? pkName : name),
    isUnique: (name) => {
      const field = readField(meta, name);
      return name === pkName || (field !== null && (field.primaryKey || (field.unique && !field.null)));
    },
    field: (name) => readField(meta, name),
  };
}

const INTEGER_TYPES = new Set([
  "AutoField",
  "BigAutoField",
  "SmallAutoField",
  "IntegerField",
  "BigIntegerField",
  "SmallIntegerField",
  "PositiveIntegerField",
  "PositiveSmallIntegerField",
  "ForeignKey",
  "OneToOneField",
]);

/**
 * Whether a decoded cursor value fits the field, so a forged cursor is a 404
 * and never reaches the database as a value of the wrong type (a 500 there).
 */
export function checkPosition(info: ModelInfo, name: string, value: PositionValue): boolean {
  const field = info.field(name);
  if (value === null) return field === null || field.null;
  if (field === null) return typeof value !== "object";
  const t = field.type;
  if (INTEGER_TYPES.has(t)) return typeof value === "number" && Number.isSafeInteger(value);
  if (t === "FloatField") return typeof value === "number";
  if (t === "DecimalField") return typeof value === "string" && /^-?\d{1,40}(\.\d{1,40})?$/.test(value);
  if (t === "BooleanField") return typeof value === "boolean";
  if (t === "DateTimeField") return value instanceof Date;
  if (t === "DateField")
    return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
  if (t === "UUIDField")
    return typeof value === "string" && /^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i.test(value);
  return typeof value === "string";
}
