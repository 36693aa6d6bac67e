// Cached pages that depend on models (`dependsOn`): generation counters bumped
// on committed writes, strong ETags stored with the page, 304s from the cache.
// Same tests on the memory and the Redis cache, on TEST_DB=sqlite|postgres.
import { randomUUID } from "node:crypto";
import {
  atomic,
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DecimalField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
} from "@x/models";
import { ModelSerializer, SerializerMethodField } from "@x/serializers";
import { Hono } from "hono";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AcceptHeaderVersioning,
  APIClient,
  type Authentication,
  type Cache,
  cacheActions,
  currentGenerations,
  defineSettings,
  GENERATION_PREFIX,
  MemoryCache,
  ModelViewSet,
  RedisCache,
  type Request,
  touchModels,
} from "../src/index.js";

const Product = defineModel("cachegen.Product", {
  fields: {
    name: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
  },
  meta: { ordering: ["id"] },
});
const Review = defineModel("cachegen.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    rating: IntegerField(),
  },
  meta: { ordering: ["id"] },
});
type ProductRow = InstanceOf<typeof Product>;

class ProductSerializer extends ModelSerializer.of({
  model: Product,
  fields: ["id", "name", "price", "stock"],
}) {}
class ProductV2Serializer extends ModelSerializer.of(
  { model: Product, fields: ["id", "name", "price", "stock", "ratings"] },
  { ratings: new SerializerMethodField(v.array(v.number()), { reads: { prefetch: ["reviews"] } }) },
) {
  async get_ratings(product: ProductRow): Promise<number[]> {
    const reviews = await (
      product as unknown as { reviews: { all(): PromiseLike<Array<{ rating: number }>> } }
    ).reviews.all();
    return reviews.map((r) => r.rating);
  }
}

class HeaderAuthentication implements Authentication {
  authenticate(request: Request) {
    const id = request.headers.get("x-user");
    return id ? ([{ isAuthenticated: true, pk: Number(id) }, null] as const) : null;
  }
}
const settings = defineSettings({
  defaultAuthenticationClasses: [HeaderAuthentication],
  defaultVersioningClass: AcceptHeaderVersioning,
  defaultVersion: "1",
  allowedVersions: ["1", "2"],
});

const redis = new RedisCache({
  url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15",
  keyPrefix: `test:cache-generations:${randomUUID()}:`,
  onUnavailable: "closed",
  timeoutMs: 3000,
});

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Product, Review] });
});
afterAll(async () => {
  await tdb.close();
  await redis.clear();
  await redis.close();
});

function api(cache: Cache) {
  class ProductViewSet extends ModelViewSet<ProductRow> {
    static override queryset = Product.objects.prefetchRelated("reviews");
    static override serializerClass = ProductSerializer;
    override getSerializerClass() {
      return this.request.version === "2" ? ProductV2Serializer : ProductSerializer;
    }
  }
  cacheActions(ProductViewSet, {
    list: { ttl: 300, cache, dependsOn: [Product, Review], etag: true },
    retrieve: { ttl: 300, cache, dependsOn: [Product, Review], etag: true },
  });
  const app = new Hono();
  app.all("/products/", ProductViewSet.asView({ get: "list" }, { settings }));
  app.all(
    "/products/:pk/",
    ProductViewSet.asView(
      { get: "retrieve", patch: "partialUpdate", delete: "destroy" },
      { settings, detail: true },
    ),
  );
  return new APIClient(app);
}

