// DateTimeField (Date in, "…Z" out, UTC), DateField ("YYYY-MM-DD"), TimeField, DurationField (ms).

import { strftime } from "@x/models";
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { parseStep } from "./messages.js";
import { humanizeFormats, strptime } from "./strptime.js";

const DATETIME_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?$/;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** "00".."99": date parts without padStart on the output hot path */
const TWO = Array.from({ length: 100 }, (_, i) => pad(i));

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `2026-01-08T00:10:00Z`, with `.ffffff` when there are fractional seconds (Python's isoformat). */
export function formatDateTime(d: Date): string {
  const y = d.getUTCFullYear();
  const base =
    y >= 1000 && y <= 9999
      ? `${y}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]}T${TWO[d.getUTCHours()]}:${TWO[d.getUTCMinutes()]}:${TWO[d.getUTCSeconds()]}`
      : `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${pad(ms, 3)}000Z` : `${base}Z`;
}

export interface DateTimeFieldOptions extends FieldOptions {
  /** Output: "iso-8601" (default) or a strftime pattern (%Y %m %d %H %M %S ...), in UTC. */
  format?: string;
  /** Accepted input: "iso-8601" and/or strptime patterns (%Y %m %d %H %M %S %f %z). */
  inputFormats?: readonly string[];
}

const ISO_DATETIME = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]";

export class DateTimeField<const O extends DateTimeFieldOptions = DateTimeFieldOptions> extends Field<
  string,
  Date,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "Datetime has wrong format. Use one of these formats instead: {format}.",
      date: "Expected a datetime but got a date.",
      overflow: "Datetime value out of range.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, Date> {
    return v.pipe(
      v.unknown(),
      parseStep((d: unknown) => this.parse(d)),
    );
  }
  private parse(data: unknown): Date {
    if (data instanceof Date) {
      if (Number.isNaN(data.getTime())) this.fail("overflow");
      return data;
    }
    const formats = this.options.inputFormats ?? ["iso-8601"];
    const format = humanizeFormats(formats, ISO_DATETIME);
    if (typeof data !== "string") return this.fail("invalid", { format });
    const text = data.trim();
    for (const f of formats) {
      if (f === "iso-8601") continue;
      const p = strptime(text, f);
      if (p && validDate(p.y, p.mo, p.d) && p.h < 24 && p.mi < 60 && p.s < 60)
        return new Date(
          Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, Math.floor(p.us / 1000)) - (p.tz ?? 0) * 60_000,
        );
    }
    if (!formats.includes("iso-8601")) return this.fail("invalid", { format });
    if (DATE_RE.test(text)) return this.fail("date");
    const m = DATETIME_RE.exec(text);
    if (!m) return this.fail("invalid", { format });
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return this.fail("invalid", { format });
    const ms = Math.floor(Number((m[7] ?? "0").padEnd(6, "0")) / 1000);
    let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const tz = m[8];
    if (tz && tz.toUpperCase() !== "Z") {
      const sign = tz[0] === "-" ? -1 : 1;
      const digits = tz.slice(1).replace(":", "");
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")) * 60_000;
    }
    const out = new Date(t);
    if (Number.isNaN(out.getTime())) this.fail("overflow");
    return out;
  }
  toRepresentation(value: unknown, _c: SerializerContext): string {
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) return String(value);
    const format = this.options.format;
    return format === undefined || format === "iso-8601" ? formatDateTime(d) : strftime(format, d);
  }
  protected override typeSchema(): JsonSchema {
    return { type: "string", format: "date-time" };
  }
}

export interface DateFieldOptions extends FieldOptions {
  /** Output: "iso-8601" (default) or a strftime pattern. */
  format?: string;
  /** Accepted input: "iso-8601" and/or strptime patterns (%Y %m %d). */
  inputFormats?: readonly string[];
}

export class DateField<const O extends DateFieldOptions = DateFieldOptions> extends Field<string, string, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "string" | null {
    const iso = this.options.format === undefined || this.options.format === "iso-8601";
    return iso && this.toRepresentation === DateField.prototype.toRepresentation ? "string" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      invalid: "Date has wrong format. Use one of these formats instead: {format}.",
      datetime: "Expected a date but got a datetime.",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, string> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): string => {
        if (data instanceof Date) return this.fail("datetime");
        const formats = this.options.inputFormats ?? ["iso-8601"];
        const format = humanizeFormats(formats, "YYYY-MM-DD");
        if (typeof data !== "string") return this.fail("invalid", { format });
        for (const f of formats) {
          if (f === "iso-8601") continue;
          const p = strptime(data.trim(), f);
          if (p && validDate(p.y, p.mo, p.d)) return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
        }
        if (!formats.includes("iso-8601")) return this.fail("invalid", { format });
        const m = DATE_RE.exec(data.trim());
        if (!m) return this.fail("invalid", { format });
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (!validDate(y, mo, d)) return this.fail("invalid", { format });
        return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
      }),
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): string {
    const iso = value instanceof Date ? formatDateTime(value).slice(0, 10) : String(value);
    const format = this.options.format;
    if (format === undefined || format === "iso-8601") return iso;
    return strftime(format, new Date(`${iso}T00:00:00Z`));
  }
  protected override typeSchema(): JsonSchema {
    return { type: "string", format: "date" };
  }
}

