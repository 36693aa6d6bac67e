// /healthz tells a load balancer whether this process can serve: its database
// (the primary and every read replica, by alias) and, reported only, Redis.
// Replicas exist on PostgreSQL only, so those cases always run there (as the
// scale-out tests do), with replica aliases pointing at the test database
// itself: the captured query aliases show which connections were checked.
import { type CapturedQuery, captureQueries, closeDatabase } from "@x/models";
import { APIClient } from "@x/views";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type ShopApp } from "../src/app.js";
import { readConfig } from "../src/settings/env.js";

const POSTGRES = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
// Nothing listens on port 1: every connection attempt is refused at once.
const DOWN_POSTGRES = "postgres://postgres@127.0.0.1:1/none";
const DOWN_REDIS = "redis://127.0.0.1:1/15";
const OWN_DATABASE = process.env.TEST_DB === "postgres" ? POSTGRES : "sqlite::memory:";

let shop: ShopApp | undefined;

afterEach(async () => {
  await shop?.close();
  shop = undefined;
  await closeDatabase();
});

function start(env: Record<string, string>): APIClient {
  shop = createApp(readConfig({ APP_ENV: "testing", LOG_LEVEL: "silent", ...env }));
  return new APIClient(shop.app);
}

/** The health check's statements, as [alias, sql], in alias order. */
function checked(queries: readonly CapturedQuery[]): string[][] {
  return queries.map((q) => [q.alias, q.sql]).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe("one database", () => {
  it("answers the contract's 200 ok, and with ?verbose the check by alias", async () => {
    const client = start({ DATABASE_URL: OWN_DATABASE });
    const plain = await client.get("/healthz");
    expect(plain.status).toBe(200);
    expect(plain.data).toEqual({ status: "ok" });
    const { result: verbose, queries } = await captureQueries(() => client.get("/healthz?verbose"));
    expect(verbose.status).toBe(200);
    expect(verbose.data).toEqual({ status: "ok", checks: { default: "ok" } });
    expect(checked(queries)).toEqual([["default", "SELECT 1"]]);
  });

  it("answers 503 unavailable when the database does not answer", async () => {
    const client = start({ DATABASE_URL: DOWN_POSTGRES });
    const res = await client.get("/healthz");
    expect(res.status).toBe(503);
    expect(res.data).toEqual({ status: "unavailable" });
    expect((await client.get("/healthz?verbose")).data).toEqual({
      status: "unavailable",
      checks: { default: "unavailable" },
    });
  });
});

describe("a primary with read replicas (PostgreSQL)", () => {
  it("checks the primary and each replica, each once", async () => {
    const client = start({ DATABASE_URL: POSTGRES, DATABASE_REPLICA_URLS: `${POSTGRES},${POSTGRES}` });
    const { result: res, queries } = await captureQueries(() => client.get("/healthz?verbose"));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "ok", checks: { primary: "ok", replica0: "ok", replica1: "ok" } });
    expect(checked(queries)).toEqual([
      ["primary", "SELECT 1"],
      ["replica0", "SELECT 1"],
      ["replica1", "SELECT 1"],
    ]);
    // Not round-robin: every probe checks them all.
    const again = await captureQueries(() => client.get("/healthz"));
    expect(again.result.data).toEqual({ status: "ok" });
    expect(checked(again.queries).map(([alias]) => alias)).toEqual(["primary", "replica0", "replica1"]);
  });

  it("a replica down fails the check (reads are not failed over), reported by its alias", async () => {
    const client = start({ DATABASE_URL: POSTGRES, DATABASE_REPLICA_URLS: `${POSTGRES},${DOWN_POSTGRES}` });
    const res = await client.get("/healthz");
    expect(res.status).toBe(503);
    expect(res.data).toEqual({ status: "unavailable" });
    const verbose = await client.get("/healthz?verbose");
    expect(verbose.status).toBe(503);
    expect(verbose.data).toEqual({
      status: "unavailable",
      checks: { primary: "ok", replica0: "ok", replica1: "unavailable" },
    });
  });

  it("the primary down fails the check even when the replicas answer", async () => {
    const client = start({ DATABASE_URL: DOWN_POSTGRES, DATABASE_REPLICA_URLS: POSTGRES });
    const res = await client.get("/healthz?verbose");
    expect(res.status).toBe(503);
    expect(res.data).toEqual({ status: "unavailable", checks: { primary: "unavailable", replica0: "ok" } });
  });
});

describe("Redis", () => {
  it("is checked and reported", async () => {
    const client = start({ DATABASE_URL: OWN_DATABASE, REDIS_URL: REDIS, CACHE_KEY_PREFIX: "healthz-test:" });
    const res = await client.get("/healthz?verbose");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "ok", checks: { default: "ok", redis: "ok" } });
  });

  it("down is reported but does not fail the check, fail-open or fail-closed", async () => {
    for (const policy of ["open", "closed"]) {
      const client = start({
        DATABASE_URL: OWN_DATABASE,
        REDIS_URL: DOWN_REDIS,
        CACHE_UNAVAILABLE: policy,
        CACHE_TIMEOUT_MS: "200",
      });
      const res = await client.get("/healthz?verbose");
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ status: "ok", checks: { default: "ok", redis: "unavailable" } });
      expect((await client.get("/healthz")).data).toEqual({ status: "ok" });
      await shop?.close();
      shop = undefined;
    }
  });
});
