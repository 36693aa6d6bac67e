// Rows → instances or dicts. A select plan gets one reader, built the first time it is read
// (plans of cached templates are reused, so once per query shape): per column a decoder chosen
// by field kind and vendor, so nothing per row looks at field metadata.
import type { Vendor } from "../db/url.js";
import { fromDb } from "../fields/convert.js";
import { fromScaled, quantize } from "../fields/decimal-codec.js";
import type { FieldMeta } from "../fields/types.js";
import { type AnyInstance, type AnyModel, InstanceState, STATE, stateOf } from "../model/internal.js";
import { convertOut } from "./convert-out.js";
import type { SelectPlan } from "./select.js";

export type Decoder = (raw: unknown) => unknown;

type ConvField = Pick<FieldMeta, "storage" | "decimalPlaces" | "name" | "baseField">;

/** A SQLite scaled integer as a decimal string: 61658, 2 → "616.58" (fromScaled without BigInt). */
function scaledText(raw: number, places: number): string {
  if (!Number.isSafeInteger(raw)) return fromScaled(raw, places);
  const neg = raw < 0;
  let s = String(neg ? -raw : raw);
  if (places > 0) {
    if (s.length <= places) s = "0".repeat(places + 1 - s.length) + s;
    s = `${s.slice(0, -places)}.${s.slice(-places)}`;
  }
  return neg ? `-${s}` : s;
}

const NEGATIVE_ZERO = /^-0(\.0*)?$/;

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `new Date(s)` for the text SQLite stores a datetime as (`toISOString()`: `2026-01-07T22:47:00.000Z`),
 * read by position: the same instant, at a fraction of the date parser's cost. Anything else, or
 * a field out of the range where both agree, goes to `new Date(s)`.
 */
export function parseIsoDateTime(s: string): Date {
  if (
    s.length === 24 &&
    s.charCodeAt(4) === 45 && // -
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 && // T
    s.charCodeAt(13) === 58 && // :
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(19) === 46 && // .
    s.charCodeAt(23) === 90 // Z
  ) {
    const century = digits2(s, 0);
    const year = digits2(s, 2);
    const month = digits2(s, 5);
    const day = digits2(s, 8);
    const hour = digits2(s, 11);
    const minute = digits2(s, 14);
    const second = digits2(s, 17);
    const ms10 = digits2(s, 20);
    const ms1 = s.charCodeAt(22) - 48;
    if (
      century >= 1 && // Date.UTC reads years 0-99 as 1900-1999
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms10 >= 0 &&
      ms1 >= 0 &&
      ms1 <= 9
    ) {
      return new Date(Date.UTC(century * 100 + year, month - 1, day, hour, minute, second, ms10 * 10 + ms1));
    }
  }
  return new Date(s);
}

/** The same conversion as `fromDb(field, raw, vendor)`, decided once per column instead of per value. */
export function decoderFor(field: ConvField, vendor: Vendor): Decoder {
  const sqlite = vendor === "sqlite";
  switch (field.storage) {
    case "decimal": {
      const places = field.decimalPlaces ?? 0;
      if (sqlite)
        return (raw) =>
          raw === null || raw === undefined
            ? null
            : typeof raw === "number"
              ? scaledText(raw, places)
              : fromScaled(raw as bigint, places);
      // PostgreSQL sends numeric(p, s) with exactly s places: already canonical unless it is not
      const canonical = new RegExp(places > 0 ? `^-?(0|[1-9]\\d*)\\.\\d{${places}}$` : "^-?(0|[1-9]\\d*)$");
      return (raw) =>
        raw === null || raw === undefined
          ? null
          : typeof raw === "string" && canonical.test(raw) && !NEGATIVE_ZERO.test(raw)
            ? raw
            : quantize(raw as string, places);
    }
    case "boolean":
      if (sqlite)
        return (raw) => (raw === null || raw === undefined ? null : raw === 1 || raw === 1n || raw === true);
      return (raw) => (raw === null || raw === undefined ? null : Boolean(raw));
    case "datetime":
      return (raw) =>
        raw === null || raw === undefined
          ? null
          : typeof raw === "string"
            ? parseIsoDateTime(raw)
            : raw instanceof Date
              ? raw
              : new Date(raw as string);
    case "json":
    case "array":
      if (sqlite)
        return (raw) =>
          raw === null || raw === undefined ? null : typeof raw === "string" ? JSON.parse(raw) : raw;
      return (raw) => (raw === undefined ? null : raw);
    case "integer":
    case "auto":
      return (raw) =>
        raw === null || raw === undefined
          ? null
          : typeof raw === "bigint" || typeof raw === "string"
            ? Number(raw)
            : raw;
    case "string":
    case "relation":
      return (raw) => (raw === undefined ? null : raw);
    default:
      return (raw) => fromDb(field, raw, vendor);
  }
}

