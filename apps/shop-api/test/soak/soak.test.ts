// The bounded soak (issue 13, "Load"): the shop-api as a real process (`manage
// runserver`) on PostgreSQL + Redis as in production, driven by 64 concurrent
// keep-alive connections for SOAK_SECONDS (default 120) over a mix of reads and
// writes (./workload.ts). It proves:
//   - zero errors: every answer is one its request may give (intended 4xx, 429),
//     no 5xx, no network error, no timeout;
//   - memory flat after warm-up: RSS (from /proc, sampled every 2 s) over the last
//     quarter of the run is at most 1.5× its value over the first quarter after
//     warm-up (medians: RSS saws with the garbage collector);
//   - no file-descriptor leak: under the same load the count at the end is the count
//     after warm-up (± a small slack), and once the clients have gone it falls back;
//   - no connection-pool leak: the app's backends in pg_stat_activity (by its
//     application_name) never exceed the pool size, and are at most that at the end.
// Run once (its own project, test/soak/vitest.config.ts), not per database pass.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { closeDatabase, configureDatabase, createDatabase, loadData } from "@x/models";
import { RedisCache } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Product } from "../../src/products/models.js";
import { DEMO_FIXTURE, migrateProject } from "../../src/project.js";
import { runserver, type Server, stop } from "../scaleout/processes.js";
import { prng } from "../security/helpers.js";
import { openFds, rssMiB } from "./proc.js";
import { type Actor, Client, type Context, type Outcome, step } from "./workload.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const CONNECTIONS = 64;
const POOL_SIZE = 10;
/** Warm-up: JIT, caches and the pool fill during the first quarter (at most 20 s). */
const WARMUP_MS = Math.min(20_000, SECONDS * 250);
const SAMPLE_MS = 2_000;
const PASSWORD = "shop-pass-123";

const pgBase = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const schema = `soak_${process.pid}_${randomBytes(3).toString("hex")}`;
const prefix = `soak-${schema}:`;
const env: Record<string, string> = {
  // application_name passes through to PostgreSQL: the app's backends are countable
  DATABASE_URL: `${pgBase}?schema=${schema}&pool_size=${POOL_SIZE}&application_name=${schema}`,
  REDIS_URL: redisUrl,
  CACHE_KEY_PREFIX: prefix,
  APP_ENV: "production",
  SECRET_KEY: "soak-test-secret-key-long-enough-for-hs256",
  LOG_LEVEL: "warn",
  THROTTLE_ANON: "1000000/hour",
  THROTTLE_USER: "1000000/hour",
  THROTTLE_AUTH: "1000000/min",
};

const admin = createDatabase(pgBase);
let server: Server | undefined;

beforeAll(async () => {
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  configureDatabase(env.DATABASE_URL!.replace(/&application_name=.*$/, ""));
  try {
    await migrateProject();
    await loadData([DEMO_FIXTURE]);
    // enough stock that every order of the soak can be served
    await Product.objects.all().update({ stock: 10_000_000 });
  } finally {
    await closeDatabase();
  }
  server = await runserver(env);
}, 180_000);

