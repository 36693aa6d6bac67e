// Column types per dialect (one table of Django field type → SQL type).
import type { Vendor } from "../db/url.js";
import type { FieldMeta } from "../fields/types.js";

function pgType(f: FieldMeta): string {
  switch (f.type) {
    case "AutoField":
      return "integer";
    case "BigAutoField":
      return "bigint";
    case "SmallAutoField":
      return "smallint";
    case "IntegerField":
    case "PositiveIntegerField":
      return "integer";
    case "BigIntegerField":
    case "PositiveBigIntegerField":
      return "bigint";
    case "SmallIntegerField":
    case "PositiveSmallIntegerField":
      return "smallint";
    case "FloatField":
      return "double precision";
    case "DecimalField":
      return `numeric(${f.maxDigits}, ${f.decimalPlaces})`;
    case "CharField":
    case "SlugField":
    case "EmailField":
    case "URLField":
    case "FileField":
    case "ImageField":
      return f.maxLength !== undefined ? `varchar(${f.maxLength})` : "text";
    case "TextField":
      return "text";
    case "UUIDField":
      return "uuid";
    case "BooleanField":
      return "boolean";
    case "DateField":
      return "date";
    case "DateTimeField":
      return "timestamp with time zone";
    case "TimeField":
      return "time";
    case "DurationField":
      return "bigint";
    case "JSONField":
      return "jsonb";
    case "ArrayField":
      return `${pgType(f.baseField!)}[]`;
    case "ForeignKey":
    case "OneToOneField": {
      const pk = f.relatedModel!().meta.pk;
      return pk.storage === "auto"
        ? pgType({ ...pk, type: pk.type.replace("Auto", "Integer") as FieldMeta["type"] })
        : pgType(pk);
    }
    case "ManyToManyField":
      throw new Error("ManyToManyField has no column");
  }
}

function sqliteType(f: FieldMeta): string {
  switch (f.storage) {
    case "auto":
    case "integer":
    case "boolean":
    case "duration":
      return "integer";
    case "decimal":
      // exact: an integer scaled by 10^decimal_places
      return "integer";
    case "float":
      return "real";
    case "string":
      return f.maxLength !== undefined && f.type !== "TextField" ? `varchar(${f.maxLength})` : "text";
    case "relation": {
      const pk = f.relatedModel!().meta.pk;
      return sqliteType(pk);
    }
    default:
      return "text";
  }
}

/** The SQL type of a field's column. */
export function columnType(field: FieldMeta, vendor: Vendor): string {
  return vendor === "postgresql" ? pgType(field) : sqliteType(field);
}
