// Scale-out on loopback: three shop-api processes (`manage runserver`) share
// one PostgreSQL schema and one Redis database, as replicas behind a load
// balancer do. Throttles (anonymous and login attempts), the JWT blacklist,
// sessions, cached pages and stock must hold across them, not per process.
//
// This file always runs on PostgreSQL + Redis, whatever TEST_DB says: a shared
// database is the point, and an in-process SQLite file is not one. Both vitest
// passes run it, each on its own fresh schema and its own Redis key prefix.
import { randomBytes } from "node:crypto";
import { createDatabase } from "@x/models";
import { invalidateCachedPages, RedisCache } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, manage, type Reply, runserver, type Server, stop } from "./processes.js";

const pgBase = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const schema = `scaleout_${process.pid}_${randomBytes(3).toString("hex")}`;
const prefix = `scaleout-${schema}:`;
const PASSWORD = "shop-pass-123";
const env: Record<string, string> = {
  DATABASE_URL: `${pgBase}?schema=${schema}`,
  REDIS_URL: redisUrl,
  CACHE_KEY_PREFIX: prefix,
  APP_ENV: "production",
  SECRET_KEY: "scale-out-secret-shared-by-every-process",
  LOG_LEVEL: "warn",
  // Behind the load balancer: the client is X-Forwarded-For's last entry.
  TRUSTED_PROXIES: "127.0.0.1",
  THROTTLE_ANON: "10/min",
  THROTTLE_USER: "100000/hour",
  // The login endpoints' scope: 6 attempts a minute per client, on every process together.
  THROTTLE_AUTH: "6/min",
};

const db = createDatabase(env.DATABASE_URL!);
const redis = new RedisCache({ url: redisUrl, keyPrefix: prefix });
let servers: Server[] = [];
/** A fourth process: the same app plus the auth package's session login/logout views (session-server.ts). */
let sessionApp: Server | undefined;
/** The port of the process the load balancer picks for request `i` (round-robin). */
const port = (i: number): number => servers[i % servers.length]!.port;

beforeAll(async () => {
  const admin = createDatabase(pgBase);
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  await admin.close();
  await manage(["migrate"], env);
  await manage(["loaddata", "fixtures/shop.json"], env);
  const started = await Promise.all([
    runserver(env),
    runserver(env),
    runserver(env),
    runserver(env, "test/scaleout/session-server.ts"),
  ]);
  sessionApp = started.pop();
  servers = started;
}, 150_000);

afterAll(async () => {
  await Promise.all([...servers, ...(sessionApp ? [sessionApp] : [])].map((s) => stop(s)));
  await db.close();
  const admin = createDatabase(pgBase);
  await admin.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.close();
  await redis.clear();
  expect(await redis.client.keys(`${prefix}*`)).toEqual([]);
  await redis.close();
}, 60_000);

