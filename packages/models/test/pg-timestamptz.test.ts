// PostgreSQL timestamptz text (the session runs with timezone=UTC) is read by position when it has
// the shape the server writes; the values must be the same Dates pg's own parser makes.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { readTimestamptz } from "../src/db/postgres-database.js";

const pgParser = pg.types.getTypeParser(1184, "text") as (v: string) => unknown;

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  return Object.is(a, b);
}

describe("timestamptz reader", () => {
  it("gives the same value as pg's parser for the server's shapes and everything else", () => {
    const cases = [
      "2026-11-27 16:01:02+00",
      "2026-11-27 16:01:02.1+00",
      "2026-11-27 16:01:02.12+00",
      "2026-11-27 16:01:02.123456+00",
      "2026-11-27 16:01:02.999999+00",
      "1970-01-01 00:00:00+00",
      "1969-12-31 23:59:59.999999+00",
      "0099-01-01 00:00:00+00",
      "0100-03-01 12:00:00.5+00",
      "2026-11-27 16:01:02-05",
      "2026-11-27 16:01:02.5+05:30",
      "2026-11-27 16:01:02+00 BC",
      "0001-01-01 00:00:00+00 BC",
      "12026-11-27 16:01:02+00",
      "2026-02-30 10:00:00+00",
      "2026-11-27 16:01:02.+00",
      "2026-11-27 16:01:0x+00",
      "2026-11-27T16:01:02+00",
      "infinity",
      "-infinity",
    ];
    for (const c of cases) expect(same(readTimestamptz(c), pgParser(c)), c).toBe(true);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20000; i++) {
      const iso = new Date(Math.floor(random() * 5e12) - 1e12).toISOString();
      const fraction = String(Math.floor(random() * 1e6))
        .padStart(6, "0")
        .slice(0, 1 + Math.floor(random() * 6))
        .replace(/0+$/, "");
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}+00`;
      expect(same(readTimestamptz(text), pgParser(text)), text).toBe(true);
    }
  });
});
