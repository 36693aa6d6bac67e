// PostgreSQL goes away while requests flow: its connections killed
// (pg_terminate_backend), a crash restart, then a stop long enough for /healthz
// to notice. Readers and order writers keep going against a real shop-api
// process on a private cluster. Every request must end within a bound with a
// success or DRF's 503 (never a 500, never a hang), no order may be half
// written, and the same process serves again once the database is back.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PrivateCluster, sleep, startPostgres, waitFor } from "./services.js";
import {
  call,
  login,
  type Outcome,
  prepareDatabase,
  type ShopProcess,
  startShop,
  UNAVAILABLE,
} from "./shop.js";

let pg: PrivateCluster;
let shop: ShopProcess | undefined;
let products: number[] = [];
const STOCK = 1_000_000;
/** Longest a request may take while the database is away (pool_timeout is 2 s). */
const BOUND_MS = 6_000;

beforeAll(async () => {
  pg = await startPostgres();
  await prepareDatabase(pg.url());
  const rows = await pg.admin.execute(
    "SELECT id FROM products_product WHERE NOT is_deleted ORDER BY id LIMIT 3",
  );
  products = rows.rows.map((r) => Number(r.id));
  await pg.admin.execute(`UPDATE products_product SET stock = ${STOCK} WHERE id = ANY($1)`, [products]);
  shop = await startShop({ DATABASE_URL: pg.url("pool_size=6&pool_timeout=2") });
}, 90_000);

afterAll(async () => {
  await shop?.stop();
  await pg?.destroy();
}, 30_000);

interface Traffic {
  reads: Outcome[];
  orders: Outcome[];
  stop(): Promise<void>;
}

/** Readers and order writers in loops until stopped. */
function traffic(base: string, tokens: string[]): Traffic {
  const reads: Outcome[] = [];
  const orders: Outcome[] = [];
  let running = true;
  const items = products.map((product, i) => ({ product, quantity: i + 1 }));
  const reader = async (i: number) => {
    const paths = ["/api/v1/products/?page_size=5", `/api/v1/products/${products[0]}/`, "/api/v1/orders/"];
    while (running) {
      reads.push(
        await call(base, paths[i % paths.length]!, { token: tokens[i % tokens.length], timeoutMs: 15_000 }),
      );
      await sleep(10);
    }
  };
  const writer = async (i: number) => {
    while (running) {
      orders.push(
        await call(base, "/api/v1/orders/", {
          method: "POST",
          body: { items },
          token: tokens[i % tokens.length],
          timeoutMs: 15_000,
        }),
      );
      await sleep(10);
    }
  };
  const loops = [0, 1, 2].map(reader).concat([0, 1, 2].map(writer));
  return {
    reads,
    orders,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

it("killed connections, a crash restart and a stop: 503s within a bound, no partial order, recovery", async () => {
  const base = shop!.base;
  const tokens = await Promise.all(["margaret16", "guido5", "edsger4"].map((u) => login(base, u)));
  const before = await pg.admin.execute("SELECT coalesce(max(id), 0) AS id FROM orders_order");
  const firstOrder = Number(before.rows[0].id) + 1;

  const flow = traffic(base, tokens);
  await sleep(800);

  // 1. Every connection of the service killed under it, twice.
  expect(await pg.terminateConnections()).toBeGreaterThan(0);
  await sleep(500);
  await pg.terminateConnections();
  await sleep(800);

  // 2. A crash restart (no clean shutdown: recovery on start).
  pg.restart("immediate");
  await sleep(800);

  // 3. Down for a while: /healthz and the API say so at once.
  pg.stop("fast");
  await sleep(300);
  const health = await call(base, "/healthz", { timeoutMs: BOUND_MS });
  expect(health.status).toBe(503);
  expect(health.body).toEqual({ status: "unavailable" });
  const down = await call(base, "/api/v1/products/", { timeoutMs: BOUND_MS });
  expect(down.status).toBe(503);
  expect(down.body).toEqual(UNAVAILABLE);
  await sleep(1_000);
  pg.start();

  // Back: the same process answers again, without a restart.
  await waitFor("healthz 200 after the restart", async () => (await call(base, "/healthz")).status === 200);
  const recovered = Date.now();
  await sleep(1_500);
  await flow.stop();

  const all = [...flow.reads, ...flow.orders];
  // Nothing hung and nothing broke the connection: every request has an HTTP answer in time.
  expect(all.filter((o) => o.error !== undefined).map((o) => o.error)).toEqual([]);
  expect(Math.max(...all.map((o) => o.ms))).toBeLessThan(BOUND_MS);
  // Only successes and DRF's 503, never a 500.
  expect(new Set(flow.reads.map((o) => o.status))).toEqual(new Set([200, 503]));
  expect(new Set(flow.orders.map((o) => o.status))).toEqual(new Set([201, 503]));
  for (const o of all.filter((x) => x.status === 503)) expect(o.body).toEqual(UNAVAILABLE);
  // Once healthz is back, everything succeeds.
  const after = all.filter((o) => o.at > recovered);
  expect(after.length).toBeGreaterThan(5);
  expect(after.filter((o) => o.status >= 500)).toEqual([]);

  // No partial writes: every new order has all its items, and the stock taken is what they hold.
  const created = flow.orders.filter((o) => o.status === 201).length;
  const failed = flow.orders.filter((o) => o.status === 503).length;
  const orders = await pg.admin.execute(
    `SELECT o.id, count(i.id) AS items, coalesce(sum(i.quantity), 0) AS quantity
     FROM orders_order o LEFT JOIN orders_orderitem i ON i.order_id = o.id
     WHERE o.id >= $1 GROUP BY o.id`,
    [firstOrder],
  );
  // A 503 whose COMMIT reached the server before the connection died is an order all the same.
  expect(orders.rows.length).toBeGreaterThanOrEqual(created);
  expect(orders.rows.length).toBeLessThanOrEqual(created + failed);
  const wrong = orders.rows.filter((r) => Number(r.items) !== products.length || Number(r.quantity) !== 6);
  expect(wrong).toEqual([]);
  const stock = await pg.admin.execute(
    `SELECT p.id, p.stock, coalesce((SELECT sum(i.quantity) FROM orders_orderitem i
       WHERE i.product_id = p.id AND i.order_id >= $1), 0) AS sold
     FROM products_product p WHERE p.id = ANY($2) ORDER BY p.id`,
    [firstOrder, products],
  );
  for (const row of stock.rows) expect(Number(row.stock) + Number(row.sold)).toBe(STOCK);
  // The faults really bit, and orders were placed before, between and after them.
  expect(failed).toBeGreaterThan(0);
  expect(created).toBeGreaterThan(10);
}, 90_000);
