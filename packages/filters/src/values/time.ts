import { messages } from "../messages.js";
import { convertingSchema } from "./parse.js";

const TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?$/;

/** Django's TIME_INPUT_FORMATS (%H:%M:%S, %H:%M:%S.%f, %H:%M) → "HH:MM:SS[.ffffff]" or null. */
export function parseTime(text: string): string | null {
  const match = TIME.exec(text);
  if (!match) return null;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? "0")];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const base = [hour, minute, second].map((n) => String(n).padStart(2, "0")).join(":");
  return match[4] ? `${base}.${match[4].padEnd(6, "0")}` : base;
}

export const timeValue = convertingSchema(messages.invalidTime, (text) =>
  text === "" ? undefined : parseTime(text),
);
