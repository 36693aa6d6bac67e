// PostgreSQL column types per Django field type.
import type { FieldType } from "../fields/types.js";
import type { FieldState } from "./state.js";

const TYPES: Partial<Record<FieldType, string>> = {
  AutoField: "integer",
  BigAutoField: "bigint",
  SmallAutoField: "smallint",
  IntegerField: "integer",
  BigIntegerField: "bigint",
  SmallIntegerField: "smallint",
  PositiveIntegerField: "integer",
  PositiveSmallIntegerField: "smallint",
  PositiveBigIntegerField: "bigint",
  FloatField: "double precision",
  BooleanField: "boolean",
  DateField: "date",
  DateTimeField: "timestamp with time zone",
  TimeField: "time",
  DurationField: "bigint",
  JSONField: "jsonb",
  TextField: "text",
  UUIDField: "uuid",
};

/** `elementType` types an ArrayField's base field. */
export function pgColumnType(field: FieldState, elementType: (element: FieldState) => string): string {
  if (field.storage === "decimal") return `numeric(${field.maxDigits ?? 65}, ${field.decimalPlaces ?? 0})`;
  if (field.storage === "array") return `${elementType(field.baseField!)}[]`;
  if (field.storage === "string" && field.type !== "TextField") {
    return field.maxLength !== undefined ? `varchar(${field.maxLength})` : "text";
  }
  const type = TYPES[field.type];
  if (!type) throw new Error(`No PostgreSQL column type for ${field.type}`);
  return type;
}
