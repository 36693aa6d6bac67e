import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BooleanField,
  CharField,
  captureQueries,
  createTestDatabase,
  DateTimeField,
  DecimalField,
  defineModel,
  F,
  IntegerField,
  Q,
  type TestDatabase,
} from "../src/index.js";

const Item = defineModel("basics.Item", {
  fields: {
    name: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
    active: BooleanField({ default: true }),
    seen_at: DateTimeField({ null: true }),
  },
  meta: { ordering: ["name"] },
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Item] });
});
beforeEach(async () => {
  await tdb.reset();
});
afterAll(async () => {
  await tdb.close();
});

describe("vertical slice", () => {
  it("creates, filters and gets", async () => {
    const a = await Item.objects.create({ name: "Apple", price: "1.5" });
    expect(a.id).toBe(1);
    expect(a.price).toBe("1.5");
    await Item.objects.create({ name: "Banana", price: "0.25", stock: 3 });
    const rows = await Item.objects.filter({ price__gte: "0.30" });
    expect(rows.map((r) => r.name)).toEqual(["Apple"]);
    expect(rows[0]!.price).toBe("1.50");
    expect(rows[0]!.active).toBe(true);
    const b = await Item.objects.get({ name: "Banana" });
    expect(b.stock).toBe(3);
    expect(await Item.objects.count()).toBe(2);
    expect(await Item.objects.filter(Q({ stock: 0 }).or({ name__startswith: "B" })).count()).toBe(2);
    const n = await Item.objects.filter({ name: "Banana" }).update({ stock: F("stock").sub(1) });
    expect(n).toBe(1);
    await b.refreshFromDb();
    expect(b.stock).toBe(2);
    const { queries } = await captureQueries(() => Item.objects.all());
    expect(queries).toHaveLength(1);
    const agg = await Item.objects.aggregate({});
    expect(agg).toEqual({});
  });
});
