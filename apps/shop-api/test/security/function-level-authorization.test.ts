// OWASP API5:2023 Broken Function Level Authorization: staff-only and
// permission-guarded functions refuse customers (403) and anonymous clients
// (401), permissions come from the database (not from a token's claims or
// is_staff alone), method-override headers open nothing, and nothing changes.
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../../src/orders/models.js";
import { Product } from "../../src/products/models.js";
import { User } from "../../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "../setup.js";
import { jwtPair } from "./helpers.js";

let t: TestShop;
let customer: APIClient;
let manager: APIClient;
let orderId: number;
const FORBIDDEN = { detail: "You do not have permission to perform this action." };
const UNAUTHENTICATED = { detail: "Authentication credentials were not provided." };

const productBody = (slug: string) => ({
  name: `Fn ${slug}`,
  slug,
  price: "9.00",
  cost: "1.00",
  category: "books",
});

beforeAll(async () => {
  t = await createTestShop();
  customer = await tokenClient(t, "margaret16");
  manager = await tokenClient(t, "manager");
  await Product.objects.filter({ pk: 50 }).update({ stock: 20 });
  const order = await customer.post("/api/v1/orders/", { items: [{ product: 50, quantity: 1 }] });
  orderId = (order.data as { id: number }).id;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function productState(pk: number) {
  const p = await Product.objects.get({ pk });
  return [p.name, p.price, p.stock, p.is_deleted, String(p.updated_at)];
}

describe("API5: staff-only and permission-guarded functions", () => {
  it("customers get 403 and anonymous clients 401 on every product write; nothing changes", async () => {
    const before = { count: await Product.objects.count(), one: await productState(1) };
    const anon = t.client();
    const attempts: [APIClient, number, () => Promise<{ status: number; data: unknown }>][] = [];
    for (const [client, expected] of [
      [customer, 403],
      [anon, 401],
    ] as const) {
      attempts.push(
        [client, expected, () => client.post("/api/v1/products/", productBody("fn-new"))],
        [client, expected, () => client.put("/api/v1/products/1/", productBody("fn-put"))],
        [client, expected, () => client.patch("/api/v1/products/1/", { price: "0.01", stock: 0 })],
        [client, expected, () => client.delete("/api/v1/products/1/")],
      );
    }
    for (const [, expected, send] of attempts) {
      const res = await send();
      expect(res.status).toBe(expected);
      expect(res.data).toEqual(expected === 403 ? FORBIDDEN : UNAUTHENTICATED);
    }
    expect({ count: await Product.objects.count(), one: await productState(1) }).toEqual(before);
  });

  it("customers cannot change an order's status, even their own (403); anonymous 401", async () => {
    for (const status of ["completed", "processing", "cancelled"]) {
      const res = await customer.patch(`/api/v1/orders/${orderId}/`, { status });
      expect(res.status).toBe(403);
      expect(res.data).toEqual(FORBIDDEN);
    }
    const anon = await t.client().patch(`/api/v1/orders/${orderId}/`, { status: "completed" });
    expect(anon.status).toBe(401);
    expect((await Order.objects.get({ pk: orderId })).status).toBe("pending");
    const staff = await manager.patch(`/api/v1/orders/${orderId}/`, { status: "processing" });
    expect(staff.status).toBe(200);
  });

  it("is_staff alone does not grant the product model permissions", async () => {
    await User.objects.filter({ pk: 9 }).update({ is_staff: true });
    const staffOnly = await tokenClient(t, "linus9");
    const res = await staffOnly.post("/api/v1/products/", productBody("fn-staff"));
    expect(res.status).toBe(403);
    expect(await Product.objects.filter({ slug: "fn-staff" }).exists()).toBe(false);
    const allowed = await manager.post("/api/v1/products/", productBody("fn-manager"));
    expect(allowed.status, allowed.text).toBe(201);
  });

  it("a demoted user's old JWT (is_staff: true in its claims) no longer opens staff functions", async () => {
    await User.objects.filter({ pk: 10 }).update({ is_staff: true });
    const { access } = await jwtPair(t, "donald10", PASSWORD);
    const client = t.client().credentials({ Authorization: `Bearer ${access}` });
    expect((await client.get("/api/v1/users/me/")).data).toMatchObject({ is_staff: true });
    await User.objects.filter({ pk: 10 }).update({ is_staff: false });
    const res = await client.patch(`/api/v1/orders/${orderId}/`, { status: "completed" });
    expect(res.status).toBe(403);
    const list = (await client.get("/api/v1/orders/")).data as { results: { user: string }[] };
    expect(list.results.every((o) => o.user === "donald10")).toBe(true);
    expect((await Order.objects.get({ pk: orderId })).status).toBe("processing");
  });

  it("method-override headers and query parameters open nothing", async () => {
    const before = await productState(2);
    for (const header of ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"]) {
      const del = await customer.post("/api/v1/products/2/", undefined, { headers: { [header]: "DELETE" } });
      expect([401, 403, 405]).toContain(del.status);
      const patch = await customer.get("/api/v1/products/2/", { headers: { [header]: "PATCH" } });
      expect(patch.status).toBe(200);
    }
    const viaQuery = await customer.post("/api/v1/products/2/?_method=DELETE", {});
    expect([403, 405]).toContain(viaQuery.status);
    expect(await productState(2)).toEqual(before);
  });

  it("there is no user listing, and /users/me/ cannot be replaced or deleted", async () => {
    expect((await t.client().get("/api/v1/users/")).status).toBe(405);
    expect((await customer.get("/api/v1/users/")).status).toBe(405);
    expect((await customer.get("/api/v1/users/1/")).status).toBe(404);
    expect((await customer.delete("/api/v1/users/me/")).status).toBe(405);
    expect((await customer.put("/api/v1/users/me/", { username: "x" })).status).toBe(405);
    expect(await User.objects.filter({ pk: 16, username: "margaret16", is_active: true }).exists()).toBe(
      true,
    );
  });
});
