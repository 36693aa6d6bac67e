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
