// N+1-free by construction: every list and detail endpoint runs the same number
// of queries for a few rows as for many (a detail with one related row as with several).
import { captureQueries } from "@x/models";
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestShop, type TestShop, tokenClient } from "./setup.js";

let t: TestShop;
let admin: APIClient;
beforeAll(async () => {
  t = await createTestShop();
  admin = await tokenClient(t, "admin");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function queriesFor(client: APIClient, path: string): Promise<number> {
  const { result, queries } = await captureQueries(() => client.get(path));
  expect(result.status, `${path}: ${result.text}`).toBe(200);
  return queries.length;
}

describe("query counts do not grow with the data", () => {
  const lists = [
    "/api/v1/products/",
    "/api/v2/products/",
    "/api/v1/categories/electronics/products/",
    "/api/v2/categories/electronics/products/",
    "/api/v1/reviews/",
    "/api/v1/categories/",
  ];
  for (const path of lists) {
    // Both pages are full, so both need the COUNT (a short first page skips it).
    it(`${path}: 2 rows vs 10 rows`, async () => {
      const two = await queriesFor(admin, `${path}?page_size=2`);
      const ten = await queriesFor(admin, `${path}?page_size=10`);
      expect(ten).toBe(two);
      expect(two).toBeLessThanOrEqual(6);
    });
  }

  it("orders (cursor pages of 20) vs one user's few orders", async () => {
    const all = await queriesFor(admin, "/api/v1/orders/");
    const customer = await tokenClient(t, "margaret16");
    const own = await queriesFor(customer, "/api/v1/orders/");
    expect(all).toBe(own);
  });

  it("product detail with one review vs with several", async () => {
    const one = await queriesFor(admin, "/api/v1/products/132/");
    const several = await queriesFor(admin, "/api/v1/products/37/");
    expect(several).toBe(one);
    expect(one).toBeLessThanOrEqual(6);
  });

  it("a product detail runs what a hand-written one does: the product with its category, the reviews with their authors", async () => {
    // anonymous and uncached (first request of this product): two queries; a token user adds the token lookup and the favorite check
    expect(await queriesFor(t.client(), "/api/v1/products/38/")).toBe(2);
    expect(await queriesFor(admin, "/api/v1/products/38/")).toBe(4);
  });

  it("featured list and product reviews", async () => {
    const featured = await queriesFor(t.client(), "/api/v1/products/featured/");
    expect(featured).toBeLessThanOrEqual(4);
    const few = await queriesFor(t.client(), "/api/v1/products/24/reviews/");
    const many = await queriesFor(t.client(), "/api/v1/products/37/reviews/");
    expect(many).toBe(few);
  });
});

describe("placing an order", () => {
  it("runs a fixed set of statements whatever the number of lines, and reads nothing back", async () => {
    const place = async (items: { product: number; quantity: number }[]) => {
      const { result, queries } = await captureQueries(() => admin.post("/api/v1/orders/", { items }));
      expect(result.status, result.text).toBe(201);
      const body = result.data as { items: { product: number; product_name: string }[]; user: string };
      expect(body.user).toBe("admin");
      expect(body.items.map((i) => i.product)).toEqual(items.map((i) => i.product));
      expect(body.items.every((i) => i.product_name.length > 0)).toBe(true);
      return queries.map((q) => q.sql.split(" ")[0]);
    };
    const one = await place([{ product: 7, quantity: 1 }]);
    const three = await place([
      { product: 7, quantity: 1 },
      { product: 8, quantity: 2 },
      { product: 9, quantity: 1 },
    ]);
    // Token lookup, the products (one query for all lines), then in one transaction a
    // conditional stock UPDATE per line, the order, its items (one INSERT): no SELECT after.
    expect(one.filter((s) => s === "SELECT")).toEqual(three.filter((s) => s === "SELECT"));
    expect(one.slice(one.lastIndexOf("COMMIT") + 1)).toEqual([]);
    expect(three.filter((s) => s === "UPDATE")).toHaveLength(3);
    expect(three.filter((s) => s === "INSERT")).toHaveLength(2);
  });
});