async function login(username: string, at: number, client: string): Promise<string> {
  const res = await call(port(at), "/api/v1/auth/token/", {
    method: "POST",
    body: { username, password: PASSWORD },
    client,
  });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe("three shop-api processes on one PostgreSQL and one Redis", () => {
  it("serve three different ports", () => {
    expect(new Set(servers.map((s) => s.port)).size).toBe(3);
    expect(new Set(servers.map((s) => s.pid)).size).toBe(3);
  });

  it("hold one anonymous throttle limit across processes: 30 round-robin requests admit the first 10", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await call(port(i), "/api/v1/products/?page_size=1", { client: "203.0.113.10" });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.json.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/);
        expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array(10).fill(200), ...Array(20).fill(429)]);
    // Every process admitted some of the 10 and refused some of the 20: one shared count, not three.
    for (let p = 0; p < 3; p++) {
      const mine = statuses.filter((_, i) => i % 3 === p);
      expect(mine).toContain(200);
      expect(mine).toContain(429);
    }
    // The limit is per client, not global: another address is still admitted.
    expect((await call(port(0), "/api/v1/products/?page_size=1", { client: "203.0.113.11" })).status).toBe(
      200,
    );
  });

  it("admit exactly 10 of 30 simultaneous anonymous requests spread over the processes", async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(port(i), "/api/v1/products/?page_size=1", { client: "203.0.113.12" }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(20);
  });

  it("hold one login-attempt limit across processes: the 7th attempt is refused wherever it lands", async () => {
    const client = "203.0.113.15";
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await call(port(i), "/api/v1/auth/jwt/", {
        method: "POST",
        body: { username: "margaret16", password: `wrong-${i}` },
        client,
      });
      statuses.push(res.status);
      if (res.status === 401)
        expect(res.json.detail).toBe("No active account found with the given credentials");
    }
    expect(statuses).toEqual([...Array(6).fill(401), ...Array(3).fill(429)]);
    // The right password does not get past the limit either.
    const right = await call(port(0), "/api/v1/auth/jwt/", {
      method: "POST",
      body: { username: "margaret16", password: PASSWORD },
      client,
    });
    expect(right.status).toBe(429);
  });

  it("reject a refresh token blacklisted through one process on every other", async () => {
    const client = "203.0.113.20";
    const pair = await call(port(0), "/api/v1/auth/jwt/", {
      method: "POST",
      body: { username: "margaret16", password: PASSWORD },
      client,
    });
    expect(pair.status).toBe(200);
    const { access, refresh } = pair.json as { access: string; refresh: string };
    // The access token signed by process 0 authenticates on 1 and 2 (one shared SECRET_KEY).
    for (const at of [1, 2]) {
      const me = await call(port(at), "/api/v1/orders/", {
        headers: { Authorization: `Bearer ${access}` },
        client,
      });
      expect(me.status).toBe(200);
    }
    const blacklisted = await call(port(1), "/api/v1/auth/jwt/blacklist/", {
      method: "POST",
      body: { refresh },
      client,
    });
    expect(blacklisted.status).toBe(200);
    for (const at of [0, 1, 2]) {
      const res = await call(port(at), "/api/v1/auth/jwt/refresh/", {
        method: "POST",
        body: { refresh },
        client,
      });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
    }
  });

  it("reject a rotated refresh token on every process once another has rotated it", async () => {
    const client = "203.0.113.21";
    const pair = await call(port(2), "/api/v1/auth/jwt/", {
      method: "POST",
      body: { username: "guido5", password: PASSWORD },
      client,
    });
    expect(pair.status).toBe(200);
    const rotated = await call(port(0), "/api/v1/auth/jwt/refresh/", {
      method: "POST",
      body: { refresh: pair.json.refresh },
      client,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.refresh).not.toBe(pair.json.refresh);
    for (const at of [1, 2]) {
      const reuse = await call(port(at), "/api/v1/auth/jwt/refresh/", {
        method: "POST",
        body: { refresh: pair.json.refresh },
        client,
      });
      expect(reuse.status).toBe(401);
      expect(reuse.json.detail).toBe("Token is blacklisted");
    }
    // The new one still works, on a third process.
    const next = await call(port(1), "/api/v1/auth/jwt/refresh/", {
      method: "POST",
      body: { refresh: rotated.json.refresh },
      client,
    });
    expect(next.status).toBe(200);
  });

  it("honour a session logged in through one process on every other, until it is logged out", async () => {
    const client = "203.0.113.25";
    const app = sessionApp!.port;
    const login = await call(app, "/api/v1/auth/session/login/", {
      method: "POST",
      body: { username: "margaret16", password: PASSWORD },
      client,
    });
    expect(login.status).toBe(200);
    expect(login.json).toEqual({ detail: "Successfully logged in." });
    const cookies = Object.fromEntries(
      (login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!.split("=") as [string, string]),
    );
    expect(cookies.sessionid).toMatch(/^[a-z0-9]{32}$/);
    const Cookie = `sessionid=${cookies.sessionid}; csrftoken=${cookies.csrftoken}`;
    for (const at of [0, 1, 2]) {
      const me = await call(port(at), "/api/v1/users/me/", { headers: { Cookie }, client });
      expect(me.status).toBe(200);
      expect(me.json.username).toBe("margaret16");
    }
    const logout = await call(app, "/api/v1/auth/session/logout/", {
      method: "POST",
      headers: { Cookie, "X-CSRFToken": cookies.csrftoken!, Referer: "http://shop.test/" },
      client,
    });
    expect(logout.status).toBe(200);
    for (const at of [0, 1, 2]) {
      const me = await call(port(at), "/api/v1/users/me/", { headers: { Cookie }, client });
      expect(me.status).toBe(401);
    }
  });

  it("serve the cached category list identically from the shared cache on every process", async () => {
    const client = "203.0.113.30";
    const first = await call(port(0), "/api/v1/categories/", { client });
    expect(first.status).toBe(200);
    expect(first.headers["cache-control"]).toBe("max-age=900");
    const cachedKeys = await redis.client.keys(`${prefix}cache_page:categories:*`);
    expect(cachedKeys).toHaveLength(1);

    // A change behind the cache's back (as a fixture load would make): processes 1 and 2
    // never built the list, so serving the old bytes proves they read process 0's copy.
    const renamed = await db.execute(
      "UPDATE products_category SET name = name || ' (renamed)' WHERE id = (SELECT min(id) FROM products_category) RETURNING name",
    );
    const newName = renamed.rows[0].name as string;
    const stale: Reply[] = [];
    for (const at of [1, 2]) stale.push(await call(port(at), "/api/v1/categories/", { client }));
    for (const res of stale) {
      expect(res.status).toBe(200);
      expect(res.text).toBe(first.text);
      expect(res.headers["content-type"]).toBe(first.headers["content-type"]);
      expect(res.headers["cache-control"]).toBe("max-age=900");
    }
    expect(first.text).not.toContain(newName);

    // Invalidating the tag once (from any process, here the test's own client) refreshes all three.
    expect(await invalidateCachedPages({ tags: ["categories"], cache: redis })).toBe(1);
    const fresh = await call(port(2), "/api/v1/categories/", { client });
    expect(fresh.text).toContain(newName);
    for (const at of [0, 1])
      expect((await call(port(at), "/api/v1/categories/", { client })).text).toBe(fresh.text);
  });

  it("sell exactly the stock when 30 simultaneous orders for 10 units are spread over the processes", async () => {
    const client = "203.0.113.40";
    await db.execute("UPDATE products_product SET stock = 10 WHERE id = 1");
    const before = await db.execute("SELECT count(*)::int AS n FROM orders_order");
    const tokens = [
      await login("margaret16", 0, client),
      await login("guido5", 1, client),
      await login("manager", 2, client),
    ];
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(port(i), "/api/v1/orders/", {
          method: "POST",
          headers: { Authorization: `Token ${tokens[i % tokens.length]}` },
          body: { items: [{ product: 1, quantity: 1 }] },
          client,
        }),
      ),
    );
    const created = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 400);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused)
      expect(r.json.detail).toBe("Not enough stock for product 1: 0 available, 1 requested.");

    const stock = await db.execute("SELECT stock FROM products_product WHERE id = 1");
    expect(stock.rows[0].stock).toBe(0);
    const after = await db.execute("SELECT count(*)::int AS n FROM orders_order");
    expect(after.rows[0].n).toBe(before.rows[0].n + 10);
    const ids = created.map((r) => r.json.id as number);
    const sold = await db.execute(
      "SELECT coalesce(sum(quantity), 0)::int AS n FROM orders_orderitem WHERE product_id = 1 AND order_id = ANY($1)",
      [ids],
    );
    expect(sold.rows[0].n).toBe(10);
  });

  it("never serve a cached product page stale on one process after a write through another", async () => {
    // Anonymous readers from many addresses (the anonymous throttle is 10/min per client).
    let n = 0;
    const read = (at: number, path: string, headers: Record<string, string> = {}) =>
      call(port(at), path, { client: `198.51.100.${++n}`, headers });
    const writer = "203.0.113.50";
    const detail = "/api/v1/products/24/";
    const list = "/api/v2/products/?search=Compact%20Backpack%2024";
    const stockOn = async (at: number) => {
      const [d, l] = [await read(at, detail), await read(at, list)];
      expect(d.status).toBe(200);
      const item = l.json.results.find((p: { id: number }) => p.id === 24);
      expect(item).toBeDefined();
      return { detail: d, item, stock: d.json.stock as number, listed: item.stock as number };
    };

    // Process 0 builds both pages; a change behind the cache's back proves 1 and 2 then read its copies.
    const built = await stockOn(0);
    await db.execute("UPDATE products_product SET description = 'changed behind the cache' WHERE id = 24");
    for (const at of [1, 2]) expect((await read(at, detail)).text).toBe(built.detail.text);
    const etag = built.detail.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect((await read(1, detail, { "If-None-Match": etag })).status).toBe(304);

    // 1. A product PATCH through process 0: processes 1 and 2 answer the new stock at once.
    const admin = await login("admin", 0, writer);
    const patched = await call(port(0), detail, {
      method: "PATCH",
      headers: { Authorization: `Token ${admin}` },
      body: { stock: 77 },
      client: writer,
    });
    expect(patched.status).toBe(200);
    for (const at of [1, 2]) {
      const seen = await stockOn(at);
      expect([seen.stock, seen.listed]).toEqual([77, 77]);
      expect(seen.detail.json.description).toBe("changed behind the cache");
    }
    const revalidated = await read(2, detail, { "If-None-Match": etag });
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.etag).not.toBe(etag);

    // 2. An order through process 1 (stock moves by an UPDATE, no signal): 2 and 0 see it.
    const customer = await login("margaret16", 1, writer);
    const order = await call(port(1), "/api/v1/orders/", {
      method: "POST",
      headers: { Authorization: `Token ${customer}` },
      body: { items: [{ product: 24, quantity: 2 }] },
      client: writer,
    });
    expect(order.status).toBe(201);
    for (const at of [2, 0]) {
      const seen = await stockOn(at);
      expect([seen.stock, seen.listed]).toEqual([75, 75]);
    }

    // 3. A review through process 2: the detail's reviews and the v2 rating summary on 0 and 1.
    const reviewer = await login("guido5", 2, writer);
    const review = await call(port(2), "/api/v1/products/24/add-review/", {
      method: "POST",
      headers: { Authorization: `Token ${reviewer}` },
      body: { rating: 3, comment: "from process 2" },
      client: writer,
    });
    expect(review.status).toBe(201);
    const pages: Reply[] = [];
    for (const at of [0, 1]) {
      const seen = await stockOn(at);
      expect(seen.detail.json.reviews.map((r: { comment: string }) => r.comment)).toContain("from process 2");
      expect(seen.detail.json.average_rating).toBe(3);
      expect(seen.item).toMatchObject({ review_count: 1, average_rating: 3 });
      pages.push(seen.detail);
    }
    // And every process serves the same bytes (one shared copy, identical to a fresh render).
    expect(pages[1]!.text).toBe(pages[0]!.text);
    expect(pages[0]!.headers.etag).toBe(pages[1]!.headers.etag);
  });

  it("stop gracefully on SIGTERM", async () => {
    const all = [...servers, sessionApp!];
    const codes = await Promise.all(all.map((s) => stop(s)));
    expect(codes).toEqual([0, 0, 0, 0]);
    for (const s of all) expect(s.output()).not.toMatch(/Error|error/);
  });
});
