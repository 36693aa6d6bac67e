import { messages } from "../messages.js";
import { convertingSchema } from "./parse.js";

/** Python's uuid.UUID(): hex with or without hyphens, braces or a urn:uuid: prefix → canonical form. */
export function canonicalUuid(text: string): string | null {
  const hex = text
    .replace(/^urn:uuid:/i, "")
    .replace(/^\{|\}$/g, "")
    .replaceAll("-", "")
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidValue = convertingSchema(messages.invalidUuid, (text) =>
  text === "" ? undefined : canonicalUuid(text),
);
