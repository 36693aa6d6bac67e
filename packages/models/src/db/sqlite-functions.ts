// JavaScript functions registered on every SQLite connection so lookups behave
// as on PostgreSQL: Unicode case folding, regex, case-sensitive suffix match, JSON containment.
import type BetterSqlite3 from "better-sqlite3";

function jsonContains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(needle)) {
    if (!Array.isArray(haystack)) return false;
    return needle.every((n) => haystack.some((h) => jsonContains(h, n)));
  }
  if (needle !== null && typeof needle === "object") {
    if (haystack === null || typeof haystack !== "object" || Array.isArray(haystack)) return false;
    const h = haystack as Record<string, unknown>;
    return Object.entries(needle as Record<string, unknown>).every(
      ([k, v]) => k in h && jsonContains(h[k], v),
    );
  }
  return haystack === needle;
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

export function registerSqliteFunctions(db: BetterSqlite3.Database): void {
  const opts = { deterministic: true };
  db.function("x_lower", opts, (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v) as never);
  db.function("x_upper", opts, (v: unknown) => (typeof v === "string" ? v.toUpperCase() : v) as never);
  db.function("x_endswith", opts, (v: unknown, s: unknown) =>
    typeof v === "string" && typeof s === "string" ? (v.endsWith(s) ? 1 : 0) : null,
  );
  db.function("x_regexp", opts, (v: unknown, p: unknown) =>
    typeof v === "string" && typeof p === "string" ? (regex(p, "u").test(v) ? 1 : 0) : null,
  );
  db.function("x_iregexp", opts, (v: unknown, p: unknown) =>
    typeof v === "string" && typeof p === "string" ? (regex(p, "iu").test(v) ? 1 : 0) : null,
  );
  db.function("x_json_contains", opts, (h: unknown, n: unknown) => {
    if (typeof h !== "string" || typeof n !== "string") return null;
    return jsonContains(JSON.parse(h), JSON.parse(n)) ? 1 : 0;
  });
}
