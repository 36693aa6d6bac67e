// Cached product pages (SHOP_CACHE_PRODUCTS, on by default): every list and
// detail variant of the contract is byte-identical to the uncached answer,
// a hit runs no SQL, 304s come from the cache, and every write that changes
// what a page shows (product save, order placed/cancelled, review written,
// category renamed, reviewer renamed) is visible on the very next read.
import { captureQueries } from "@x/models";
import type { APIClient, TestResponse } from "@x/views";
import { APIClient as Client } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { readConfig } from "../src/settings/env.js";
import { createTestShop, type TestShop, tokenClient } from "./setup.js";

let t: TestShop;
let cached: APIClient;
let uncached: APIClient;
beforeAll(async () => {
  t = await createTestShop();
  cached = t.client();
  // The same database and cache, with product caching switched off.
  const plain = createApp(
    readConfig({
      APP_ENV: "testing",
      SECRET_KEY: "test-secret-key-that-is-long-enough-for-hs256",
      THROTTLE_ANON: "100000/hour",
      SHOP_CACHE_PRODUCTS: "0",
    }),
    { connectDatabase: false },
  );
  uncached = new Client(plain.app);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/**
 * The response as a client sees it: status, every header (but the per-request id), the exact
 * bytes. Over HTTP every body has its Content-Length: a cached page carries the stored one, a
 * fresh response gets it from the server as it is written.
 */
const wire = (res: TestResponse, head = false) => {
  const headers = [...res.headers].filter(([name]) => name !== "x-request-id");
  if (!head && !res.headers.has("content-length") && res.status !== 304)
    headers.push(["content-length", String(Buffer.byteLength(res.text))]);
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { status: res.status, headers, text: res.text };
};

/** A v2 list page that shows product `pk` (searched by its name). */
async function listShowing(pk: number): Promise<string> {
  const { name } = (await uncached.get(`/api/v1/products/${pk}/`)).data as { name: string };
  return `/api/v2/products/?search=${encodeURIComponent(name)}`;
}

// Every anonymous product list and detail GET of the contract (test/contract/examples.json), on both versions.
const contractPaths = [
  "/products/1/",
  "/products/132/",
  "/products/24/",
  "/products/37/",
  "/products/?category=books&ordering=stock&page_size=100",
  "/products/?category=books&page_size=100",
  "/products/?in_stock=false&page_size=100",
  "/products/?is_featured=yes&page_size=2",
  "/products/?ordering=description&page_size=5",
  "/products/?ordering=price&page_size=10",
  "/products/?page=3&page_size=7",
  "/products/?page=999",
  "/products/?page_size=100&search=smart%20speaker",
  "/products/featured/",
  "/products/",
  "/products/?page_size=7&page=3", // the same page, parameters in another order: its links differ
  "/products/52/", // soft-deleted: 404, never stored
];
const paths = contractPaths.flatMap((p) => [`/api/v1${p}`, `/api/v2${p}`]);

describe("cached product pages are the uncached ones, byte for byte", () => {
  it.each(paths)("GET %s", async (path) => {
    const reference = await uncached.get(path);
    const miss = await cached.get(path);
    const hit = await captureQueries(() => cached.get(path));
    expect(wire(miss)).toEqual(wire(reference));
    expect(wire(hit.result)).toEqual(wire(reference));
    if (reference.status === 200) {
      expect(hit.count).toBe(0);
      expect(reference.headers.get("etag")).toMatch(/^"[\w-]{27}"$/);
    } else {
      expect(hit.count).toBeGreaterThan(0);
    }
  });

  it.each(["/api/v1/products/?page_size=3", "/api/v2/products/24/", "/api/v1/products/featured/"])(
    "GET %s as text/html (the browsable API) and ?format=json",
    async (path) => {
      for (const options of [{ headers: { Accept: "text/html" } }, { query: { format: "json" } }]) {
        const reference = await uncached.get(path, options);
        await cached.get(path, options);
        expect(wire(await cached.get(path, options))).toEqual(wire(reference));
      }
    },
  );

  it.each(["/api/v1/products/?page_size=3", "/api/v2/products/24/"])(
    "HEAD %s, before and after a GET",
    async (path) => {
      const reference = await uncached.head(path);
      const got = await uncached.get(path);
      expect(reference.headers.get("etag")).toBe(got.headers.get("etag"));
      // The GET's length, no body (as Django answers a HEAD).
      expect(reference.headers.get("content-length")).toBe(String(Buffer.byteLength(got.text)));
      expect(reference.text).toBe("");
      expect(wire(await cached.head(path), true)).toEqual(wire(reference, true)); // a miss (HEAD is never stored)
      await cached.get(path);
      expect(wire(await cached.head(path), true)).toEqual(wire(reference, true)); // served from the GET's copy
    },
  );

  it("answers If-None-Match with 304 from the cache, with the uncached path's headers", async () => {
    const path = "/api/v2/products/?page_size=5";
    const first = await cached.get(path);
    const etag = first.headers.get("etag")!;
    const conditional = { headers: { "If-None-Match": etag } };
    const fromCache = await captureQueries(() => cached.get(path, conditional));
    expect(fromCache.count).toBe(0);
    const computed = await uncached.get(path, conditional);
    expect(wire(fromCache.result)).toEqual(wire(computed));
    expect(fromCache.result.status).toBe(304);
    expect(fromCache.result.headers.get("etag")).toBe(etag);
  });

  it("does not cache authenticated reads (is_favorited is per user)", async () => {
    const customer = await tokenClient(t, "margaret16");
    await customer.post("/api/v1/products/24/favorite/");
    const mine = await captureQueries(() => customer.get("/api/v1/products/24/"));
    expect(mine.count).toBeGreaterThan(0);
    expect(mine.result.data.is_favorited).toBe(true);
    expect((await cached.get("/api/v1/products/24/")).data.is_favorited).toBe(false);
  });

  it("keeps the config switch strict", () => {
    expect(readConfig({ SHOP_CACHE_PRODUCTS: "off" }).cacheProducts).toBe(false);
    expect(readConfig({}).cacheProducts).toBe(true);
    expect(() => readConfig({ SHOP_CACHE_PRODUCTS: "maybe" })).toThrow(/SHOP_CACHE_PRODUCTS="maybe"/);
  });
});

describe("a write is visible on the next read", () => {
  /** Warms the cache for `paths`, runs `write`, then checks each page equals the uncached answer. */
  async function expectFreshAfter(paths: readonly string[], write: () => Promise<unknown>) {
    const before = [];
    for (const path of paths) {
      await cached.get(path);
      before.push((await cached.get(path)).text);
    }
    await write();
    for (const [i, path] of paths.entries()) {
      const after = await cached.get(path);
      expect(after.text, path).toBe((await uncached.get(path)).text);
      expect(after.text, `${path} did not change`).not.toBe(before[i]);
    }
  }

  it("a product PATCH", async () => {
    const admin = await tokenClient(t, "admin");
    await expectFreshAfter([await listShowing(1), "/api/v1/products/1/"], async () => {
      expect((await admin.patch("/api/v1/products/1/", { stock: 4321 })).status).toBe(200);
    });
    expect((await cached.get("/api/v1/products/1/")).data.stock).toBe(4321);
  });

  it("an order (stock and is_in_stock move by QuerySet.update), and its cancellation", async () => {
    const customer = await tokenClient(t, "margaret16");
    const stock = (await uncached.get("/api/v1/products/37/")).data.stock as number;
    let order = 0;
    await expectFreshAfter([await listShowing(37), "/api/v1/products/37/"], async () => {
      const res = await customer.post("/api/v1/orders/", { items: [{ product: 37, quantity: stock }] });
      expect(res.status).toBe(201);
      order = res.data.id;
    });
    const sold = (await cached.get("/api/v1/products/37/")).data;
    expect(sold).toMatchObject({ stock: 0, is_in_stock: false });
    await expectFreshAfter(
      ["/api/v1/products/37/", "/api/v1/products/?in_stock=false&page_size=100"],
      async () => {
        expect((await customer.post(`/api/v1/orders/${order}/cancel/`)).status).toBe(200);
      },
    );
    expect((await cached.get("/api/v1/products/37/")).data.stock).toBe(stock);
  });

  it("a review (the detail's reviews and average rating, the v2 list's rating summary)", async () => {
    const customer = await tokenClient(t, "guido5");
    await expectFreshAfter(["/api/v1/products/24/", await listShowing(24)], async () => {
      const res = await customer.post("/api/v1/products/24/add-review/", { rating: 1, comment: "meh" });
      expect(res.status).toBe(201);
    });
  });

  it("a category rename and a reviewer rename", async () => {
    const { Category } = await import("../src/products/models.js");
    const { User } = await import("../src/users/models.js");
    await expectFreshAfter(["/api/v1/products/24/", await listShowing(24)], async () => {
      const category = await Category.objects.get({
        pk: (await uncached.get("/api/v1/products/24/")).data.category.id,
      });
      category.slug = `${category.slug}-renamed`;
      await category.save();
    });
    await expectFreshAfter(["/api/v1/products/24/"], async () => {
      const reviewer = await User.objects.get({ username: "guido5" });
      reviewer.username = "guido-renamed";
      await reviewer.save();
    });
  });
});
