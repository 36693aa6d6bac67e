// Races an attacker can start with parallel requests (OWASP API2 token replay and
// API6 business flows): one refresh token raced six times rotates once, and
// parallel duplicate writes (the same review, the same username, a cancel) take
// effect once, with 4xx answers for the rest and never a 5xx.
import type { TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../../src/orders/models.js";
import { Product, Review } from "../../src/products/models.js";
import { User } from "../../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "../setup.js";
import { isDrfErrorBody, jwtPair } from "./helpers.js";

let t: TestShop;

beforeAll(async () => {
  t = await createTestShop();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const race = <T>(n: number, send: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, send));

function statusesOf(responses: TestResponse[]): number[] {
  for (const res of responses) {
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status >= 400) expect(isDrfErrorBody(res.data), res.text).toBe(true);
  }
  return responses.map((r) => r.status).sort();
}

describe("races", () => {
  it("a refresh token raced six times rotates exactly once", async () => {
    const { refresh } = await jwtPair(t, "grace19", PASSWORD);
    const answers = await race(6, () => t.client().post("/api/v1/auth/jwt/refresh/", { refresh }));
    expect(statusesOf(answers)).toEqual([200, 401, 401, 401, 401, 401]);
    for (const res of answers.filter((r) => r.status === 401))
      expect(res.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
  });

  it("the same review posted six times at once is stored once", async () => {
    const client = await tokenClient(t, "margaret16");
    await Review.objects.filter({ product: 60, user: 16 }).delete();
    const answers = await race(6, () => client.post("/api/v1/products/60/add-review/", { rating: 3 }));
    expect(statusesOf(answers)).toEqual([201, 400, 400, 400, 400, 400]);
    for (const res of answers.filter((r) => r.status === 400))
      expect(res.data).toEqual({ detail: "You have already reviewed this product." });
    expect(await Review.objects.filter({ product: 60, user: 16 }).count()).toBe(1);
  });

  it("the same username registered six times at once makes one account", async () => {
    const body = { username: "racer", email: "racer@example.com", password: "racer-password-1" };
    const answers = await race(6, () => t.client().post("/api/v1/users/", body));
    expect(statusesOf(answers)).toEqual([201, 400, 400, 400, 400, 400]);
    for (const res of answers.filter((r) => r.status === 400))
      expect(res.data).toEqual({ username: ["A user with that username already exists."] });
    expect(await User.objects.filter({ username: "racer" }).count()).toBe(1);
  });

  it("a product favorited six times at once answers 200 each time and is stored once", async () => {
    const client = await tokenClient(t, "margaret16");
    await client.post("/api/v1/products/64/unfavorite/");
    const answers = await race(6, () => client.post("/api/v1/products/64/favorite/"));
    expect(statusesOf(answers)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const res of answers) expect(res.data).toEqual({ status: "product favorited" });
    expect(await Product.objects.filter({ pk: 64, favorited_by: 16 }).count()).toBe(1);
  });

  it("an order cancelled six times at once gives its stock back once", async () => {
    const client = await tokenClient(t, "ada22");
    await Product.objects.filter({ pk: 70 }).update({ stock: 10 });
    const order = await client.post("/api/v1/orders/", { items: [{ product: 70, quantity: 4 }] });
    expect(order.status).toBe(201);
    const id = (order.data as { id: number }).id;
    const answers = await race(6, () => client.post(`/api/v1/orders/${id}/cancel/`));
    expect(statusesOf(answers)).toEqual([200, 400, 400, 400, 400, 400]);
    expect((await Product.objects.get({ pk: 70 })).stock).toBe(10);
    expect((await Order.objects.get({ pk: id })).status).toBe("cancelled");
  });
});
