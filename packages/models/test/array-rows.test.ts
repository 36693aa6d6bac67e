// Rows as arrays (what compiled queries ask for): values parsed by column type, columns by
// position (duplicate names kept), errors as they are, inside and outside a transaction.
import { describe, expect, it } from "vitest";
import { atomic, IntegrityError } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Customer } from "./support/shop.js";

const tdb = useTestDatabase(allModels);

describe("array rows", () => {
  it("keep duplicate column names by position, in and outside a transaction", async () => {
    const db = tdb.current.db;
    const outside = await db.execute("SELECT 1 AS a, 'x' AS a", [], { arrayMode: true });
    expect(outside.rows).toEqual([[1, "x"]]);
    const inside = await atomic(() => db.execute("SELECT 2 AS a, 'y' AS a", [], { arrayMode: true }));
    expect(inside.rows).toEqual([[2, "y"]]);
  });

  it("parse values by column type, many rows, and fail with the statement's error", async () => {
    const db = tdb.current.db;
    if (db.vendor === "postgresql") {
      const sql =
        "SELECT CAST('2026-11-27 16:01:02.5+00' AS timestamptz) AS t, CAST(5 AS bigint) AS n, CAST('2026-11-27' AS date) AS d, CAST('1.50' AS numeric(10,2)) AS p, true AS b";
      for (const run of [
        () => db.execute(sql, [], { arrayMode: true }),
        () => atomic(() => db.execute(sql, [], { arrayMode: true })),
      ]) {
        const { rows } = await run();
        expect(rows).toEqual([
          [new Date(Date.UTC(2026, 10, 27, 16, 1, 2, 500)), 5, "2026-11-27", "1.50", true],
        ]);
      }
      const series = await atomic(() => db.execute("SELECT generate_series(1, 3)", [], { arrayMode: true }));
      expect(series.rows).toEqual([[1], [2], [3]]);
      expect(series.rowCount).toBe(3);
    }
    await expect(
      db.execute("SELECT no_such_column FROM no_such_table", [], { arrayMode: true }),
    ).rejects.toThrow(/no_such/);
    await Customer.objects.create({ username: "taken" });
    await expect(
      atomic(async () => {
        await Customer.objects.filter({ username: "taken" }).count();
        await Customer.objects.create({ username: "taken" });
      }),
    ).rejects.toBeInstanceOf(IntegrityError);
    expect(await Customer.objects.values("username")).toEqual([{ username: "taken" }]);
  });
});
