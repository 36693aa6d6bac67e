// The throttles of a request record their hits in one batch (`Cache.hitWindows`):
// one Redis round trip, no promise on memory, and the same answers as one by one.
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import {
  AnonRateThrottle,
  APIClient,
  APIView,
  type Cache,
  defineSettings,
  MemoryCache,
  RedisCache,
  Response,
  type ThrottleClass,
  UserRateThrottle,
  type WindowSpec,
} from "../src/index.js";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const redises: RedisCache[] = [];
function redis(): RedisCache {
  const c = new RedisCache({
    url: redisUrl,
    keyPrefix: `test:batch:${randomUUID()}:`,
    onUnavailable: "closed",
    timeoutMs: 3000,
  });
  redises.push(c);
  return c;
}
afterAll(async () => {
  for (const c of redises) {
    await c.clear();
    await c.close();
  }
});

describe.each<[string, () => Cache]>([
  ["memory", () => new MemoryCache()],
  ["redis", redis],
])("hitWindows on the %s cache", (_name, make) => {
  it("answers as the same hitWindow calls made one by one, in order", async () => {
    const t0 = 1_700_000_000_000;
    const steps: WindowSpec[][] = [
      [
        { key: "a", limit: 2, durationMs: 1000, now: t0 },
        { key: "b", limit: 1, durationMs: 60_000, now: t0 },
        { key: "a", limit: 2, durationMs: 1000, now: t0 },
      ],
      [
        { key: "a", limit: 2, durationMs: 1000, now: t0 + 500 },
        { key: "b", limit: 1, durationMs: 60_000, now: t0 + 500 },
      ],
      [
        { key: "a", limit: 2, durationMs: 1000, now: t0 + 1000 },
        { key: "c", limit: 0, durationMs: 1000, now: t0 + 1000 },
      ],
    ];
    const batched = make();
    const single = make();
    for (const windows of steps) {
      const hits = await batched.hitWindows?.(windows);
      const expected = [];
      for (const w of windows) expected.push(await single.hitWindow(w.key, w.limit, w.durationMs, w.now));
      expect(hits).toEqual(expected);
    }
    // Spot checks of what those are: the third hit on "a" within the second is refused.
    const again = await batched.hitWindows?.([{ key: "a", limit: 2, durationMs: 1000, now: t0 + 1000 }]);
    expect(again).toEqual([{ allowed: true, count: 2, oldest: t0 + 1000, now: t0 + 1000 }]);
  });

  it("judges windows without a time by the cache's clock, once for the batch", async () => {
    const cache = make();
    const hits = (await cache.hitWindows?.([
      { key: "x", limit: 5, durationMs: 60_000 },
      { key: "y", limit: 5, durationMs: 60_000 },
    ])) as { now: number; allowed: boolean }[];
    expect(hits.map((h) => h.allowed)).toEqual([true, true]);
    expect(hits[0]?.now).toBe(hits[1]?.now);
    expect(Math.abs((hits[0]?.now ?? 0) - Date.now())).toBeLessThan(5000);
  });
});

describe("a view's throttles", () => {
  function appWith(cache: Cache, throttles: ThrottleClass[]) {
    const settings = defineSettings({ defaultThrottleRates: { anon: "3/min", user: "100/min" } });
    class Ping extends APIView {
      async get() {
        return new Response({ ok: true });
      }
    }
    const bound = throttles.map((T) => {
      const C = T as unknown as new () => AnonRateThrottle;
      return class extends C {
        override cache = cache;
      };
    });
    const app = new Hono();
    app.get("/ping/", Ping.asView({ settings, throttleClasses: bound }));
    return new APIClient(app, { remoteAddr: "10.0.0.1" });
  }

  class Burst extends AnonRateThrottle {
    override rate = "2/min";
  }

  it("cost one Redis round trip per request, and refuse as one by one would", async () => {
    const cache = redis();
    await cache.get("warm"); // connected before counting calls
    const client = appWith(cache, [Burst, AnonRateThrottle, UserRateThrottle]);
    const calls: string[] = [];
    const original = cache.client.evalsha.bind(cache.client);
    cache.client.evalsha = ((...args: Parameters<typeof original>) => {
      calls.push(String(args[0]));
      return original(...args);
    }) as typeof cache.client.evalsha;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.get("/ping/")).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(calls).toHaveLength(4);
    // The refused requests counted in the throttles that admitted them (DRF: every throttle sees each request).
    const anon = await cache.hitWindow("throttle_anon_10.0.0.1:3/60", 3, 60_000);
    expect(anon).toMatchObject({ allowed: false, count: 3 });
  });

  it("on memory: the same answers, and the 429 carries the longest wait", async () => {
    const client = appWith(new MemoryCache(), [Burst, AnonRateThrottle, UserRateThrottle]);
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await client.get("/ping/"));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    const wait = Number(responses[2]?.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(29);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it("still ask a throttle with its own allowRequest, beside the batch", async () => {
    let asked = 0;
    class Custom extends AnonRateThrottle {
      override async allowRequest() {
        asked++;
        return asked < 2;
      }
      override wait() {
        return 7;
      }
    }
    const client = appWith(new MemoryCache(), [Custom, AnonRateThrottle]);
    const first = await client.get("/ping/");
    const second = await client.get("/ping/");
    expect([first.status, second.status, asked]).toEqual([200, 429, 2]);
    expect(second.headers.get("retry-after")).toBe("7");
  });
});
