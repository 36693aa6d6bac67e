// A worker of the production cluster (`manage start --workers 2`) killed with
// SIGKILL at random moments of a burst of order creations, on PostgreSQL (a
// private cluster) and on SQLite (a file): its requests in flight die with it,
// but no order is half written (items without stock taken, or the reverse) and
// the primary's replacement worker serves the orders that follow.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, configureDatabase } from "@x/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditOrders, orderLines, stockUp } from "./orders.js";
import { type PrivateCluster, sleep, startPostgres, waitFor } from "./services.js";
import { call, login, type Outcome, prepareDatabase, type ShopProcess, startShop } from "./shop.js";

const STOCK = 1_000_000;
const KILLS = 2;
let dir: string | undefined;
let pg: PrivateCluster | undefined;
let shop: ShopProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "shop-faults-kill-"));
});

afterAll(async () => {
  await shop?.stop();
  await closeDatabase();
  await pg?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

const workerPids = (output: string) => [...output.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));

async function killWorkersMidOrder(databaseUrl: string): Promise<void> {
  await prepareDatabase(databaseUrl);
  configureDatabase(databaseUrl);
  const { products, firstOrder } = await stockUp(3, STOCK);
  shop = await startShop({ DATABASE_URL: databaseUrl }, { command: "start", workers: 2 });
  const base = shop.base;
  const tokens = await Promise.all(["margaret16", "guido5", "edsger4", "admin"].map((u) => login(base, u)));

  const outcomes: Outcome[] = [];
  const items = orderLines(products);
  const killed: number[] = [];
  const delays: number[] = [];
  let replaced = 0;
  for (let k = 0; k < KILLS; k++) {
    // A burst of order creations from six clients; one worker killed at a random moment of it.
    let running = true;
    const loops = Array.from({ length: 6 }, async (_, i) => {
      while (running) {
        const body = { items };
        outcomes.push(
          await call(base, "/api/v1/orders/", {
            method: "POST",
            body,
            token: tokens[i % 4],
            timeoutMs: 5_000,
          }),
        );
      }
    });
    const delay = 200 + Math.floor(Math.random() * 600);
    delays.push(delay);
    await sleep(delay);
    const alive = workerPids(shop.output()).filter((pid) => !killed.includes(pid));
    const victim = alive[Math.floor(Math.random() * alive.length)]!;
    process.kill(victim, "SIGKILL");
    killed.push(victim);
    await sleep(100);
    running = false;
    await Promise.all(loops);
    // The primary forks a replacement, which says it listens.
    await waitFor(
      `replacement worker ${k + 1}`,
      async () => workerPids(shop!.output()).length === 2 + k + 1,
      30_000,
    );
    replaced = Date.now();
  }
  // Both workers (one a replacement) take the orders that follow.
  const later = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      call(base, "/api/v1/orders/", {
        method: "POST",
        body: { items },
        token: tokens[i % 4],
      }),
    ),
  );
  outcomes.push(...later);
  await shop.stop();
  shop = undefined;

  const context = `kills after ${delays.join(", ")} ms`;
  const created = outcomes.filter((o) => o.status === 201).length;
  const cut = outcomes.filter((o) => o.error !== undefined);
  // Requests die with their worker (the connection closes under them, or, handed by the primary to
  // a worker that just died, is never answered: the client's timeout ends it); nothing else fails.
  expect(
    outcomes.filter((o) => o.status !== 201 && o.error === undefined),
    context,
  ).toEqual([]);
  expect(cut.length, `no request was in flight at a kill (${context})`).toBeGreaterThan(0);
  for (const o of cut)
    expect(o.error, context).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed|EPIPE|timeout/);
  // The replacement serves: everything sent after the last one listens succeeds (the 8 orders
  // sent then; `>=`: they may start in the very millisecond `replaced` was read).
  const after = outcomes.filter((o) => o.at >= replaced);
  expect(after.length).toBeGreaterThan(3);
  expect(after.filter((o) => o.status !== 201)).toEqual([]);

  const audit = await auditOrders(firstOrder, products, STOCK);
  expect(audit.partial, context).toEqual([]);
  expect(audit.stockMismatch, context).toEqual([]);
  // An order whose worker died after COMMIT is whole all the same, its answer lost.
  expect(audit.orders).toBeGreaterThanOrEqual(created);
  expect(audit.orders).toBeLessThanOrEqual(created + cut.length);
  await closeDatabase();
}

describe("a worker killed mid-order", () => {
  it("on PostgreSQL: no half-written order, the replacement serves", async () => {
    pg = await startPostgres();
    await killWorkersMidOrder(pg.url("pool_size=4&pool_timeout=5"));
  }, 90_000);

  it("on SQLite (a file): no half-written order, the replacement serves", async () => {
    await killWorkersMidOrder(`sqlite:${join(dir!, "db.sqlite3")}`);
  }, 90_000);
});
