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
});
