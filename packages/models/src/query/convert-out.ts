// Converts computed (annotation/aggregate) values from the database to JavaScript.
import type { Vendor } from "../db/url.js";
import { fromDb } from "../fields/convert.js";
import { fromScaled, quantize } from "../fields/decimal-codec.js";
import type { OutField } from "./expressions.js";

export function convertOut(out: OutField, raw: unknown, vendor: Vendor): unknown {
  if (raw === null || raw === undefined) return null;
  switch (out.storage) {
    case "decimal": {
      const places = out.places ?? out.scale ?? 0;
      if (vendor === "sqlite") {
        const scale = out.scale ?? 0;
        const n = typeof raw === "bigint" ? raw : BigInt(Math.round(Number(raw)));
        return quantize(fromScaled(n, scale), places);
      }
      return quantize(String(raw), places);
    }
    case "integer":
    case "auto":
    case "float":
      return Number(raw);
    case "json":
      if (out.scale === -1) {
        // a JSON key: SQLite's json_extract already gives SQL values, PostgreSQL gives parsed jsonb
        return raw;
      }
      return fromDb(
        { storage: "json", decimalPlaces: undefined, name: out.name ?? "", baseField: undefined },
        raw,
        vendor,
      );
    default:
      return fromDb(
        { storage: out.storage, decimalPlaces: out.scale, name: out.name ?? "", baseField: undefined },
        raw,
        vendor,
      );
  }
}
