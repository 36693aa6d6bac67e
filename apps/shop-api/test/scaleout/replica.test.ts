// Read replicas for real: a private PostgreSQL primary and a streaming replica
// of it (replica-cluster.ts), the shop-api configured with DATABASE_URL +
// DATABASE_REPLICA_URLS. Every query is captured with the alias of the
// connection that ran it: reads go to the replica, writes to the primary, a
// request that wrote reads its own writes from the primary, the next request
// is back on the replica, and cached product pages render their misses on the
// primary (a lagging replica must not be stored under a new generation).
//
// Like scaleout.test.ts it always runs on PostgreSQL, whatever TEST_DB says.
import {
  type CapturedQuery,
  captureQueries,
  closeDatabase,
  configureDatabase,
  createDatabase,
  type Database,
  loadData,
} from "@x/models";
import { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type ShopApp } from "../../src/app.js";
import { DEMO_FIXTURE, migrateProject } from "../../src/project.js";
import { readConfig } from "../../src/settings/env.js";
import { type ReplicatedCluster, startReplicatedCluster } from "./replica-cluster.js";

const PASSWORD = "shop-pass-123";
let cluster: ReplicatedCluster;
let primary: Database;
let replica: Database;
let shop: ShopApp;
let cachedShop: ShopApp;

function config(env: Record<string, string>) {
  return readConfig({
    APP_ENV: "testing",
    SECRET_KEY: "replica-test-secret-key-long-enough-for-hs256",
    DATABASE_URL: cluster.primaryUrl,
    DATABASE_REPLICA_URLS: cluster.replicaUrl,
    THROTTLE_ANON: "100000/hour",
    THROTTLE_USER: "100000/hour",
    THROTTLE_AUTH: "100000/min",
    ...env,
  });
}