afterAll(async () => {
  if (server) await stop(server);
  await admin.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.close();
  const redis = new RedisCache({ url: redisUrl, keyPrefix: prefix });
  await redis.clear();
  await redis.close();
}, 60_000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function appBackends(): Promise<number> {
  const res = await admin.execute(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
    [schema],
  );
  return (res.rows[0] as { n: number }).n;
}

describe(`soak: ${CONNECTIONS} connections for ${SECONDS} s on PostgreSQL + Redis`, () => {
  it("answers every request as intended, with flat memory and no fd or pool leaks", async () => {
    const { pid, port } = server!;
    const client = new Client(port, CONNECTIONS);
    const actors: Actor[] = [];
    for (const username of [
      "edsger4",
      "guido5",
      "grace6",
      "margaret7",
      "guido8",
      "linus9",
      "donald10",
      "radia12",
    ]) {
      const res = await client.request("POST", "/api/v1/auth/token/", { username, password: PASSWORD });
      expect(res.status, res.text).toBe(200);
      actors.push({ username, token: `Token ${(JSON.parse(res.text) as { token: string }).token}` });
    }
    const products = JSON.parse((await client.request("GET", "/api/v1/products/?page_size=100")).text) as {
      results: { id: number }[];
    };
    const categories = JSON.parse(
      (await client.request("GET", "/api/v1/categories/?page_size=100")).text,
    ) as {
      results: { slug: string }[];
    };
    const ctx: Omit<Context, "random"> = {
      client,
      actors,
      productIds: products.results.map((p) => p.id),
      categories: categories.results.map((c) => c.slug),
      password: PASSWORD,
    };

    const outcomes: Outcome[] = [];
    const errors: string[] = [];
    const rss: { at: number; mib: number }[] = [];
    const fds: { at: number; n: number }[] = [];
    let maxBackends = 0;
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const sampler = setInterval(() => {
      const at = Date.now() - started;
      rss.push({ at, mib: rssMiB(pid) });
      fds.push({ at, n: openFds(pid) });
      void appBackends().then((n) => {
        maxBackends = Math.max(maxBackends, n);
      });
    }, SAMPLE_MS);
    const worker = async (w: number) => {
      const random = prng(1_000 + w);
      while (Date.now() < deadline) {
        const outcome = await step({ ...ctx, random });
        outcomes.push(outcome);
        if (outcome.error && errors.length < 20) errors.push(outcome.error);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
    clearInterval(sampler);
    const loaded = openFds(pid);
    const backendsAtEnd = await appBackends();
    client.agent.destroy();
    await sleep(2_000);
    const idle = openFds(pid);

    // RSS saws with the garbage collector (±20% at this load): compare the median of the
    // first quarter after warm-up with the median of the last quarter, not two single samples
    const loadedSamples = rss.filter((s) => s.at >= WARMUP_MS);
    const quarter = Math.max(1, Math.floor(loadedSamples.length / 4));
    const afterWarmup = { at: WARMUP_MS, mib: median(loadedSamples.slice(0, quarter).map((s) => s.mib)) };
    const fdsAfterWarmup = fds.find((s) => s.at >= WARMUP_MS) ?? fds[0]!;
    const end = { mib: median(loadedSamples.slice(-quarter).map((s) => s.mib)) };
    const failed = outcomes.filter((o) => o.error).length;
    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const seconds = (Date.now() - started) / 1000;
    const trend = rss
      .filter((_, i) => i % 10 === 0)
      .map((s) => s.mib.toFixed(0))
      .join(" ");
    console.info(
      `soak: ${SECONDS} s, ${CONNECTIONS} connections, ${outcomes.length} steps (${(outcomes.length / seconds).toFixed(0)}/s), ` +
        `${failed} errors; statuses ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(" ")}; ` +
        `RSS ${rss[0]!.mib.toFixed(0)} MiB at start, ${afterWarmup.mib.toFixed(0)} after warm-up (${(afterWarmup.at / 1000).toFixed(0)} s, median of the first quarter), ` +
        `${end.mib.toFixed(0)} at the end (median of the last quarter; max ${Math.max(...rss.map((s) => s.mib)).toFixed(0)}; every 20 s: ${trend}); ` +
        `fds ${fdsAfterWarmup.n} after warm-up, ${loaded} at the end, ${idle} idle; ` +
        `PostgreSQL backends max ${maxBackends}, ${backendsAtEnd} at the end (pool ${POOL_SIZE})`,
    );

    expect(errors, "requests answered other than intended").toEqual([]);
    expect(outcomes.length).toBeGreaterThan(CONNECTIONS * 10);
    // every kind of step ran, and writes were accepted
    expect(byStatus.get(201) ?? 0).toBeGreaterThan(0);
    expect(new Set(outcomes.map((o) => o.step)).size).toBe(10);
    expect(loadedSamples.length).toBeGreaterThan(3);
    expect(end.mib).toBeLessThanOrEqual(afterWarmup.mib * 1.5);
    expect(loaded).toBeLessThanOrEqual(fdsAfterWarmup.n + 8);
    expect(idle).toBeLessThan(loaded);
    expect(maxBackends).toBeLessThanOrEqual(POOL_SIZE);
    expect(backendsAtEnd).toBeLessThanOrEqual(POOL_SIZE);
  });
});
