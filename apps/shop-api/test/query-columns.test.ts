// Lists fetch the columns they render (the serializers' queryPlan().only); a detail's object
// and a write's load whole rows.
import { captureQueries } from "@x/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestShop, type TestShop, tokenClient } from "./setup.js";

let t: TestShop;
beforeAll(async () => {
  t = await createTestShop();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** The SELECT of the products table (the page, or the object a detail loads). */
async function productSelect(path: string): Promise<string> {
  const { result, queries } = await captureQueries(() => t.client().get(path));
  expect(result.status, result.text).toBe(200);
  const select = queries.map((q) => q.sql).find((sql) => /^SELECT .* FROM "products_product" /.test(sql));
  expect(select).toBeDefined();
  return select!;
}

describe("columns read by lists and details", () => {
  it("the product lists read neither cost, description, metadata nor the soft-delete columns", async () => {
    for (const path of ["/api/v1/products/", "/api/v2/products/"]) {
      const sql = await productSelect(path);
      for (const column of ["cost", "description", "metadata", "created_by_id", "deleted_at"])
        expect(sql, path).not.toContain(`"${column}"`);
      expect(sql, path).toContain('"stock"'); // is_in_stock reads it (requires)
    }
  });

  it("a detail loads its object whole (object permissions may read any column)", async () => {
    const sql = await productSelect("/api/v1/products/37/");
    expect(sql).toContain('"cost"');
  });

  it("a detail's reviews read the columns ReviewSerializer renders and, of the author, the username", async () => {
    // A signed-in client: anonymous details may come from the product cache (no query at all).
    const admin = await tokenClient(t, "admin");
    const { result, queries } = await captureQueries(() => admin.get("/api/v1/products/37/"));
    expect(result.status, result.text).toBe(200);
    const reviews = queries.map((q) => q.sql).find((sql) => /FROM "products_review" /.test(sql));
    expect(reviews).toBeDefined();
    expect(reviews).toContain('"username"');
    for (const column of ["password", "email", "last_login", "is_superuser", "date_joined"])
      expect(reviews).not.toContain(`"${column}"`);
    const body = result.data as { reviews: { user: string; rating: number }[] };
    expect(body.reviews.length).toBeGreaterThan(1);
    expect(body.reviews.every((r) => typeof r.user === "string" && r.user.length > 0)).toBe(true);
  });

  it("an update loads the whole row, so updated_at still moves", async () => {
    const admin = await tokenClient(t, "admin");
    const before = (await admin.get("/api/v1/products/37/")).data as { updated_at: string };
    const res = await admin.patch("/api/v1/products/37/", { stock: 7 });
    expect(res.status, res.text).toBe(200);
    const after = (await admin.get("/api/v1/products/37/")).data as { updated_at: string; stock: number };
    expect(after.stock).toBe(7);
    expect(after.updated_at > before.updated_at).toBe(true);
  });
});
