import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type Cache, CacheUnavailableError, MemoryCache, RedisCache } from "../src/index.js";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const opened: Cache[] = [];
const broken: Cache[] = [];
afterAll(async () => {
  for (const c of opened) await c.clear();
  for (const c of [...opened, ...broken]) await c.close();
});

const backends: Array<[string, () => Cache]> = [
  ["memory", () => new MemoryCache()],
  [
    "redis",
    () => {
      const c = new RedisCache({
        url: redisUrl,
        keyPrefix: `test:cache:${randomUUID()}:`,
        onUnavailable: "closed",
        timeoutMs: 3000,
      });
      opened.push(c);
      return c;
    },
  ],
];

describe.each(backends)("%s cache", (_name, make) => {
  it("gets what was set, and null for a missing key", async () => {
    const cache = make();
    expect(await cache.get("a")).toBeUndefined();
    await cache.set("a", { n: 1, s: "x", list: [true, null] });
    expect(await cache.get("a")).toEqual({ n: 1, s: "x", list: [true, null] });
    expect(await cache.delete("a")).toBe(true);
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.delete("a")).toBe(false);
  });

  it("hands out copies, never the stored object", async () => {
    const cache = make();
    const value = { list: [1] };
    await cache.set("copy", value);
    value.list.push(2);
    const read = await cache.get<{ list: number[] }>("copy");
    read?.list.push(3);
    expect(await cache.get("copy")).toEqual({ list: [1] });
  });

  it("keeps a shared value itself where it sharesObjects (memory), serialises it elsewhere", async () => {
    const cache = make();
    const value = Object.freeze({ list: [1], bytes: "x" });
    await cache.set("shared", value, 60, { shared: true });
    const read = await cache.get("shared");
    if (cache instanceof MemoryCache) {
      expect(cache.sharesObjects).toBe(true);
      expect(read).toBe(value);
    } else {
      expect(cache.sharesObjects).toBeFalsy();
      expect(read).not.toBe(value);
      expect(read).toEqual(value);
    }
    // A later plain set is a copy again.
    await cache.set("shared", { list: [2] });
    expect(await cache.get("shared")).not.toBe(value);
    expect(await cache.get("shared")).toEqual({ list: [2] });
  });

  it("increments atomically and expires a new counter after its ttl", async () => {
    const cache = make();
    const values = await Promise.all(Array.from({ length: 20 }, () => cache.incr("counter", 0.1)));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await cache.incr("counter", 0.1, 5)).toBe(25);
    await new Promise((r) => setTimeout(r, 150));
    expect(await cache.get("counter")).toBeUndefined();
    expect(await cache.incr("counter")).toBe(1);
  });

  it("expires entries after their ttl", async () => {
    const cache = make();
    await cache.set("short", "x", 0.05);
    await cache.set("long", "y", 60);
    expect(await cache.get("short")).toBe("x");
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.get("short")).toBeUndefined();
    expect(await cache.get("long")).toBe("y");
  });

  it("deletes by prefix, literally (glob characters are not patterns)", async () => {
    const cache = make();
    await cache.set("views:products:1", "a");
    await cache.set("views:products:2", "b");
    await cache.set("views:orders:1", "c");
    await cache.set("v*ews:x", "d");
    expect(await cache.deletePrefix("views:products:")).toBe(2);
    expect(await cache.get("views:products:1")).toBeUndefined();
    expect(await cache.get("views:orders:1")).toBe("c");
    expect(await cache.deletePrefix("v*")).toBe(1);
    expect(await cache.get("views:orders:1")).toBe("c");
  });

  it("invalidates by tag", async () => {
    const cache = make();
    await cache.set("p1", "a", 60, { tags: ["products"] });
    await cache.set("p2", "b", undefined, { tags: ["products", "featured"] });
    await cache.set("c1", "c", 60, { tags: ["categories"] });
    expect(await cache.invalidateTags(["products"])).toBe(2);
    expect(await cache.get("p1")).toBeUndefined();
    expect(await cache.get("p2")).toBeUndefined();
    expect(await cache.get("c1")).toBe("c");
    expect(await cache.invalidateTags(["products"])).toBe(0);
  });

  it("admits exactly `limit` hits per sliding window and reports the oldest hit", async () => {
    const cache = make();
    const t0 = 1_000_000;
    expect(await cache.hitWindow("w", 2, 1000, t0)).toEqual({ allowed: true, count: 1, oldest: t0, now: t0 });
    expect(await cache.hitWindow("w", 2, 1000, t0 + 100)).toEqual({
      allowed: true,
      count: 2,
      oldest: t0,
      now: t0 + 100,
    });
    expect(await cache.hitWindow("w", 2, 1000, t0 + 200)).toEqual({
      allowed: false,
      count: 2,
      oldest: t0,
      now: t0 + 200,
    });
    // t0 leaves the window at t0 + 1000 (DRF drops hits <= now - duration).
    expect(await cache.hitWindow("w", 2, 1000, t0 + 1000)).toEqual({
      allowed: true,
      count: 2,
      oldest: t0 + 100,
      now: t0 + 1000,
    });
  });

  it("judges by its own clock when the caller gives no time (Redis: the server's)", async () => {
    const cache = make();
    const before = Date.now();
    const first = await cache.hitWindow("clock", 1, 60_000);
    const second = await cache.hitWindow("clock", 1, 60_000);
    // Same machine: the server's clock agrees with ours to well within a second.
    expect(Math.abs(first.now - before)).toBeLessThan(1000);
    expect(first).toMatchObject({ allowed: true, count: 1, oldest: first.now });
    expect(second).toMatchObject({ allowed: false, count: 1, oldest: first.now });
  });

  it("admits exactly the limit when many hits race", async () => {
    const cache = make();
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.hitWindow("race", 7, 60_000, now)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
  });
});