export class TimeField<const O extends FieldOptions = FieldOptions> extends Field<string, string, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "string" | null {
    return this.toRepresentation === TimeField.prototype.toRepresentation ? "string" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid: "Time has wrong format. Use one of these formats instead: {format}." };
  }
  protected buildSchema(): v.GenericSchema<unknown, string> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): string => {
        const format = "hh:mm[:ss[.uuuuuu]]";
        const m = typeof data === "string" ? TIME_RE.exec(data.trim()) : null;
        if (!m) return this.fail("invalid", { format });
        const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? "0")];
        if (h > 23 || mi > 59 || s > 59) return this.fail("invalid", { format });
        const frac = m[4] ? `.${m[4].padEnd(6, "0")}` : "";
        return `${pad(h)}:${pad(mi)}:${pad(s)}${frac}`;
      }),
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): string {
    return String(value);
  }
  protected override typeSchema(): JsonSchema {
    return { type: "string", format: "time" };
  }
}

const DURATION_RE =
  /^(?:([-+]?\d+(?:\.\d+)?) (?:days?, )?)?([-+]?)(?:(\d+):(?=\d+:\d+))?(?:(\d+):)?(\d+)(?:[.,](\d{1,6})\d*)?$/;
const ISO_DURATION_RE =
  /^([-+]?)P(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/** Django's duration_string: `[D ]HH:MM:SS[.ffffff]` from milliseconds. */
export function formatDuration(ms: number): string {
  const micro = Math.round(ms * 1000);
  const neg = micro < 0;
  let rest = Math.abs(micro);
  // Python's timedelta normalises to negative days and a positive time part
  let days = Math.floor(rest / 86_400_000_000);
  rest -= days * 86_400_000_000;
  if (neg && rest > 0) {
    days += 1;
    rest = 86_400_000_000 - rest;
  }
  const h = Math.floor(rest / 3_600_000_000);
  const m = Math.floor((rest % 3_600_000_000) / 60_000_000);
  const s = Math.floor((rest % 60_000_000) / 1_000_000);
  const us = rest % 1_000_000;
  let out = `${pad(h)}:${pad(m)}:${pad(s)}`;
  if (us) out += `.${pad(us, 6)}`;
  if (days) out = `${neg ? -days : days} ${out}`;
  return out;
}

export class DurationField<const O extends FieldOptions = FieldOptions> extends Field<string, number, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid: "Duration has wrong format. Use one of these formats instead: {format}." };
  }
  protected buildSchema(): v.GenericSchema<unknown, number> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): number => {
        const ms = typeof data === "string" ? parseDuration(data.trim()) : null;
        if (ms === null) return this.fail("invalid", { format: "[DD] [HH:[MM:]]ss[.uuuuuu]" });
        return ms;
      }),
    );
  }
  toRepresentation(value: unknown, _c: SerializerContext): string {
    return formatDuration(Number(value));
  }
  protected override typeSchema(): JsonSchema {
    return { type: "string", format: "duration" };
  }
}

/** Django's parse_duration (standard and ISO 8601 formats) → milliseconds, or null. */
export function parseDuration(text: string): number | null {
  let m = DURATION_RE.exec(text);
  if (m) {
    const days = Number(m[1] ?? "0");
    const sign = m[2] === "-" ? -1 : 1;
    const micro = Number((m[6] ?? "0").padEnd(6, "0"));
    const time = Number(m[3] ?? "0") * 3600 + Number(m[4] ?? "0") * 60 + Number(m[5]) + micro / 1e6;
    return (days * 86400 + sign * time) * 1000;
  }
  m = ISO_DURATION_RE.exec(text);
  if (m && text.length > 1 && !/T$/i.test(text)) {
    const n = (x: string | undefined) => Number((x ?? "0").replace(",", "."));
    const sign = m[1] === "-" ? -1 : 1;
    return sign * (n(m[2]) * 86400 + n(m[3]) * 3600 + n(m[4]) * 60 + n(m[5])) * 1000;
  }
  return null;
}
