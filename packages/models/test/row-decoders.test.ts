// The per-column decoders of the row reader must convert exactly as fromDb() does, value for value.
import { describe, expect, it } from "vitest";
import { fromDb, type StorageKind } from "../src/index.js";
import { decoderFor } from "../src/query/rows.js";

const samples: Record<string, unknown[]> = {
  decimal: [
    null,
    undefined,
    0,
    5,
    -5,
    61658,
    -1,
    1234567890123,
    2.5,
    10n,
    "12.50",
    "0.50",
    "-0.50",
    "-0.00",
    "0",
    "-0",
    "007.50",
    "12.5",
    "12.500",
    "1e2",
    "-12.345",
    "99999999.99",
  ],
  boolean: [null, 0, 1, 1n, 0n, true, false, "t"],
  datetime: [
    null,
    "2026-01-02T03:04:05.678Z",
    new Date(0),
    // read by position when shaped as toISOString(); anything else through the date parser
    "1969-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59.999Z",
    "0100-01-01T00:00:00.000Z",
    "0099-12-31T23:59:59.999Z",
    "2024-02-29T12:00:00.000Z",
    "2026-02-31T00:00:00.000Z",
    "2026-01-01T24:00:00.000Z",
    "2026-01-02 03:04:05",
    "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05.678+02:00",
    "+012026-01-02T03:04:05.678Z",
  ],
  json: [null, '{"a":1}', "[1,2]", '"x"', { a: 1 }, [1]],
  array: [null, '["a","b"]', "[]", ["a"]],
  integer: [null, 0, 7, -7, 7n, "42"],
  auto: [null, 1, 2n, "3"],
  string: [null, undefined, "", "x"],
  relation: [null, undefined, 1, "a"],
  float: [null, 1.5, "2.5"],
  duration: [null, 1500, "2000"],
  uuid: [null, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"],
  date: [null, "2026-01-02"],
  time: [null, "12:34:56"],
};

describe("row decoders match fromDb()", () => {
  for (const vendor of ["sqlite", "postgresql"] as const) {
    for (const [storage, values] of Object.entries(samples)) {
      for (const places of storage === "decimal" ? [0, 2, 3] : [undefined]) {
        it(`${vendor} ${storage}${places === undefined ? "" : ` (${places} places)`}`, () => {
          const field = {
            storage: storage as StorageKind,
            decimalPlaces: places,
            name: "f",
            baseField: undefined,
          };
          const decode = decoderFor(field, vendor);
          for (const raw of values) {
            let expected: unknown;
            let error: unknown;
            try {
              expected = fromDb(field, raw, vendor);
            } catch (err) {
              error = err;
            }
            if (error) expect(() => decode(raw)).toThrow();
            else expect([raw, decode(raw)]).toEqual([raw, expected]);
          }
        });
      }
    }
  }
});