describe.each<[string, () => Cache]>([
  ["memory", () => new MemoryCache()],
  ["redis", () => redis],
])("cached pages with dependsOn on the %s cache", (_name, makeCache) => {
  let cache: Cache;
  let client: APIClient;
  let pen: ProductRow;
  beforeEach(async () => {
    await tdb.reset();
    cache = makeCache();
    await cache.clear();
    client = api(cache);
    pen = await Product.objects.create({ name: "Pen", price: "1.50", stock: 3 });
    await Product.objects.create({ name: "Ink", price: "4.00", stock: 0 });
  });

  it("serves a hit with the same bytes and headers and runs no SQL", async () => {
    const miss = await captureQueries(() => client.get("/products/"));
    expect(miss.count).toBeGreaterThan(0);
    const hit = await captureQueries(() => client.get("/products/"));
    expect(hit.count).toBe(0);
    expect(hit.result.status).toBe(200);
    expect(hit.result.text).toBe(miss.result.text);
    expect([...hit.result.headers]).toEqual([...miss.result.headers]);
    expect(hit.result.data.map((p: { name: string }) => p.name)).toEqual(["Pen", "Ink"]);
    // The server invalidates: no client-side max-age that would outlive a write.
    expect(hit.result.headers.get("cache-control")).toBeNull();
  });

  it("sends a strong ETag of the body and answers a matching If-None-Match 304 without SQL", async () => {
    const first = await client.get(`/products/${pen.pk}/`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const revalidated = await captureQueries(() =>
      client.get(`/products/${pen.pk}/`, { headers: { "If-None-Match": etag! } }),
    );
    expect(revalidated.count).toBe(0);
    expect(revalidated.result.status).toBe(304);
    expect(revalidated.result.text).toBe("");
    expect(revalidated.result.headers.get("etag")).toBe(etag);
    expect(revalidated.result.headers.get("vary")).toBe(first.headers.get("vary"));
    // A weak form of the same tag matches too (If-None-Match uses the weak comparison).
    const weak = await client.get(`/products/${pen.pk}/`, { headers: { "If-None-Match": `W/${etag}` } });
    expect(weak.status).toBe(304);
    const other = await client.get(`/products/${pen.pk}/`, { headers: { "If-None-Match": '"nope"' } });
    expect(other.status).toBe(200);
    expect(other.text).toBe(first.text);
  });

  it("answers 304 on a miss too when the fresh body's ETag matches", async () => {
    const first = await client.get("/products/");
    await touchModels([Product], { cache }); // a write that changed nothing visible
    const again = await captureQueries(() =>
      client.get("/products/", { headers: { "If-None-Match": first.headers.get("etag")! } }),
    );
    expect(again.count).toBeGreaterThan(0);
    expect(again.result.status).toBe(304);
  });

  it("a save through the API invalidates the list and the detail", async () => {
    await client.get("/products/");
    const detail = await client.get(`/products/${pen.pk}/`);
    const patched = await client.patch(`/products/${pen.pk}/`, { stock: 7 });
    expect(patched.status).toBe(200);
    const list = await captureQueries(() => client.get("/products/"));
    expect(list.count).toBeGreaterThan(0);
    expect(list.result.data[0].stock).toBe(7);
    const fresh = await client.get(`/products/${pen.pk}/`, {
      headers: { "If-None-Match": detail.headers.get("etag")! },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.data.stock).toBe(7);
    expect(fresh.headers.get("etag")).not.toBe(detail.headers.get("etag"));
  });

  it("a save, a create and a cascading delete of a dependency invalidate", async () => {
    const v2 = { headers: { Accept: "application/json; version=2" } };
    expect((await client.get(`/products/${pen.pk}/`, v2)).data.ratings).toEqual([]);
    const review = await Review.objects.create({ product: pen, rating: 4 });
    expect((await client.get(`/products/${pen.pk}/`, v2)).data.ratings).toEqual([4]);
    review.rating = 5;
    await review.save();
    expect((await client.get(`/products/${pen.pk}/`, v2)).data.ratings).toEqual([5]);
    await pen.delete(); // cascades to the review: both models are bumped
    expect((await client.get(`/products/${pen.pk}/`, v2)).status).toBe(404);
    expect((await client.get("/products/")).data.map((p: { name: string }) => p.name)).toEqual(["Ink"]);
  });

  it("writes without signals (QuerySet.update) invalidate through touchModels", async () => {
    await client.get("/products/");
    await Product.objects.filter({ pk: pen.pk }).update({ stock: 0 });
    // No post_save for a queryset update (as in Django): the cached copy is still served...
    expect((await client.get("/products/")).data[0].stock).toBe(3);
    await touchModels([Product], { cache });
    expect((await client.get("/products/")).data[0].stock).toBe(0);
  });

  it("bumps only after the transaction commits, and never on rollback", async () => {
    const before = await currentGenerations([Product], cache);
    await atomic(async () => {
      pen.stock = 9;
      await pen.save();
      // Not yet: another process must not cache these uncommitted rows under a new generation.
      expect(await currentGenerations([Product], cache)).toBe(before);
    });
    const committed = await currentGenerations([Product], cache);
    expect(committed).not.toBe(before);
    await expect(
      atomic(async () => {
        pen.stock = 1;
        await pen.save();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await currentGenerations([Product], cache)).toBe(committed);
  });

  it("keys by URL, query string, version and Accept; authenticated requests bypass", async () => {
    const plain = await client.get("/products/");
    const filtered = await client.get("/products/", { query: { x: "1" } });
    expect(filtered.headers.get("etag")).toBe(plain.headers.get("etag")); // same rows, separate entry
    const v2 = await client.get("/products/", { headers: { Accept: "application/json; version=2" } });
    expect(v2.data[0]).toHaveProperty("ratings");
    expect(plain.data[0]).not.toHaveProperty("ratings");
    const indented = await client.get("/products/", { headers: { Accept: "application/json; indent=4" } });
    expect(indented.text).toBe(JSON.stringify(plain.data, null, 4));
    // Each variant is now a hit of its own.
    const hits = await captureQueries(async () => {
      expect((await client.get("/products/", { query: { x: "1" } })).text).toBe(filtered.text);
      expect(
        (await client.get("/products/", { headers: { Accept: "application/json; version=2" } })).text,
      ).toBe(v2.text);
      expect(
        (await client.get("/products/", { headers: { Accept: "application/json; indent=4" } })).text,
      ).toBe(indented.text);
    });
    expect(hits.count).toBe(0);
    const authenticated = await captureQueries(() =>
      client.get("/products/", { headers: { "X-User": "1" } }),
    );
    expect(authenticated.count).toBeGreaterThan(0);
    expect(authenticated.result.headers.get("etag")).toBeNull();
  });

  it("a lost generation counter restarts far from old numbers", async () => {
    await cache.delete(`${GENERATION_PREFIX}cachegen.Product`);
    const restarted = await currentGenerations([Product], cache);
    expect(Number(restarted!.split("=")[1])).toBeGreaterThan(1);
    await cache.delete(`${GENERATION_PREFIX}cachegen.Product`);
    await touchModels([Product], { cache });
    const bumped = Number((await currentGenerations([Product], cache))!.split("=")[1]);
    expect(bumped).toBeGreaterThan(2);
  });
});

describe("a cache failing open (Redis down, onUnavailable: open)", () => {
  it("serves every page uncached, stores nothing, and a write's lost bump is logged", async () => {
    await tdb.reset();
    const stored: string[] = [];
    class FailingOpen extends MemoryCache {
      override async get<T = unknown>(): Promise<T | undefined> {
        return undefined;
      }
      override async incr(): Promise<number> {
        return 0;
      }
      override async set(key: string): Promise<void> {
        stored.push(key);
      }
    }
    const client = api(new FailingOpen());
    const pen = await Product.objects.create({ name: "Pen", price: "1.50", stock: 3 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      for (let i = 0; i < 2; i++) {
        const { result, count } = await captureQueries(() => client.get(`/products/${pen.pk}/`));
        expect(result.status).toBe(200);
        expect(count).toBeGreaterThan(0);
      }
      expect(stored.filter((key) => key.startsWith("cache_page:"))).toEqual([]);
      expect((await client.patch(`/products/${pen.pk}/`, { stock: 4 })).status).toBe(200);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/could not bump the cache generation of cachegen\.Product/),
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe("a cache that cannot be reached when a write commits", () => {
  it("keeps the committed write and its response, and warns", async () => {
    await tdb.reset();
    let down = false;
    class FlakyCache extends MemoryCache {
      override async incr(key: string, ttlSeconds?: number, by?: number): Promise<number> {
        if (down) throw new Error("connection refused");
        return super.incr(key, ttlSeconds, by);
      }
    }
    const cache = new FlakyCache();
    const client = api(cache);
    const pen = await Product.objects.create({ name: "Pen", price: "1.50", stock: 3 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      down = true;
      const patched = await client.patch(`/products/${pen.pk}/`, { stock: 5 });
      expect(patched.status).toBe(200);
      expect((await Product.objects.get({ pk: pen.pk })).stock).toBe(5);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/could not bump the cache generation of cachegen\.Product/),
      );
    } finally {
      down = false;
      warn.mockRestore();
    }
  });
});
