// OWASP API3:2023 Broken Object Property Level Authorization: fields a client
// must not set (is_staff, is_superuser, an order's user/status/prices, a
// product's created_by/is_deleted, a review's author) are ignored on every write,
// and no response of a crawl of the API shows a password hash, a token, the
// secret key or an internal field.
import type { APIClient, TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderItem } from "../../src/orders/models.js";
import { Product, Review } from "../../src/products/models.js";
import { auth, Profile, User } from "../../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "../setup.js";
import { TEST_SECRET } from "./helpers.js";

let t: TestShop;
let customer: APIClient;
let manager: APIClient;
let admin: APIClient;

beforeAll(async () => {
  t = await createTestShop();
  customer = await tokenClient(t, "margaret16");
  manager = await tokenClient(t, "manager");
  admin = await tokenClient(t, "admin");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("API3: mass assignment is ignored", () => {
  it("registration cannot make a staff member, a superuser, an inactive user or pick an id or groups", async () => {
    const res = await t.client().post("/api/v1/users/", {
      username: "mallory",
      email: "mallory@example.com",
      password: "a-long-password",
      is_staff: true,
      is_superuser: true,
      is_active: false,
      id: 1,
      groups: [1],
      user_permissions: [1, 2, 3],
      last_login: "2020-01-01T00:00:00Z",
      date_joined: "2000-01-01T00:00:00Z",
    });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys(res.data as object).sort()).toEqual([
      "email",
      "first_name",
      "id",
      "last_name",
      "username",
    ]);
    const user = await User.objects.get({ username: "mallory" });
    expect(user.pk).not.toBe(1);
    expect(user.is_staff).toBe(false);
    expect(user.is_superuser).toBe(false);
    expect(user.is_active).toBe(true);
    expect(user.last_login).toBeNull();
    expect(new Date(user.date_joined as Date).getFullYear()).toBeGreaterThan(2000);
    expect(await User.objects.filter({ pk: user.pk, groups: 1 }).exists()).toBe(false);
    const mallory = await tokenClient(t, "mallory").catch(() => null);
    expect(mallory).toBeNull(); // her password is "a-long-password", not the fixture's
    const login = await t
      .client()
      .post("/api/v1/auth/jwt/", { username: "mallory", password: "a-long-password" });
    expect(login.status).toBe(200);
    const staffOnly = await t
      .client()
      .credentials({ Authorization: `Bearer ${(login.data as { access: string }).access}` })
      .patch("/api/v1/orders/1/", { status: "cancelled" });
    expect(staffOnly.status).toBe(403);
  });

  it("/users/me/ cannot raise privileges, rename, deactivate or change the password", async () => {
    const before = await User.objects.get({ pk: 16 });
    const res = await customer.patch("/api/v1/users/me/", {
      is_staff: true,
      is_superuser: true,
      is_active: false,
      username: "admin2",
      id: 1,
      password: "brand-new-password",
      groups: [1],
      profile: { bio: "changed", avatar: "avatars/evil.png", user: 1 },
    });
    expect(res.status, res.text).toBe(200);
    const after = await User.objects.get({ pk: 16 });
    expect([after.username, after.is_staff, after.is_superuser, after.is_active, after.password]).toEqual([
      before.username,
      false,
      false,
      true,
      before.password,
    ]);
    expect(await User.objects.filter({ pk: 16, groups: 1 }).exists()).toBe(false);
    const profile = await Profile.objects.get({ user: 16 });
    expect(profile.bio).toBe("changed");
    expect(profile.avatar).not.toBe("avatars/evil.png");
    expect((await Profile.objects.get({ user: 1 })).bio).not.toBe("changed");
    const old = await t.client().post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD });
    expect(old.status).toBe(200);
  });

  it("an order's user, status, prices and totals come from the server, not the body", async () => {
    await Product.objects.filter({ pk: 30 }).update({ stock: 10, discount_percentage: 0, price: "40.00" });
    const res = await customer.post("/api/v1/orders/", {
      user: 1,
      status: "completed",
      total_amount: "0.01",
      created_at: "2000-01-01T00:00:00Z",
      id: 1,
      items: [{ product: 30, quantity: 2, price: "0.01", subtotal: "0.01", product_name: "free", id: 1 }],
    });
    expect(res.status, res.text).toBe(201);
    const body = res.data as { id: number; user: string; status: string; total_amount: string };
    expect(body).toMatchObject({ user: "margaret16", status: "pending", total_amount: "80.00" });
    expect(body.id).not.toBe(1);
    const order = await Order.objects.get({ pk: body.id });
    expect([order.user_id, order.status]).toEqual([16, "pending"]);
    expect(new Date(order.created_at as Date).getFullYear()).toBeGreaterThan(2000);
    expect(
      await OrderItem.objects.filter({ order: body.id }).values("product_id", "quantity", "price"),
    ).toEqual([{ product_id: 30, quantity: 2, price: "40.00" }]);
    expect((await Order.objects.get({ pk: 1 })).user_id).toBe(8);
  });

  it("staff PATCH of an order changes its status only", async () => {
    const created = await customer.post("/api/v1/orders/", { items: [{ product: 30, quantity: 1 }] });
    const id = (created.data as { id: number }).id;
    const items = await OrderItem.objects.filter({ order: id }).values("product_id", "quantity", "price");
    const res = await admin.patch(`/api/v1/orders/${id}/`, {
      status: "processing",
      user: 1,
      items: [{ product: 31, quantity: 100, price: "0.01" }],
      total_amount: "0.01",
    });
    expect(res.status, res.text).toBe(200);
    const order = await Order.objects.get({ pk: id });
    expect([order.status, order.user_id]).toEqual(["processing", 16]);
    expect(await OrderItem.objects.filter({ order: id }).values("product_id", "quantity", "price")).toEqual(
      items,
    );
  });

  it("a product's created_by, is_deleted, favorites and timestamps are not writable", async () => {
    const res = await manager.post("/api/v1/products/", {
      name: "Mass Assigned Lamp",
      slug: "mass-assigned-lamp",
      price: "10.00",
      cost: "5.00",
      category: "electronics",
      created_by: 1,
      is_deleted: true,
      deleted_at: "2020-01-01T00:00:00Z",
      favorited_by: [1, 16],
      created_at: "2000-01-01T00:00:00Z",
      id: 1,
    });
    expect(res.status, res.text).toBe(201);
    const id = (res.data as { id: number }).id;
    expect(id).not.toBe(1);
    const product = await Product.objects.get({ pk: id });
    expect([product.created_by_id, product.is_deleted, product.deleted_at]).toEqual([2, false, null]);
    expect(new Date(product.created_at as Date).getFullYear()).toBeGreaterThan(2000);
    expect(await Product.objects.filter({ favorited_by: 16 }).filter({ pk: id }).exists()).toBe(false);
    expect((await t.client().get(`/api/v1/products/${id}/`)).status).toBe(200);

    const patch = await manager.patch(`/api/v1/products/${id}/`, {
      is_deleted: true,
      created_by: 1,
      stock: 4,
    });
    expect(patch.status, patch.text).toBe(200);
    const patched = await Product.objects.get({ pk: id });
    expect([patched.is_deleted, patched.created_by_id, patched.stock]).toEqual([false, 2, 4]);
  });

  it("a review's author and product come from the request, not the body", async () => {
    await Review.objects.filter({ product: 40, user: 16 }).delete();
    const res = await customer.post("/api/v1/products/40/add-review/", { rating: 5, user: 1, product: 41 });
    expect(res.status, res.text).toBe(201);
    const review = await Review.objects.get({ pk: (res.data as { id: number }).id });
    expect([review.user_id, review.product_id]).toEqual([16, 40]);
    const patch = await customer.patch(`/api/v1/reviews/${review.pk}/`, { user: 1, product: 41, rating: 3 });
    expect(patch.status, patch.text).toBe(200);
    const after = await Review.objects.get({ pk: review.pk });
    expect([after.user_id, after.product_id, after.rating]).toEqual([16, 40, 3]);
  });
});

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

