import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestShop, type TestShop } from "./setup.js";

let t: TestShop;
beforeAll(async () => {
  t = await createTestShop();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("shop-api on the demo fixture", () => {
  it("answers the API root with absolute list URLs", async () => {
    const res = await t.client().get("/api/v1/");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      categories: "http://testserver/api/v1/categories/",
      products: "http://testserver/api/v1/products/",
      reviews: "http://testserver/api/v1/reviews/",
      orders: "http://testserver/api/v1/orders/",
      users: "http://testserver/api/v1/users/",
    });
  });

  it("lists products newest first, 20 a page", async () => {
    const res = await t.client().get("/api/v1/products/");
    expect(res.status).toBe(200);
    const body = res.data as { count: number; results: { id: number }[] };
    expect(body.count).toBe(487);
    expect(body.results).toHaveLength(20);
    expect(body.results[0]?.id).toBe(500);
  });

  it("routes on Hono's RegExpRouter (no route pattern sends the app to its slower TrieRouter)", async () => {
    // A literal segment beside a parameter (`/api/docs/` beside `/api/:version/`) would.
    expect((await t.client().get("/api/v1/products/featured/")).status).toBe(200);
    expect(t.shop.app.router.name).toBe("SmartRouter + RegExpRouter");
  });
});
