// SIGTERM while a load generator keeps sending (keep-alive connections, reads
// and order creations) and one slow upload is half sent: the process stops
// accepting connections at once, answers every request it accepted in full
// (the slow one included), closes its PostgreSQL pool and Redis, and exits 0.
// "Accepted" is what the server logged: every request id in its log must have
// reached the client complete; a request the server never saw may only fail
// to connect (refused) or find its idle keep-alive socket closed.
import http from "node:http";
import { connect } from "node:net";
import { closeDatabase, configureDatabase } from "@x/models";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditOrders, orderLines, stockUp } from "./orders.js";
import { type PrivateCluster, type PrivateRedis, sleep, startPostgres, startRedis } from "./services.js";
import { call, login, type Outcome, PASSWORD, prepareDatabase, type ShopProcess, startShop } from "./shop.js";

const STOCK = 1_000_000;
/** How long the process may take from SIGTERM to its exit. */
const EXIT_BOUND_MS = 8_000;
let pg: PrivateCluster;
let redis: PrivateRedis;
let shop: ShopProcess | undefined;
let products: number[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  await prepareDatabase(pg.url());
  configureDatabase(pg.url());
  ({ products } = await stockUp(3, STOCK));
}, 90_000);

afterAll(async () => {
  await shop?.stop();
  await closeDatabase();
  await Promise.all([pg?.destroy(), redis?.destroy()]);
}, 30_000);

/** Whether a TCP connection to the port is refused (nothing listens any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/** A login whose body arrives in two halves: the second one when `release` resolves. */
function slowLogin(port: number, release: Promise<void>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ username: "margaret16", password: PASSWORD });
  const half = Math.floor(body.length / 2);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/auth/token/",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "X-Request-Id": "slow-upload",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.write(body.slice(0, half));
    void release.then(() => req.end(body.slice(half)));
  });
}

const modes = [
  ["runserver (one process)", { command: "runserver" }],
  ["start (a cluster of two workers)", { command: "start", workers: 2 }],
] as const;

it.each(modes)(
  "%s: SIGTERM under load answers every accepted request, refuses new ones, exits 0",
  async (_, mode) => {
    const { firstOrder } = await stockUp(3, STOCK);
    shop = await startShop(
      { DATABASE_URL: pg.url("pool_size=6"), REDIS_URL: redis.url, LOG_LEVEL: "info" },
      mode,
    );
    const { base, port, pid } = shop;
    const tokens = await Promise.all(["margaret16", "guido5", "edsger4"].map((u) => login(base, u)));
    const sent = new Map<string, Outcome>();
    let n = 0;
    let running = true;
    const items = orderLines(products);
    // 12 keep-alive clients until the server refuses them.
    const loops = Array.from({ length: 12 }, async (_, i) => {
      while (running) {
        const id = `load-${++n}`;
        const headers = { "X-Request-Id": id };
        const token = tokens[i % tokens.length];
        const outcome =
          i % 3 === 0
            ? await call(base, "/api/v1/orders/", { method: "POST", body: { items }, token, headers })
            : await call(
                base,
                i % 3 === 1 ? "/api/v1/products/?page_size=20" : `/api/v1/products/${products[0]}/`,
                {
                  token,
                  headers,
                },
              );
        sent.set(id, outcome);
        if (outcome.error === "ECONNREFUSED") return;
      }
    });

    await sleep(1_000);
    let releaseSlow!: () => void;
    const slow = slowLogin(
      port,
      new Promise<void>((resolve) => {
        releaseSlow = resolve;
      }),
    );
    await sleep(200); // the slow request's headers are in: it is accepted
    const term = Date.now();
    process.kill(pid, "SIGTERM");

    // Closed to new connections within a moment, while still draining the slow upload.
    const closedAfter = await (async () => {
      while (Date.now() - term < 3_000) {
        if (await refused(port)) return Date.now() - term;
        await sleep(20);
      }
      return Number.POSITIVE_INFINITY;
    })();
    expect(closedAfter).toBeLessThan(2_000);
    expect(shop!.child.exitCode, "exited before the slow request finished").toBeNull();
    await sleep(300);
    releaseSlow();
    const slowAnswer = await slow;
    expect(slowAnswer.status).toBe(200);
    expect(JSON.parse(slowAnswer.body)).toMatchObject({ username: "margaret16" });

    const exit = await Promise.race([shop!.exited, sleep(EXIT_BOUND_MS).then(() => "timeout" as const)]);
    expect(exit).toEqual({ code: 0, signal: null });
    const exitedAfter = Date.now() - term;
    const output = shop!.output();
    shop = undefined;
    running = false;
    await Promise.all(loops);

    // What the server accepted: the request ids it logged.
    const logged = new Map<string, number>();
    for (const line of output.split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { message?: string; request_id?: string; status?: number };
      if (entry.message === "request" && entry.request_id) logged.set(entry.request_id, entry.status ?? 0);
    }
    expect(logged.get("slow-upload")).toBe(200);
    const outcomes = [...sent.entries()];
    // Under load: requests were on their way when the signal came (besides the slow one).
    const inFlightAtTerm = outcomes.filter(([, o]) => o.at < term && o.at + o.ms > term);
    expect(inFlightAtTerm.length).toBeGreaterThan(0);
    const lost = outcomes.filter(([id, o]) => logged.has(id) && o.status !== logged.get(id));
    expect(lost, "accepted requests without their full answer").toEqual([]);
    // Requests the server never saw: refused, or sent on a keep-alive socket it was closing.
    const unseen = outcomes.filter(([id]) => !logged.has(id));
    for (const [id, o] of unseen) {
      expect(o.error, `${id} was answered ${o.status} but never logged`).toBeDefined();
      expect(o.error).toMatch(/ECONNREFUSED|ECONNRESET|other side closed|socket/i);
    }
    // Only successes in what was answered.
    expect(new Set(outcomes.filter(([, o]) => o.status !== 0).map(([, o]) => o.status))).toEqual(
      new Set([200, 201]),
    );
    expect(exitedAfter).toBeLessThan(EXIT_BOUND_MS);

    // The orders the load placed are whole.
    const audit = await auditOrders(firstOrder, products, STOCK);
    expect(audit.partial).toEqual([]);
    expect(audit.stockMismatch).toEqual([]);
    expect(audit.orders).toBe(outcomes.filter(([, o]) => o.status === 201).length);
  },
  60_000,
);
