import { messages } from "../messages.js";
import { convertingSchema } from "./parse.js";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/;

/**
 * Django's default DATE_INPUT_FORMATS that matter on the wire: %Y-%m-%d, %m/%d/%Y and %m/%d/%y
 * (two-digit years 69–99 → 19xx, 00–68 → 20xx, as strptime). Returns "YYYY-MM-DD" or null.
 */
export function parseDate(text: string): string | null {
  let year: number;
  let month: number;
  let day: number;
  const iso = ISO.exec(text);
  const us = iso ? null : US.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (us) {
    const y = us[3]!;
    year = y.length === 2 ? (Number(y) >= 69 ? 1900 : 2000) + Number(y) : Number(y);
    [month, day] = [Number(us[1]), Number(us[2])];
  } else {
    return null;
  }
  return isRealDate(year, month, day) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : null;
}

export const dateValue = convertingSchema(messages.invalidDate, (text) =>
  text === "" ? undefined : parseDate(text),
);
