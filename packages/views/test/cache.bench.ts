// Benchmarks (not tests): `npx vitest bench --run test/cache.bench.ts` in packages/views.
// The cached vs uncached response path of a list view, and one throttle check, on memory and Redis.
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { afterAll, bench, describe } from "vitest";
import {
  AnonRateThrottle,
  APIView,
  type Cache,
  cachePage,
  MemoryCache,
  RedisCache,
  Response,
} from "../src/index.js";

const redis = new RedisCache({
  url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15",
  keyPrefix: `bench:${randomUUID()}:`,
});
afterAll(async () => {
  await redis.clear();
  await redis.close();
});
const memory = new MemoryCache();

// A list of 100 products: the work a cache saves is building and rendering it.
const rows = Array.from({ length: 100 }, (_, i) => ({
  id: i + 1,
  name: `Product ${i + 1}`,
  slug: `product-${i + 1}`,
  price: `${(i * 3.7).toFixed(2)}`,
  tags: ["a", "b", "c"],
}));

function appFor(cache: Cache | null) {
  async function list() {
    return new Response({
      count: rows.length,
      next: null,
      previous: null,
      results: rows.map((r) => ({ ...r })),
    });
  }
  class Uncached extends APIView {
    get = list;
  }
  class Cached extends APIView {
    get = cachePage({ ttl: 600, cache: cache ?? memory })(list);
  }
  const app = new Hono();
  app.get("/products/", (cache ? Cached : Uncached).asView());
  return app;
}

describe("list response", () => {
  const plain = appFor(null);
  const inMemory = appFor(memory);
  const inRedis = appFor(redis);
  bench("uncached", async () => {
    await (await plain.request("/products/")).arrayBuffer();
  });
  bench("cachePage, memory", async () => {
    await (await inMemory.request("/products/")).arrayBuffer();
  });
  bench("cachePage, redis", async () => {
    await (await inRedis.request("/products/")).arrayBuffer();
  });
});

describe("throttle check", () => {
  function throttleOn(cache: Cache) {
    return class extends AnonRateThrottle {
      override cache = cache;
      override rate = "1000000000/day";
    };
  }
  class Ping extends APIView {
    async get() {
      return new Response({ ok: true });
    }
  }
  const app = (cache: Cache | null) => {
    const h = new Hono();
    h.get("/ping/", Ping.asView({ throttleClasses: cache ? [throttleOn(cache)] : [] }));
    return h;
  };
  const none = app(null);
  const inMemory = app(memory);
  const inRedis = app(redis);
  bench("no throttle", async () => {
    await (await none.request("/ping/")).arrayBuffer();
  });
  bench("AnonRateThrottle, memory", async () => {
    await (await inMemory.request("/ping/")).arrayBuffer();
  });
  bench("AnonRateThrottle, redis", async () => {
    await (await inRedis.request("/ping/")).arrayBuffer();
  });
});
