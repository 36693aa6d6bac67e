// Before anything is timed, both servers must answer every benchmarked request
// with the same status and the same bytes: otherwise the comparison is meaningless.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseKind, prepareDatabase } from "../src/prepare.js";
import { READ_REQUESTS, send } from "../src/requests.js";
import { type RunningServer, startBaseline, startShopApi } from "../src/servers.js";

const db: DatabaseKind = process.env.TEST_DB === "postgres" ? "postgres" : "sqlite";

describe(`baseline and shop-api answer alike (${db})`, () => {
  let shop: RunningServer;
  let baseline: RunningServer;

  beforeAll(async () => {
    const url = await prepareDatabase({ db, scale: 1, label: "test", fresh: true });
    [shop, baseline] = await Promise.all([startShopApi(url), startBaseline(url)]);
  });
  afterAll(async () => {
    await Promise.all([shop?.stop(), baseline?.stop()]);
  });

  for (const req of READ_REQUESTS) {
    it(`${req.method} ${req.path} (${req.name})`, async () => {
      const [a, b] = await Promise.all([send(shop.origin, req), send(baseline.origin, req)]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(a.status);
      expect(b.contentType).toBe(a.contentType);
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
});