describe("redis cache when Redis is unreachable", () => {
  const warnings: string[] = [];
  const logger = { warn: (m: string) => warnings.push(m) };

  it("fails open by default: misses, admits throttled hits, warns once, and does not hang", async () => {
    const cache = new RedisCache({ url: "redis://127.0.0.1:1/0", logger, timeoutMs: 200 });
    broken.push(cache);
    const started = Date.now();
    expect(await cache.get("a")).toBeUndefined();
    await cache.set("a", "1");
    expect(await cache.incr("n")).toBe(0);
    expect(await cache.hitWindow("w", 1, 1000, Date.now())).toMatchObject({ allowed: true });
    expect(await cache.hitWindow("w", 1, 1000, Date.now())).toMatchObject({ allowed: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Redis cache unavailable.*failing open/);
  });

  it("fails closed with CacheUnavailableError (503) when configured", async () => {
    const cache = new RedisCache({
      url: "redis://127.0.0.1:1/0",
      onUnavailable: "closed",
      logger,
      timeoutMs: 200,
    });
    broken.push(cache);
    const error = await cache.hitWindow("w", 1, 1000, Date.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect(error).toMatchObject({ statusCode: 503 });
  });

  it("gives up within the timeout when the server never answers", async () => {
    // A listening socket that accepts and never replies: commands must time out.
    const net = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const cache = new RedisCache({ url: `redis://127.0.0.1:${address.port}/0`, logger, timeoutMs: 200 });
    broken.push(cache);
    const started = Date.now();
    expect(await cache.get("a")).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(800);
    for (const s of sockets) s.destroy();
    server.close();
  });

  it("recovers by itself when Redis comes back", async () => {
    // A loopback proxy in front of the real Redis, to cut and restore the connection.
    const net = await import("node:net");
    const target = new URL(redisUrl);
    const open = new Set<import("node:net").Socket>();
    const proxy = () =>
      net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        open.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on("error", close).on("close", close);
        upstream.on("error", close).on("close", close);
      });
    let server = proxy();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const cache = new RedisCache({
      url: `redis://127.0.0.1:${address.port}${target.pathname}`,
      keyPrefix: `test:cache:${randomUUID()}:`,
      logger,
      timeoutMs: 300,
    });
    await cache.set("k", "v");
    expect(await cache.get("k")).toBe("v");

    await new Promise<void>((r) => {
      server.close(() => r());
      for (const s of open) s.destroy();
    });
    const started = Date.now();
    expect(await cache.get("k")).toBeUndefined(); // fails open, fast
    expect(Date.now() - started).toBeLessThan(700);

    server = proxy();
    await new Promise<void>((r) => server.listen(address.port, "127.0.0.1", r));
    let value: unknown;
    for (let i = 0; i < 40 && value === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      value = await cache.get("k");
    }
    expect(value).toBe("v");
    await cache.clear();
    await cache.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      for (const s of open) s.destroy();
    });
  });
});