interface GroupReader {
  proto: object;
  start: number;
  /** column of the primary key (a missing related row has NULL there) */
  pkColumn: number;
  parent: number;
  name: string;
  attnames: string[];
  decoders: Decoder[];
  deferred: Set<string> | undefined;
}

export interface RowReader {
  read(rows: unknown[][]): unknown[];
}

type Builder = (row: unknown[]) => AnyInstance | null;

/**
 * The function that makes one model's instance from a row. Generated once per plan so every
 * property store names its field literally: the instances share one hidden class and the stores
 * stay monomorphic (a loop over field names is several times slower per row). Field names are
 * embedded as JSON string literals; values go through the column's decoder.
 */
function builderFor(g: GroupReader): Builder {
  const lines = ["return function build(row) {"];
  if (g.parent >= 0) lines.push(`  if (row[${g.pkColumn}] === null) return null;`);
  lines.push("  const o = Object.create(proto);");
  lines.push(
    // the plan's deferred set is shared: InstanceState.deferred is replaced, never changed in place
    "  o[STATE] = new InstanceState(false, deferred);",
  );
  g.attnames.forEach((name, i) => {
    lines.push(`  o[${JSON.stringify(name)}] = d${i}(row[${g.start + i}]);`);
  });
  lines.push("  return o;", "};");
  const decoderArgs = g.decoders.map((_, i) => `d${i}`);
  const make = new Function("proto", "STATE", "InstanceState", "deferred", ...decoderArgs, lines.join("\n"));
  return make(g.proto, STATE, InstanceState, g.deferred, ...g.decoders) as Builder;
}

function instancesReader(plan: SelectPlan, vendor: Vendor): RowReader {
  const groups: GroupReader[] = plan.groups.map((g) => ({
    proto: (g.model as AnyModel).prototype as object,
    start: g.start,
    pkColumn: g.start + g.fields.findIndex((f) => f.primaryKey),
    parent: g.parent,
    name: g.name,
    attnames: g.fields.map((f) => f.attname),
    decoders: g.fields.map((f) => decoderFor(f, vendor)),
    deferred: g.deferred,
  }));
  const annotations = plan.annotations.map((a) => ({
    name: a.name,
    index: a.index,
    decode: (raw: unknown) => convertOut(a.out, raw, vendor),
  }));
  const builders = groups.map(builderFor);
  if (groups.length === 1 && annotations.length === 0) {
    const build = builders[0]!;
    return { read: (rows) => rows.map(build) };
  }
  return {
    read(rows) {
      const result: AnyInstance[] = new Array(rows.length);
      const built: (AnyInstance | null)[] = new Array(groups.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let i = 0; i < groups.length; i++) {
          const g = groups[i]!;
          const obj = builders[i]!(row);
          built[i] = obj;
          if (g.parent >= 0) {
            const parent = built[g.parent];
            if (parent) stateOf(parent).cache.set(g.name, obj);
          }
        }
        const main = built[0]!;
        for (const a of annotations) main[a.name] = a.decode(row[a.index]);
        result[r] = main;
      }
      return result;
    },
  };
}

function valuesReader(plan: SelectPlan, vendor: Vendor, mode: "dict" | "list" | "flat" | "named"): RowReader {
  const keys = plan.values.map((v) => v.key);
  const indexes = plan.values.map((v) => v.index);
  const decoders: Decoder[] = plan.values.map((v) => (raw) => convertOut(v.out, raw, vendor));
  const dict = (row: unknown[]) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = decoders[i]!(row[indexes[i]!]);
    return out;
  };
  // rows used to be dicts turned into lists: unique, non-numeric keys keep their column order
  const plain = new Set(keys).size === keys.length && !keys.some((k) => /^\d+$/.test(k));
  if (mode === "flat") {
    if (!plain) return { read: (rows) => rows.map((row) => Object.values(dict(row))[0]) };
    const index = indexes[0]!;
    const decode = decoders[0]!;
    return { read: (rows) => rows.map((row) => decode(row[index])) };
  }
  if (mode === "list") {
    if (!plain) return { read: (rows) => rows.map((row) => Object.values(dict(row))) };
    return { read: (rows) => rows.map((row) => indexes.map((index, i) => decoders[i]!(row[index]))) };
  }
  return { read: (rows) => rows.map(dict) };
}

const readers = new WeakMap<SelectPlan, RowReader>();

/** Instances (with selectRelated objects and annotations) or values rows, as the plan and `mode` say. */
export function readRows(
  plan: SelectPlan,
  rows: unknown[][],
  vendor: Vendor,
  mode: "dict" | "list" | "flat" | "named" | undefined,
): unknown[] {
  let reader = readers.get(plan);
  if (!reader) {
    reader =
      plan.kind === "values" ? valuesReader(plan, vendor, mode ?? "dict") : instancesReader(plan, vendor);
    readers.set(plan, reader);
  }
  return reader.read(rows);
}
