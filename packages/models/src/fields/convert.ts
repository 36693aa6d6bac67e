// Conversion between JavaScript values and database values, per storage kind and vendor.

import type { Vendor } from "../db/url.js";
import { ValidationError } from "../errors.js";
import { fromScaled, quantize, toScaled } from "./decimal-codec.js";
import type { FieldMeta } from "./types.js";

type ConvField = Pick<FieldMeta, "storage" | "decimalPlaces" | "name" | "baseField">;

function toDate(value: unknown, name: string): Date {
  const d = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(d.getTime())) {
    throw new ValidationError({
      [name]: `"${String(value)}" value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.`,
    });
  }
  return d;
}

/** JavaScript value → parameter for the driver. */
export function toDb(field: ConvField, value: unknown, vendor: Vendor): unknown {
  if (value === null || value === undefined) return null;
  switch (field.storage) {
    case "decimal": {
      const places = field.decimalPlaces ?? 0;
      if (vendor === "sqlite") {
        const scaled = toScaled(value as string, places);
        // SQLite keeps decimals as 64-bit scaled integers read back as JS numbers: refuse what would lose digits
        if (scaled > BigInt(Number.MAX_SAFE_INTEGER) || scaled < -BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new ValidationError(
            `Ensure that there are no more than 15 digits in total (decimal "${String(value)}" on SQLite).`,
            { code: "max_digits" },
          );
        }
        return Number(scaled);
      }
      return quantize(value as string, places);
    }
    case "boolean":
      if (vendor === "sqlite") return value ? 1 : 0;
      return Boolean(value);
    case "datetime": {
      const d = toDate(value, field.name);
      return vendor === "sqlite" ? d.toISOString() : d;
    }
    case "duration":
      return Math.round(Number(value) * 1000);
    case "json":
      return storableJson(value, field.name);
    case "array": {
      const text = storableJson(value, field.name);
      return vendor === "sqlite" ? text : value;
    }
    case "integer":
    case "auto": {
      // bad input must be a clear validation error, never a driver error (a 500)
      const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) {
        throw new ValidationError(`“${String(value)}” value must be an integer.`, { code: "invalid" });
      }
      return n;
    }
    case "float": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || Number.isNaN(n)) {
        throw new ValidationError(`“${String(value)}” value must be a float.`, { code: "invalid" });
      }
      return n;
    }
    case "uuid": {
      const s = String(value).toLowerCase();
      const hex = s.replace(/-/g, "");
      if (!/^[0-9a-f]{32}$/.test(hex)) {
        throw new ValidationError(`“${String(value)}” is not a valid UUID.`, { code: "invalid" });
      }
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    case "date": {
      const s = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      const d = m ? new Date(`${s}T00:00:00Z`) : undefined;
      if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
        throw new ValidationError(
          `“${String(value)}” value has an invalid date format. It must be in YYYY-MM-DD format.`,
          {
            code: "invalid",
          },
        );
      }
      return s;
    }
    case "time": {
      const s = String(value);
      if (!/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$/.test(s)) {
        throw new ValidationError(
          `“${s}” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.`,
          {
            code: "invalid",
          },
        );
      }
      return s;
    }
    default:
      return value;
  }
}

/** Database value → JavaScript value. */
export function fromDb(field: ConvField, raw: unknown, vendor: Vendor): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.storage) {
    case "decimal": {
      const places = field.decimalPlaces ?? 0;
      if (vendor === "sqlite") return fromScaled(raw as number, places);
      return quantize(raw as string, places);
    }
    case "boolean":
      return vendor === "sqlite" ? raw === 1 || raw === 1n || raw === true : Boolean(raw);
    case "datetime":
      return raw instanceof Date ? raw : new Date(raw as string);
    case "duration":
      return Number(raw) / 1000;
    case "json":
      return typeof raw === "string" && vendor === "sqlite" ? JSON.parse(raw) : raw;
    case "array":
      return vendor === "sqlite" && typeof raw === "string" ? JSON.parse(raw) : raw;
    case "integer":
    case "auto":
      return typeof raw === "bigint" || typeof raw === "string" ? Number(raw) : raw;
    default:
      return raw;
  }
}

// PostgreSQL refuses NUL and unpaired surrogates in json/jsonb and text; refusing them on both
// databases keeps one behaviour and turns a driver error (a 500) into a validation error.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorable(value: unknown): string | undefined {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return "Null characters are not allowed.";
    const lone = LONE_SURROGATE.exec(value)?.[0];
    return lone
      ? `Surrogate characters are not allowed: U+${lone.charCodeAt(0).toString(16).toUpperCase()}.`
      : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const bad = unstorable(item);
      if (bad) return bad;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const bad = unstorable(key) ?? unstorable(item);
      if (bad) return bad;
    }
  }
  return undefined;
}

function storableJson(value: unknown, name: string): string {
  const bad = unstorable(value);
  if (bad) throw new ValidationError({ [name]: bad }, { code: "invalid" });
  return JSON.stringify(value);
}
