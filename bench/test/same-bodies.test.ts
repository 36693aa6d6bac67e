// Before anything is timed, both servers must answer every benchmarked request
// with the same status and the same bytes: otherwise the comparison is meaningless.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseKind, dropDatabase, prepareDatabase, readStock } from "../src/prepare.js";
import {
  type Answer,
  comparable,
  comparableHead,
  ORDER_PRODUCT,
  ORDER_REQUEST,
  obtainAccessToken,
  READ_REQUESTS,
  send,
} from "../src/requests.js";
import { type RunningServer, startBaseline, startShopApi } from "../src/servers.js";

const db: DatabaseKind = process.env.TEST_DB === "postgres" ? "postgres" : "sqlite";

describe(`baseline and shop-api answer alike (${db})`, () => {
  let shop: RunningServer;
  let baseline: RunningServer;
  let url: string;

  beforeAll(async () => {
    // Its own database per test process (the benchmark runs reuse theirs), dropped afterwards.
    url = await prepareDatabase({ db, scale: 1, label: `test-${process.pid}`, fresh: true });
    [shop, baseline] = await Promise.all([startShopApi(url), startBaseline(url)]);
  });
  afterAll(async () => {
    await Promise.all([shop?.stop(), baseline?.stop()]);
    if (url) await dropDatabase(url);
  });

  for (const req of READ_REQUESTS) {
    it(`${req.method} ${req.path} (${req.name})`, async () => {
      const [a, b] = await Promise.all([send(shop.origin, req), send(baseline.origin, req)]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(a.status);
      expect(b.headers["content-type"]).toBe(a.headers["content-type"]);
      expect(comparableHead(b.headers)).toBe(comparableHead(a.headers));
      expect(b.body).toBe(a.body);
      // A body that is the same because both are empty would prove nothing.
      expect(JSON.parse(a.body)).toBeTypeOf("object");
      expect(a.body.length).toBeGreaterThan(100);
    });
  }

  it("the detail reads reviews with their authors and the rounded average", async () => {
    const a = JSON.parse(
      (await send(shop.origin, { name: "", method: "GET", path: "/api/v1/products/7/" })).body,
    );
    expect(a.reviews.length).toBeGreaterThan(1);
    expect(typeof a.reviews[0].user).toBe("string");
    expect(typeof a.average_rating).toBe("number");
  });

  it("the paginated list links other pages with the query parameters sorted", async () => {
    const req = {
      name: "",
      method: "GET" as const,
      path: "/api/v1/products/?page=2&search=e&ordering=-price",
    };
    const [a, b] = await Promise.all([send(shop.origin, req), send(baseline.origin, req)]);
    expect(b.body).toBe(a.body);
    expect(JSON.parse(a.body).next).toBe(
      "http://shop.bench/api/v1/products/?ordering=-price&page=3&search=e",
    );
  });

  it("order creation: same order from both, stock taken by each", async () => {
    const token = await obtainAccessToken(shop.origin);
    const auth = { authorization: `Bearer ${token}` };
    const before = await readStock(url, ORDER_PRODUCT);
    const a = await send(shop.origin, ORDER_REQUEST, auth);
    const b = await send(baseline.origin, ORDER_REQUEST, auth);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(comparableHead(b.headers)).toBe(comparableHead(a.headers));
    expect(comparable(ORDER_REQUEST, b.body)).toBe(comparable(ORDER_REQUEST, a.body));
    const [orderA, orderB] = [JSON.parse(a.body), JSON.parse(b.body)];
    expect(orderB.id).toBe(orderA.id + 1);
    expect(orderA.items[0]).toMatchObject({ product: ORDER_PRODUCT, quantity: 1 });
    expect(comparable(ORDER_REQUEST, a.body)).toContain('"id":"<number>"');
    expect(await readStock(url, ORDER_PRODUCT)).toBe(before - 2);
  });

  it("order creation: both refuse what the stock cannot cover, and anonymous clients", async () => {
    const token = await obtainAccessToken(shop.origin);
    const auth = { authorization: `Bearer ${token}` };
    const tooMany = {
      ...ORDER_REQUEST,
      body: JSON.stringify({ items: [{ product: ORDER_PRODUCT, quantity: 100000 }] }),
    };
    const [a, b] = await Promise.all([
      send(shop.origin, tooMany, auth),
      send(baseline.origin, tooMany, auth),
    ]);
    expect(a.status).toBe(400);
    expect(b.status).toBe(400);
    expect(b.body).toBe(a.body);
    const anonymous = { ...ORDER_REQUEST, authenticated: false };
    const [c, d] = await Promise.all([send(shop.origin, anonymous), send(baseline.origin, anonymous)]);
    expect(c.status).toBe(401);
    expect(d.body).toBe(c.body);
    expect(comparableHead(d.headers)).toBe(comparableHead(c.headers));
  });

  it("the same head: hardening headers, a request id (the client's plain one kept), the ETag", async () => {
    const req = READ_REQUESTS.find((r) => r.name === "product detail") as (typeof READ_REQUESTS)[number];
    const [a, b] = await Promise.all([send(shop.origin, req), send(baseline.origin, req)]);
    // Not equal because both lack them: the head the timing compares is the full one.
    expect(a.headers["x-content-type-options"]).toBe("nosniff");
    expect(a.headers.allow).toBe("GET, PUT, PATCH, DELETE, HEAD, OPTIONS");
    expect(a.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(b.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const own = { "x-request-id": "trace-42" };
    const [c, d] = await Promise.all([send(shop.origin, req, own), send(baseline.origin, req, own)]);
    expect([c.headers["x-request-id"], d.headers["x-request-id"]]).toEqual(["trace-42", "trace-42"]);
  });

  describe("the contract's throttles, on both (THROTTLE_ANON=4/min, THROTTLE_USER=3/min)", () => {
    let throttledShop: RunningServer;
    let throttledBase: RunningServer;
    beforeAll(async () => {
      const throttleRates = { anon: "4/min", user: "3/min" };
      [throttledShop, throttledBase] = await Promise.all([
        startShopApi(url, [], { throttleRates }),
        startBaseline(url, [], { throttleRates }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([throttledShop?.stop(), throttledBase?.stop()]);
    });

    it("an anonymous client counts by address in the anon and the user window: the same 429s", async () => {
      // The token first, from the unthrottled pair: the JWT endpoint counts in the anon window too.
      const token = await obtainAccessToken(shop.origin);
      const root = READ_REQUESTS.find((r) => r.name === "api root") as (typeof READ_REQUESTS)[number];
      const answers = { shop: [] as Answer[], base: [] as Answer[] };
      for (let i = 0; i < 5; i++) {
        answers.shop.push(await send(throttledShop.origin, root));
        answers.base.push(await send(throttledBase.origin, root));
      }
      // The 4th is admitted by the anon window (4/min) and refused by the user window (3/min, by
      // address for an anonymous client); the 5th by both. A refused hit is not recorded.
      expect(answers.shop.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
      expect(answers.base.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
      for (const i of [3, 4]) {
        const [a, b] = [answers.shop[i] as Answer, answers.base[i] as Answer];
        expect(JSON.parse(a.body)).toEqual({
          detail: "Request was throttled. Expected available in 60 seconds.",
        });
        expect(a.headers["retry-after"]).toBe("60");
        expect(b.body).toBe(a.body);
        expect(comparableHead(b.headers)).toBe(comparableHead(a.headers));
      }
      // An authenticated client is counted by its user id: the address's full windows do not apply.
      const auth = { authorization: `Bearer ${token}` };
      const [c, d] = await Promise.all([
        send(throttledShop.origin, ORDER_REQUEST, auth),
        send(throttledBase.origin, ORDER_REQUEST, auth),
      ]);
      expect([c.status, d.status]).toEqual([201, 201]);
    });
  });

  it("a product response the client has is a 304 from both, with the same head", async () => {
    for (const req of READ_REQUESTS.filter((r) => r.path.startsWith("/api/v1/products/"))) {
      const etag = String((await send(shop.origin, req)).headers.etag);
      const weak = { "if-none-match": `"other", W/${etag}` };
      const [a, b] = await Promise.all([send(shop.origin, req, weak), send(baseline.origin, req, weak)]);
      expect(a.status).toBe(304);
      expect(b.status).toBe(304);
      expect(b.body).toBe("");
      expect(a.headers["content-type"]).toBeUndefined();
      expect(comparableHead(b.headers)).toBe(comparableHead(a.headers));
    }
  });
});
