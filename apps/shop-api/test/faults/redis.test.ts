// Redis (throttles, cache, sessions) stopped and started under two shop-api
// processes: one configured to fail open (CACHE_UNAVAILABLE=open, the default:
// requests are served unthrottled and uncached), one to fail closed (503).
// Either way each answer comes within a short bound during the outage, and
// throttling counts again once Redis is back, without restarting the service.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/settings/env.js";
import { type PrivateRedis, sleep, startRedis } from "./services.js";
import {
  call,
  type Outcome,
  PASSWORD,
  prepareDatabase,
  type ShopProcess,
  startShop,
  UNAVAILABLE,
} from "./shop.js";

let dir: string | undefined;
const LIMIT = 5;
const TIMEOUT_MS = 300;
/** The longest answer allowed while Redis is down: the cache timeout plus a loaded machine's slack. */
const BOUND_MS = 2_000;
let redis: PrivateRedis;
let open: ShopProcess | undefined;
let closed: ShopProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "shop-faults-redis-"));
  // Persistent: a restart brings the counters and cached pages back, as a managed Redis does.
  redis = await startRedis({ persist: true });
  const databaseUrl = `sqlite:${join(dir, "db.sqlite3")}`;
  await prepareDatabase(databaseUrl);
  const env = (policy: string) => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    CACHE_KEY_PREFIX: `faults-${policy}:`,
    CACHE_UNAVAILABLE: policy,
    CACHE_TIMEOUT_MS: String(TIMEOUT_MS),
    THROTTLE_ANON: `${LIMIT}/min`,
    // The client is X-Forwarded-For's last entry: each step of the test is a new client.
    TRUSTED_PROXIES: "127.0.0.1",
  });
  [open, closed] = await Promise.all([startShop(env("open")), startShop(env("closed"))]);
}, 90_000);

afterAll(async () => {
  await Promise.all([open?.stop(), closed?.stop()]);
  await redis?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

let clients = 0;
const newClient = () => `198.51.100.${++clients}`;

/** `n` anonymous product-list requests in a row from one client address. */
async function burst(shop: ShopProcess, client: string, n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await call(shop.base, "/api/v1/products/?page_size=1", {
        headers: { "X-Forwarded-For": client },
        timeoutMs: 10_000,
      }),
    );
  }
  return out;
}

const statuses = (outcomes: Outcome[]) => outcomes.map((o) => o.status);

/** Sends from fresh clients until one is throttled after exactly LIMIT admissions (Redis counts again). */
async function throttlingRecovers(shop: ShopProcess): Promise<number[]> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const got = statuses(await burst(shop, newClient(), LIMIT + 1));
    if (got[LIMIT] === 429) return got;
    await sleep(200);
  }
  throw new Error("throttling did not count again within 15 s of Redis restarting");
}

describe("Redis stopped and started", () => {
  it("fail open: served unthrottled within the bound while down, throttled again once back", async () => {
    const shop = open!;
    const before = newClient();
    expect(statuses(await burst(shop, before, LIMIT + 1))).toEqual([...Array(LIMIT).fill(200), 429]);

    await redis.stop("SIGKILL");
    // Twice the limit from one client, and the client throttled before: all served, none slow.
    const during = [...(await burst(shop, newClient(), 2 * LIMIT)), ...(await burst(shop, before, 2))];
    expect(statuses(during)).toEqual(Array(2 * LIMIT + 2).fill(200));
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(BOUND_MS);

    await redis.start();
    expect(await throttlingRecovers(shop)).toEqual([...Array(LIMIT).fill(200), 429]);
    // And precisely so for the next client.
    expect(statuses(await burst(shop, newClient(), LIMIT + 1))).toEqual([...Array(LIMIT).fill(200), 429]);
  });

  it("fail closed: DRF's 503 within the bound while down, served and throttled again once back", async () => {
    const shop = closed!;
    expect(statuses(await burst(shop, newClient(), 2))).toEqual([200, 200]);

    await redis.stop("SIGTERM");
    const during = await burst(shop, newClient(), 6);
    expect(statuses(during)).toEqual(Array(6).fill(503));
    for (const o of during) expect(o.body).toEqual(UNAVAILABLE);
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(BOUND_MS);
    // The database still answers: the process is healthy, only the cache is away.
    expect((await call(shop.base, "/healthz")).status).toBe(200);

    await redis.start();
    expect(await throttlingRecovers(shop)).toEqual([...Array(LIMIT).fill(200), 429]);
  });

  it("a hanging Redis (no answers, connections open): bounded answers, then throttling again", async () => {
    const shop = open!;
    redis.pause();
    let during: Outcome[];
    try {
      during = [
        ...(await burst(shop, newClient(), LIMIT + 2)),
        await call(shop.base, "/api/v1/products/24/", { headers: { "X-Forwarded-For": newClient() } }),
      ];
    } finally {
      redis.resume();
    }
    expect(statuses(during)).toEqual(Array(LIMIT + 3).fill(200));
    // Not a timeout per Redis operation (several per request): one probe per CACHE_TIMEOUT_MS.
    expect(during.reduce((sum, o) => sum + o.ms, 0)).toBeLessThan(BOUND_MS);
    expect(await throttlingRecovers(shop)).toEqual([...Array(LIMIT).fill(200), 429]);
  });

  it("a product changed while Redis is down is not served stale from the cache once it is back", async () => {
    const shop = open!;
    const login = await call(shop.base, "/api/v1/auth/token/", {
      method: "POST",
      body: { username: "admin", password: PASSWORD },
      headers: { "X-Forwarded-For": newClient() },
    });
    const token = login.body.token as string;
    const path = "/api/v1/products/24/";
    const anonymous = async () =>
      (await call(shop.base, path, { headers: { "X-Forwarded-For": newClient() } })).body.price as string;
    // Cached while Redis is up (the second read is a hit).
    const before = await anonymous();
    expect(await anonymous()).toBe(before);
    const price = before === "777.77" ? "555.55" : "777.77";

    await redis.stop("SIGTERM");
    const patch = await call(shop.base, path, {
      method: "PATCH",
      body: { price },
      token,
      headers: { "X-Forwarded-For": newClient() },
    });
    expect(patch.status).toBe(200);
    expect(patch.ms).toBeLessThan(BOUND_MS);
    expect(await anonymous()).toBe(price);

    // Back with its data: the page cached before the change must not come back.
    await redis.start();
    await throttlingRecovers(shop);
    expect(await anonymous()).toBe(price);
  });

  it("CACHE_UNAVAILABLE and CACHE_TIMEOUT_MS are read once at startup, bad values refused", () => {
    expect(readConfig({})).toMatchObject({ cacheUnavailable: "open", cacheTimeoutMs: 500 });
    expect(readConfig({ CACHE_UNAVAILABLE: "closed", CACHE_TIMEOUT_MS: "250" })).toMatchObject({
      cacheUnavailable: "closed",
      cacheTimeoutMs: 250,
    });
    expect(() => readConfig({ CACHE_UNAVAILABLE: "ajar" })).toThrow(ConfigError);
    expect(() => readConfig({ CACHE_TIMEOUT_MS: "soon" })).toThrow(ConfigError);
    expect(() => readConfig({ CACHE_TIMEOUT_MS: "0" })).toThrow(ConfigError);
  });
});
