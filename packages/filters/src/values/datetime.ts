import { messages } from "../messages.js";
import { isRealDate, parseDate } from "./date.js";
import { convertingSchema } from "./parse.js";
import { parseTime } from "./time.js";

// Django's parse_datetime: date, T or space, time with optional seconds/fraction, optional offset.
const ISO_DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const US_DATETIME = /^(\d{1,2}\/\d{1,2}\/(?:\d{4}|\d{2}))(?: (\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?))?$/;

function build(date: string, time: string, offsetMinutes: number): Date {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [hms, frac = "0"] = time.split(".") as [string, string?];
  const [h, mi, s] = hms.split(":").map(Number) as [number, number, number];
  const at = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, Math.floor(Number(frac.padEnd(6, "0")) / 1000)));
  at.setUTCFullYear(y);
  return new Date(at.getTime() - offsetMinutes * 60_000);
}

/** Python's datetime range in UTC: an offset must not push a value out of years 1–9999. */
const inYearRange = (date: Date | null): Date | null => {
  if (!date) return null;
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? date : null;
};

function offsetOf(tz: string | undefined): number | null {
  if (!tz || tz.toUpperCase() === "Z") return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz);
  if (!match) return null;
  const [hours, minutes] = [Number(match[2]), Number(match[3] ?? "0")];
  if (hours > 23 || minutes > 59) return null;
  return (match[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

/** ISO 8601 as Django's parse_datetime reads it (a bare date is midnight); naive values are UTC. */
export function parseIsoDateTime(text: string): Date | null {
  const dateOnly = ISO_DATE.exec(text);
  if (dateOnly) {
    const date = parseDate(text);
    return date ? build(date, "00:00:00", 0) : null;
  }
  const m = ISO_DATETIME.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(year, month, day)) return null;
  const time = parseTime(`${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ""}${m[7] ? `.${m[7]}` : ""}`);
  const offset = offsetOf(m[8]);
  if (time === null || offset === null) return null;
  return build(parseDate(`${m[1]}-${m[2]}-${m[3]}`)!, time, offset);
}

/** Django's DateTimeField input: ISO 8601, plus %m/%d/%Y[ %H:%M[:%S[.%f]]] (naive = UTC). */
export function parseDateTime(text: string): Date | null {
  const iso = parseIsoDateTime(text);
  if (iso) return iso;
  const us = US_DATETIME.exec(text);
  if (!us) return null;
  const date = parseDate(us[1]!);
  const time = us[2] ? parseTime(us[2]) : "00:00:00";
  return date && time ? build(date, time, 0) : null;
}

export const dateTimeValue = convertingSchema(messages.invalidDateTime, (text) =>
  text === "" ? undefined : inYearRange(parseDateTime(text)),
);
export const isoDateTimeValue = convertingSchema(messages.invalidDateTime, (text) =>
  text === "" ? undefined : inYearRange(parseIsoDateTime(text)),
);
