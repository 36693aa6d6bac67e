// OWASP API8:2023 Security Misconfiguration: hardening headers on every kind of
// response, no stack traces or SQL in a 500, CORS closed to foreign origins,
// and production settings that refuse to start without a SECRET_KEY and never
// run with DEBUG on.
import type { APIClient, TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/settings/env.js";
import { createTestShop, type TestShop, tokenClient } from "../setup.js";

let t: TestShop;
let customer: APIClient;

beforeAll(async () => {
  t = await createTestShop();
  customer = await tokenClient(t, "margaret16");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const HARDENING: Record<string, string | RegExp> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": /^(DENY|SAMEORIGIN)$/,
  "referrer-policy": /no-referrer|same-origin|strict-origin/,
  "strict-transport-security": /max-age=\d{6,}/,
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "x-permitted-cross-domain-policies": "none",
};

function expectHardened(res: TestResponse, where: string): void {
  for (const [name, expected] of Object.entries(HARDENING)) {
    const value = res.headers.get(name);
    expect(value, `${where}: ${name}`).not.toBeNull();
    if (typeof expected === "string") expect(value, `${where}: ${name}`).toBe(expected);
    else expect(value, `${where}: ${name}`).toMatch(expected);
  }
  expect(res.headers.get("x-powered-by"), where).toBeNull();
  expect(res.headers.get("server"), where).toBeNull();
  // Left out as Django leaves them out: inert in current browsers, or for HTML documents alone.
  for (const name of OMITTED) expect(res.headers.get(name), `${where}: ${name}`).toBeNull();
}

const OMITTED = ["x-xss-protection", "x-download-options", "x-dns-prefetch-control", "origin-agent-cluster"];

describe("API8: headers", () => {
  it("every kind of response carries the hardening headers", async () => {
    const anon = t.client();
    const cases: [string, Promise<TestResponse>][] = [
      ["200 list", anon.get("/api/v1/products/")],
      ["200 me", customer.get("/api/v1/users/me/")],
      ["201 create", customer.post("/api/v1/orders/", { items: [{ product: 1, quantity: 1 }] })],
      ["400 validation", customer.post("/api/v1/orders/", { items: [] })],
      ["401", anon.get("/api/v1/users/me/")],
      ["403", customer.delete("/api/v1/products/1/")],
      ["404 api", anon.get("/api/v1/products/999999/")],
      ["404 unmatched", anon.get("/nothing-here/")],
      ["405", anon.get("/api/v1/users/")],
      ["415", customer.post("/api/v1/orders/", "x", { contentType: "text/plain" })],
      ["OPTIONS", anon.options("/api/v1/products/")],
      ["healthz", anon.get("/healthz")],
      ["schema", anon.get("/api/schema/")],
      ["docs", anon.get("/api/docs/")],
    ];
    for (const [where, pending] of cases) expectHardened(await pending, where);
  });

  it("JSON answers say so, so a browser never sniffs them as HTML", async () => {
    const res = await t.client().get("/api/v1/products/?search=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const err = await t.client().get("/api/v1/products/?min_price=%3Cscript%3E");
    expect(err.status).toBe(400);
    expect(err.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("API8: errors", () => {
  it("a server error answers DRF's generic 500 with no stack trace, SQL or table names", async () => {
    // A real fault: the reviews table disappears under the service (restored afterwards).
    await t.tdb.db.execute('ALTER TABLE "products_review" RENAME TO "products_review_gone"');
    let res: TestResponse;
    try {
      res = await t.client().get("/api/v1/reviews/");
    } finally {
      await t.tdb.db.execute('ALTER TABLE "products_review_gone" RENAME TO "products_review"');
    }
    expect(res.status).toBe(500);
    expect(res.data).toEqual({ detail: "A server error occurred." });
    for (const leak of [
      "products_review",
      "SELECT",
      "at ",
      "Error",
      ".ts",
      "node_modules",
      "sqlite",
      "relation",
    ])
      expect(res.text, leak).not.toContain(leak);
    expectHardened(res, "500");
    expect((await t.client().get("/api/v1/reviews/")).status).toBe(200);
  });

  it("client errors carry no internals either", async () => {
    for (const res of [
      await t.client().post("/api/v1/users/", "{bad json", { contentType: "application/json" }),
      await t.client().get("/api/v1/products/?min_price=abc"),
      await customer.post("/api/v1/orders/", { items: [{ product: "1; DROP TABLE x", quantity: 1 }] }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|SELECT |SqliteError|syntax error at/);
    }
  });
});

describe("API8: CORS is closed by default", () => {
  it("a foreign origin gets no Access-Control-Allow-* headers, simple or preflight", async () => {
    const origin = { Origin: "https://evil.example" };
    const simple = await customer.get("/api/v1/users/me/", { headers: origin });
    const preflight = await t.client().options("/api/v1/orders/", {
      headers: {
        ...origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    const write = await customer.post(
      "/api/v1/orders/",
      { items: [{ product: 1, quantity: 1 }] },
      { headers: origin },
    );
    for (const res of [simple, preflight, write]) {
      for (const name of [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
        "access-control-allow-headers",
      ])
        expect(res.headers.get(name), name).toBeNull();
    }
  });
});

describe("API8: production settings", () => {
  it("production refuses to start without a SECRET_KEY", () => {
    expect(() => readConfig({ APP_ENV: "production" })).toThrow(ConfigError);
    expect(() => readConfig({ APP_ENV: "production", SECRET_KEY: "" })).toThrow(/SECRET_KEY is required/);
  });

  it("production never runs with DEBUG on, whatever the environment says", () => {
    for (const DEBUG of [undefined, "1", "true", "True"]) {
      const env: Record<string, string> = { APP_ENV: "production", SECRET_KEY: "a-production-secret" };
      if (DEBUG !== undefined) env.DEBUG = DEBUG;
      const config = readConfig(env);
      expect(config.debug, String(DEBUG)).toBe(false);
      expect(config.secretKey).toBe("a-production-secret");
      expect(config.logLevel).not.toBe("debug");
    }
    expect(readConfig({ APP_ENV: "testing" }).debug).toBe(false);
  });

  it("without SECRET_KEY outside production, each start gets its own random key (never a shared default)", () => {
    const a = readConfig({ APP_ENV: "development" });
    const b = readConfig({ APP_ENV: "development" });
    expect(a.secretKey).not.toBe(b.secretKey);
    expect(a.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(a.warnings.join(" ")).toMatch(/SECRET_KEY/);
    expect(readConfig({}).throttleRates).toEqual({ anon: "1000/hour", user: "10000/hour", auth: "20/min" });
  });

  it("bad throttle rates stop startup instead of silently disabling throttling", () => {
    for (const THROTTLE_ANON of ["lots", "10/fortnight", "-1/min", "1e3/min"])
      expect(() => readConfig({ THROTTLE_ANON }), THROTTLE_ANON).toThrow(ConfigError);
  });
});
