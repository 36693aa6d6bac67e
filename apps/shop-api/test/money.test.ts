// Money is exact: unit prices after discounts (half-up to cents), subtotals and
// totals never pass through binary floating point.
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestShop, type TestShop, tokenClient } from "./setup.js";

let t: TestShop;
let manager: APIClient;
let customer: APIClient;
beforeAll(async () => {
  t = await createTestShop();
  manager = await tokenClient(t, "manager");
  customer = await tokenClient(t, "margaret16");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function product(slug: string, price: string, discount: number): Promise<number> {
  const res = await manager.post("/api/v1/products/", {
    name: `Money ${slug}`,
    slug,
    price,
    cost: "0.00",
    discount_percentage: discount,
    stock: 100,
    category: "books",
  });
  expect(res.status, res.text).toBe(201);
  return (res.data as { id: number }).id;
}

describe("exact money", () => {
  it("prices, subtotals and totals where floats would be wrong", async () => {
    // 0.1 * 3 = 0.30000000000000004 and 1.15 * 0.5 = 0.57499999999999995559 as floats.
    const cases = [
      { slug: "dime", price: "0.10", discount: 0, quantity: 3, unit: "0.10", subtotal: "0.30" },
      { slug: "two-dimes", price: "0.20", discount: 0, quantity: 1, unit: "0.20", subtotal: "0.20" },
      { slug: "third-off", price: "19.99", discount: 33, quantity: 3, unit: "13.39", subtotal: "40.17" },
      { slug: "half-up", price: "1.15", discount: 50, quantity: 7, unit: "0.58", subtotal: "4.06" },
      { slug: "half-up-2", price: "10.05", discount: 50, quantity: 1, unit: "5.03", subtotal: "5.03" },
      {
        slug: "big",
        price: "999999.99",
        discount: 1,
        quantity: 100,
        unit: "989999.99",
        subtotal: "98999999.00",
      },
    ];
    const items = [];
    for (const c of cases)
      items.push({ product: await product(c.slug, c.price, c.discount), quantity: c.quantity });
    const res = await customer.post("/api/v1/orders/", { items });
    expect(res.status, res.text).toBe(201);
    const order = res.data as { items: { price: string; subtotal: string }[]; total_amount: string };
    expect(order.items.map((i) => [i.price, i.subtotal])).toEqual(cases.map((c) => [c.unit, c.subtotal]));
    // 0.30 + 0.20 + 40.17 + 4.06 + 5.03 + 98999999.00
    expect(order.total_amount).toBe("99000048.76");
  });

  it("price limits are checked exactly, not as floats", async () => {
    const over = await manager.post("/api/v1/products/", {
      name: "Too dear",
      slug: "too-dear",
      price: "1000000.01",
      cost: "0.00",
      category: "books",
    });
    expect(over.status).toBe(400);
    expect(over.data).toEqual({ price: ["Price too high"] });
    const digits = await manager.post("/api/v1/products/", {
      name: "Too precise",
      slug: "too-precise",
      price: "0.001",
      cost: "0.00",
      category: "books",
    });
    expect(digits.status).toBe(400);
    expect(digits.data).toEqual({ price: ["Ensure that there are no more than 2 decimal places."] });
  });
});
