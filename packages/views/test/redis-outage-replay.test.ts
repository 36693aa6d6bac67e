// Invalidations that could not reach Redis are replayed once it answers again:
// Redis keeps its data across a restart or a network cut, so a delete or a
// generation bump lost during the outage would leave a page cached before it
// to be served as current afterwards. The outage here is the client's
// connection closed and reopened (the shared Redis itself stays up).
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { CacheUnavailableError, RedisCache } from "../src/index.js";

const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const quiet = { warn() {} };
const caches: RedisCache[] = [];
afterAll(async () => {
  for (const c of caches) {
    await c.clear();
    await c.close();
  }
});

function pair(policy: "open" | "closed"): [RedisCache, RedisCache] {
  const keyPrefix = `test:replay:${randomUUID()}:`;
  const make = () =>
    new RedisCache({ url, keyPrefix, onUnavailable: policy, timeoutMs: 1000, logger: quiet });
  const made: [RedisCache, RedisCache] = [make(), make()];
  caches.push(...made);
  return made;
}

describe.each(["open", "closed"] as const)("RedisCache failing %s", (policy) => {
  it("replays the deletes and increments an outage dropped before anything else is read", async () => {
    const [cache, other] = pair(policy);
    await cache.set("page", "cached before the outage");
    await cache.set("tagged", "by tag", undefined, { tags: ["products"] });
    expect(await cache.incr("generation:Product")).toBe(1);

    const ended = new Promise((resolve) => cache.client.once("end", resolve));
    cache.client.disconnect();
    await ended;
    const during = [
      cache.delete("page"),
      cache.incr("generation:Product"),
      cache.incr("generation:Product"),
      cache.invalidateTags(["products"]),
    ];
    const outcomes = await Promise.allSettled(during);
    if (policy === "open")
      expect(outcomes.map((o) => o.status === "fulfilled" && o.value)).toEqual([false, 0, 0, 0]);
    else
      for (const o of outcomes)
        expect(o.status === "rejected" && o.reason).toBeInstanceOf(CacheUnavailableError);
    // Another process still sees the old state: nothing reached Redis.
    expect(await other.get("page")).toBe("cached before the outage");

    await cache.client.connect();
    // The first read after the outage waits for the replay: the page is gone, the generation moved
    // (once per key: one bump retires what two would), the tag cleared.
    expect(await cache.get("page")).toBeUndefined();
    expect(await other.get("page")).toBeUndefined();
    expect(await other.get("generation:Product")).toBe(2);
    expect(await other.get("tagged")).toBeUndefined();
    // Replayed once: nothing is left to replay.
    expect(await cache.incr("generation:Product")).toBe(3);
  });
});
