// 50 simultaneous orders over real HTTP for a product with 20 units sell
// exactly 20: stock never goes below zero and every refusal changes nothing.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderItem } from "../src/orders/models.js";
import { Product } from "../src/products/models.js";
import { createTestShop, PASSWORD, type TestShop } from "./setup.js";

let t: TestShop;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = await createTestShop();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.shop.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function login(username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/token/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("concurrent orders never oversell", () => {
  it("50 simultaneous orders for the last 20 units sell exactly 20", async () => {
    await Product.objects.filter({ pk: 1 }).update({ stock: 20 });
    const ordersBefore = await Order.objects.count();
    const tokens = await Promise.all(["margaret16", "guido5", "admin", "manager"].map(login));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/api/v1/orders/`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: `Token ${tokens[i % tokens.length]}`,
          },
          body: JSON.stringify({ items: [{ product: 1, quantity: 1 }] }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 400);
    expect(created).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of refused) {
      expect(r.body.detail).toBe("Not enough stock for product 1: 0 available, 1 requested.");
    }
    const product = await Product.objects.get({ pk: 1 });
    expect(product.stock).toBe(0);
    expect(await Order.objects.count()).toBe(ordersBefore + 20);
    const sold = await OrderItem.objects.filter({ product: 1, order__id__gt: 200 }).count();
    expect(sold).toBe(20);
    // A refused order uses up no order id (its stock check runs before the insert).
    const ids = created.map((r) => r.body.id as number).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => 201 + i));
  });
});