describe("API3: no secrets or internal fields in any response", () => {
  it("a crawl of every read endpoint as anonymous, customer, manager and admin leaks nothing", async () => {
    const tokenKeys = (await auth.Token.objects.valuesList("key", { flat: true })) as string[];
    const hashes = (await User.objects.valuesList("password", { flat: true })) as string[];
    expect(tokenKeys.length).toBeGreaterThanOrEqual(3);
    const secrets = [TEST_SECRET, PASSWORD, ...tokenKeys, ...hashes.map((h) => h.split("$").at(-1) ?? h)];
    const forbiddenKeys = [
      "password",
      "is_superuser",
      "is_active",
      "is_deleted",
      "deleted_at",
      "created_by",
      "favorited_by",
      "cost",
      "last_login",
      "user_permissions",
      "groups",
      "key",
      "token",
    ];
    const paths: string[] = ["/healthz", "/api/schema/", "/api/docs/"];
    const order = await Order.objects.filter({ user: 16 }).first();
    for (const v of ["v1", "v2"]) {
      paths.push(
        `/api/${v}/`,
        `/api/${v}/categories/`,
        `/api/${v}/categories/electronics/`,
        `/api/${v}/categories/electronics/products/`,
        `/api/${v}/products/?page_size=100`,
        `/api/${v}/products/1/`,
        `/api/${v}/products/featured/`,
        `/api/${v}/products/1/reviews/`,
        `/api/${v}/reviews/?page_size=100`,
        `/api/${v}/reviews/1/`,
        `/api/${v}/orders/`,
        `/api/${v}/orders/${order?.pk}/`,
        `/api/${v}/orders/?cursor=bogus`,
        `/api/${v}/users/me/`,
        `/api/${v}/products/999999/`,
        `/api/${v}/products/?min_price=abc`,
        `/api/${v}/products/?page=999`,
      );
    }
    const clients: [string, APIClient][] = [
      ["anonymous", t.client()],
      ["customer", customer],
      ["manager", manager],
      ["admin", admin],
    ];
    let checked = 0;
    for (const [who, client] of clients) {
      for (const path of paths) {
        for (const res of [await client.get(path), await client.options(path)] as TestResponse[]) {
          const where = `${who} ${path}`;
          expect(res.status, `${where}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
          for (const s of secrets) expect(res.text.includes(s), `${where} shows a secret`).toBe(false);
          for (const marker of ["pbkdf2_sha256$", "scrypt$", "argon2", "bcrypt$"])
            expect(res.text, where).not.toContain(marker);
          expect(res.text, where).not.toMatch(/\n\s+at .+:\d+:\d+/);
          // The schema and OPTIONS describe write fields (password, cost): values are what matter there.
          if (path === "/api/schema/" || res.raw.headers.get("content-type")?.includes("html")) continue;
          if (
            res.raw.status === 200 &&
            res.status === 200 &&
            res.data &&
            !("actions" in (res.data as object))
          ) {
            const keys = keysOf(res.data);
            for (const k of forbiddenKeys) expect(keys.has(k), `${where} has "${k}"`).toBe(false);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  }, 120_000);

  it("write responses carry no hash, token or internal field either", async () => {
    const reg = await t.client().post("/api/v1/users/", {
      username: "writer",
      email: "writer@example.com",
      password: "writer-password-1",
    });
    expect(reg.status).toBe(201);
    expect(reg.text).not.toContain("writer-password-1");
    expect(keysOf(reg.data).has("password")).toBe(false);
    const me = await customer.patch("/api/v1/users/me/", { first_name: "M" });
    expect(keysOf(me.data).has("password")).toBe(false);
    const order = await customer.post("/api/v1/orders/", { items: [{ product: 30, quantity: 1 }] });
    const orderKeys = keysOf(order.data);
    for (const k of ["cost", "user_id", "is_deleted"]) expect(orderKeys.has(k), k).toBe(false);
    const product = await manager.patch("/api/v1/products/30/", { stock: 9 });
    const productKeys = keysOf(product.data);
    for (const k of ["created_by", "is_deleted", "deleted_at", "favorited_by"])
      expect(productKeys.has(k), k).toBe(false);
    const verify = await t.client().post("/api/v1/auth/jwt/verify/", { token: "x.y.z" });
    expect(verify.text).not.toContain(TEST_SECRET);
  });
});
