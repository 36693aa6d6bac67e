// OWASP API4:2023 Unrestricted Resource Consumption, the rate limits: with low
// rates, the anonymous, user and login (scope "auth") throttles answer DRF's
// 429 with Retry-After, a spoofed X-Forwarded-For does not reset them, and
// login brute force is cut off whatever the password.
import { APIClient, type TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../../src/orders/models.js";
import { createTestShop, PASSWORD, type TestShop } from "../setup.js";

let t: TestShop;

beforeAll(async () => {
  t = await createTestShop({ THROTTLE_ANON: "3/min", THROTTLE_USER: "5/min", THROTTLE_AUTH: "2/min" });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** A client from its own address, so each test starts with a fresh anonymous budget. */
const from = (address: string) => new APIClient(t.shop.app, { remoteAddr: address });

function expectThrottled(res: TestResponse): void {
  expect(res.status).toBe(429);
  const wait = Number(res.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(60);
  const unit = wait === 1 ? "second" : "seconds";
  expect(res.data).toEqual({ detail: `Request was throttled. Expected available in ${wait} ${unit}.` });
}

describe("API4: throttles", () => {
  it("anonymous clients get 3 requests a minute, then 429", async () => {
    const client = from("10.0.0.1");
    for (let i = 0; i < 3; i++) expect((await client.get("/api/v1/products/")).status).toBe(200);
    expectThrottled(await client.get("/api/v1/products/"));
    expectThrottled(await client.get("/api/v1/categories/"));
    expect((await from("10.0.0.2").get("/api/v1/products/")).status).toBe(200);
  });

  it("a spoofed X-Forwarded-For does not buy a new budget (no trusted proxies)", async () => {
    const client = from("10.0.0.3");
    for (let i = 0; i < 3; i++) {
      const res = await client.get("/api/v1/products/", { headers: { "X-Forwarded-For": `192.0.2.${i}` } });
      expect(res.status).toBe(200);
    }
    for (const spoof of ["192.0.2.99", "10.0.0.4", "1.1.1.1, 10.0.0.3"]) {
      expectThrottled(await client.get("/api/v1/products/", { headers: { "X-Forwarded-For": spoof } }));
    }
  });

  it("refused authentication does not count, as in DRF (throttles run after it)", async () => {
    const client = from("10.0.0.5");
    for (let i = 0; i < 5; i++) expect((await client.get("/api/v1/users/me/")).status).toBe(401);
    expect((await client.get("/api/v1/products/")).status).toBe(200);
  });

  it("login attempts are throttled by scope: brute force stops after 2 a minute, right or wrong", async () => {
    const client = from("10.0.0.6");
    const wrong = { username: "margaret16", password: "guess-number-1" };
    expect((await client.post("/api/v1/auth/jwt/", wrong)).status).toBe(401);
    expect((await client.post("/api/v1/auth/token/", wrong)).status).toBe(400);
    expectThrottled(await client.post("/api/v1/auth/jwt/", wrong));
    expectThrottled(await client.post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD }));
    expectThrottled(await client.post("/api/v1/auth/token/", { username: "margaret16", password: PASSWORD }));
  });

  it("authenticated users are throttled by user id, wherever they come from", async () => {
    const login = await from("10.0.0.7").post("/api/v1/auth/jwt/", {
      username: "grace6",
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const header = { Authorization: `Bearer ${(login.data as { access: string }).access}` };
    for (let i = 0; i < 5; i++) {
      const res = await from(`10.0.1.${i}`).get("/api/v1/users/me/", { headers: header });
      expect(res.status).toBe(200);
    }
    expectThrottled(await from("10.0.1.99").get("/api/v1/users/me/", { headers: header }));
    const orders = await Order.objects.count();
    const order = { items: [{ product: 1, quantity: 1 }] };
    expectThrottled(await from("10.0.1.98").post("/api/v1/orders/", order, { headers: header }));
    expect(await Order.objects.count()).toBe(orders);
  });
});
