// The cursor on the wire: base64 of a query string, as DRF's (`r=1` reverse,
// `p` the position) — here the position is the JSON array of the page edge's
// values for every ordering field, so no offset is ever needed.

export type PositionValue = string | number | boolean | null | Date;

export interface Cursor {
  reverse: boolean;
  position: PositionValue[] | null;
}

const MAX_CURSOR_LENGTH = 4096;

function encodeValue(v: PositionValue): unknown {
  return v instanceof Date ? { d: v.toISOString() } : v;
}

function decodeValue(v: unknown): PositionValue | undefined {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1) {
    const iso: unknown = Reflect.get(v, "d");
    if (typeof iso !== "string") return undefined;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

export function encodeCursor(cursor: Cursor): string {
  const tokens = new URLSearchParams();
  if (cursor.reverse) tokens.set("r", "1");
  if (cursor.position !== null) tokens.set("p", JSON.stringify(cursor.position.map(encodeValue)));
  return Buffer.from(tokens.toString(), "utf8").toString("base64");
}

/** The cursor, or null when `raw` is not one of ours (the caller answers 404). */
export function decodeCursor(raw: string, fields: number): Cursor | null {
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return null;
  const tokens = new URLSearchParams(Buffer.from(raw, "base64").toString("utf8"));
  // Every cursor we hand out has a position; anything else is not ours.
  if ([...tokens.keys()].some((k) => k !== "r" && k !== "p")) return null;
  const r = tokens.get("r") ?? "0";
  if (r !== "0" && r !== "1") return null;
  const p = tokens.get("p");
  if (p === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(p);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== fields) return null;
  const position: PositionValue[] = [];
  for (const item of parsed) {
    const value = decodeValue(item);
    if (value === undefined) return null;
    position.push(value);
  }
  return { reverse: r === "1", position };
}