/** Polls the replica until `sql` returns a row: replication is asynchronous. */
async function replicated(sql: string, params: unknown[] = []): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await replica.execute(sql, params)).rows.length === 0) {
    if (Date.now() > deadline) throw new Error(`not replicated within 15 s: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cluster = await startReplicatedCluster();
  // `manage migrate` + `loaddata`, in process, against the primary alone (as the deploy notes say).
  configureDatabase(cluster.primaryUrl);
  await migrateProject(() => {});
  await loadData([DEMO_FIXTURE]);
  await closeDatabase();
  primary = createDatabase(cluster.primaryUrl);
  replica = createDatabase(cluster.replicaUrl);
  await replicated(`SELECT 1 FROM "products_product" WHERE "id" = 24`);
  // The app connects to both (connectDatabase: true); the cached variant shares that database.
  shop = createApp(config({ SHOP_CACHE_PRODUCTS: "0" }));
  cachedShop = createApp(config({}), { connectDatabase: false });
}, 180_000);

afterAll(async () => {
  await closeDatabase();
  await primary?.close();
  await replica?.close();
  cluster?.stop();
}, 60_000);

const aliases = (queries: readonly CapturedQuery[]) => queries.map((q) => q.alias);

async function login(username: string): Promise<APIClient> {
  const client = new APIClient(shop.app);
  const res = await client.post("/api/v1/auth/token/", { username, password: PASSWORD });
  expect(res.status).toBe(200);
  client.credentials({ Authorization: `Token ${res.data.token}` });
  // Replication is asynchronous: a token minted on the primary is usable once the replica has it
  // (the README's note on lag; synchronous_commit = remote_apply removes the wait).
  await replicated(`SELECT 1 FROM "authtoken_token" WHERE "key" = $1`, [res.data.token]);
  return client;
}

describe("a primary and a streaming replica", () => {
  it("the replica is a read-only standby streaming from the primary", async () => {
    expect((await replica.execute("SELECT pg_is_in_recovery() AS standby")).rows).toEqual([
      { standby: true },
    ]);
    expect((await primary.execute("SELECT pg_is_in_recovery() AS standby")).rows).toEqual([
      { standby: false },
    ]);
    const senders = await primary.execute("SELECT state FROM pg_stat_replication");
    expect(senders.rows).toEqual([{ state: "streaming" }]);
    await expect(replica.execute(`UPDATE "products_product" SET "stock" = 0`)).rejects.toThrow(/read-only/);
  });

  it("anonymous reads run on the replica only", async () => {
    const client = new APIClient(shop.app);
    for (const path of ["/api/v1/products/?page_size=5", "/api/v2/products/24/", "/api/v1/categories/"]) {
      const { result, queries } = await captureQueries(() => client.get(path));
      expect(result.status, path).toBe(200);
      expect(queries.length, path).toBeGreaterThan(0);
      expect(new Set(aliases(queries)), path).toEqual(new Set(["replica0"]));
    }
  });

  it("a request that writes goes to the primary from its first write on, and reads its own writes there", async () => {
    const customer = await login("margaret16");
    const { result, queries } = await captureQueries(() =>
      customer.post("/api/v1/orders/", { items: [{ product: 24, quantity: 1 }] }),
    );
    expect(result.status).toBe(201);
    const first = aliases(queries).indexOf("primary");
    expect(first).toBeGreaterThan(0);
    // Authentication and validation read from the replica before anything was written...
    expect(new Set(aliases(queries).slice(0, first))).toEqual(new Set(["replica0"]));
    // ...then the transaction on the primary; the answer is built from what was written (no read-back).
    expect(new Set(aliases(queries).slice(first))).toEqual(new Set(["primary"]));
    expect(result.data.items).toHaveLength(1);

    // The next request starts on the replica again, which receives the order by streaming.
    await replicated(`SELECT 1 FROM "orders_order" WHERE "id" = $1`, [result.data.id]);
    const next = await captureQueries(() => customer.get(`/api/v1/orders/${result.data.id}/`));
    expect(next.result.status).toBe(200);
    expect(next.result.data.id).toBe(result.data.id);
    expect(new Set(aliases(next.queries))).toEqual(new Set(["replica0"]));

    // Cancelling reads the order on the replica, writes on the primary, then reads the
    // cancelled order back for its answer: on the primary (read-your-writes).
    const cancel = await captureQueries(() => customer.post(`/api/v1/orders/${result.data.id}/cancel/`, {}));
    expect(cancel.result.status, cancel.result.text).toBe(200);
    expect(cancel.result.data.status).toBe("cancelled");
    const firstWrite = aliases(cancel.queries).indexOf("primary");
    expect(new Set(aliases(cancel.queries).slice(0, firstWrite))).toEqual(new Set(["replica0"]));
    expect(new Set(aliases(cancel.queries).slice(firstWrite))).toEqual(new Set(["primary"]));
    const afterCommit = cancel.queries.slice(cancel.queries.findIndex((q) => q.sql === "COMMIT") + 1);
    expect(afterCommit.some((q) => /^\s*select/i.test(q.sql))).toBe(true);
  });

  it("writes land on the primary and reach the replica", async () => {
    const admin = await login("admin");
    const { result, queries } = await captureQueries(() =>
      admin.patch("/api/v1/products/24/", { stock: 4242 }),
    );
    expect(result.status).toBe(200);
    const writes = queries.filter((q) => /^\s*(update|insert|delete)/i.test(q.sql));
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(aliases(writes))).toEqual(new Set(["primary"]));
    expect((await primary.execute(`SELECT "stock" FROM "products_product" WHERE "id" = 24`)).rows).toEqual([
      { stock: 4242 },
    ]);
    await replicated(`SELECT 1 FROM "products_product" WHERE "id" = 24 AND "stock" = 4242`);
  });

  it("a cached product page renders its miss on the primary and serves hits with no SQL", async () => {
    const client = new APIClient(cachedShop.app);
    const miss = await captureQueries(() => client.get("/api/v1/products/24/"));
    expect(miss.result.status).toBe(200);
    expect(miss.queries.length).toBeGreaterThan(0);
    expect(new Set(aliases(miss.queries))).toEqual(new Set(["primary"]));
    const hit = await captureQueries(() => client.get("/api/v1/products/24/"));
    expect(hit.count).toBe(0);
    expect(hit.result.text).toBe(miss.result.text);
    // Uncached endpoints of the same app still read from the replica.
    const reviews = await captureQueries(() => client.get("/api/v1/products/24/reviews/"));
    expect(new Set(aliases(reviews.queries))).toEqual(new Set(["replica0"]));
  });
});
