// save() of an instance loaded with only()/defer(): unloaded columns are left alone,
// columns assigned after loading are written (Django saves every loaded or assigned field).
import { describe, expect, it } from "vitest";
import { captureQueries } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Category, Product } from "./support/shop.js";

useTestDatabase(allModels);

async function phone() {
  const phones = await Category.objects.create({ name: "Phones" });
  return Product.objects.create({
    name: "Phone",
    slug: "phone",
    price: "199.99",
    stock: 5,
    category: phones,
  });
}

describe("save() after only()", () => {
  it("writes a deferred column once it is assigned", async () => {
    const created = await phone();
    const partial = await Product.objects.only("id", "name").get({ pk: created.pk });
    partial.price = "149.50";
    partial.name = "Phone 2";
    await partial.save();
    const row = await Product.objects.get({ pk: created.pk });
    expect(row.price).toBe("149.50");
    expect(row.name).toBe("Phone 2");
    expect(row.stock).toBe(5);
  });

  it("leaves columns that were neither loaded nor assigned out of the UPDATE", async () => {
    const created = await phone();
    const partial = await Product.objects.only("id", "name").get({ pk: created.pk });
    partial.name = "Renamed";
    const { queries } = await captureQueries(() => partial.save());
    const update = queries.find((q) => /^UPDATE/i.test(q.sql));
    expect(update?.sql).toMatch(/"name"/);
    expect(update?.sql).not.toMatch(/"price"|"stock"/);
    const row = await Product.objects.get({ pk: created.pk });
    expect([row.name, row.price, row.stock]).toEqual(["Renamed", "199.99", 5]);
  });

  it("rows of one query keep their own deferred fields: saving or refreshing one leaves the others deferred", async () => {
    const created = await phone();
    await Product.objects.create({
      name: "Tablet",
      slug: "tablet",
      price: "299.99",
      stock: 3,
      category_id: created.category_id,
    });
    const [a, b] = await Product.objects.only("id", "name").orderBy("name");
    a!.price = "180.00";
    await a!.save();
    await a!.refreshFromDb();
    b!.name = "Tablet 2";
    const { queries } = await captureQueries(() => b!.save());
    const update = queries.find((q) => /^UPDATE/i.test(q.sql));
    expect(update?.sql).toMatch(/"name"/);
    expect(update?.sql).not.toMatch(/"price"|"stock"/);
    const rows = await Product.objects.orderBy("name");
    expect(rows.map((r) => [r.name, r.price, r.stock])).toEqual([
      ["Phone", "180.00", 5],
      ["Tablet 2", "299.99", 3],
    ]);
  });
});
