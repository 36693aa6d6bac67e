// Contract rules beyond the recorded sample (CONTRACT.md), through the
// in-process client from the fixture, with the database state checked after
// writes and after refused writes.
import { decimal } from "@x/models";
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../src/orders/models.js";
import { Product } from "../src/products/models.js";
import { Profile, User } from "../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "./setup.js";

let t: TestShop;
let manager: APIClient;
let customer: APIClient;
let admin: APIClient;
beforeAll(async () => {
  t = await createTestShop();
  manager = await tokenClient(t, "manager");
  customer = await tokenClient(t, "margaret16");
  admin = await tokenClient(t, "admin");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("general rules", () => {
  it("HEAD works wherever GET does, without a body", async () => {
    const res = await t.shop.app.request("http://testserver/api/v1/products/1/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("OPTIONS shows the write shape to a user who may write", async () => {
    const res = await manager.options("/api/v1/products/");
    expect(res.status).toBe(200);
    const body = res.data as { actions: { POST: Record<string, { required: boolean; read_only: boolean }> } };
    expect(Object.keys(body.actions.POST).sort()).toEqual(
      [
        "category",
        "cost",
        "description",
        "discount_percentage",
        "id",
        "is_featured",
        "metadata",
        "name",
        "price",
        "slug",
        "stock",
        "tags",
      ].sort(),
    );
    expect(body.actions.POST.name?.required).toBe(true);
    expect(body.actions.POST.id?.read_only).toBe(true);
  });

  it("malformed JSON is a 400 parse error, other media types 415", async () => {
    const bad = await t.shop.app.request("http://testserver/api/v1/users/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"username": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^JSON parse error - /);
    const xml = await t.shop.app.request("http://testserver/api/v1/users/", {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body: "<user/>",
    });
    expect(xml.status).toBe(415);
  });

  it("responses carry a request id and no internals on errors", async () => {
    const res = await t.client().get("/api/v1/products/999999/");
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ detail: "Not found." });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("healthz answers ok when the database answers", async () => {
    const res = await t.client().get("/healthz");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: "ok" });
  });
});

describe("users", () => {
  it("registers a user with a profile; the password is write-only and hashed", async () => {
    const res = await t.client().post("/api/v1/users/", {
      username: "newbie",
      email: "newbie@example.com",
      password: "a-long-password",
      first_name: "New",
    });
    expect(res.status, res.text).toBe(201);
    expect(res.data).toEqual({
      id: 44,
      username: "newbie",
      email: "newbie@example.com",
      first_name: "New",
      last_name: "",
    });
    const user = await User.objects.get({ username: "newbie" });
    expect(user.password).not.toContain("a-long-password");
    expect(await Profile.objects.filter({ user: user.pk }).count()).toBe(1);
    const login = await t
      .client()
      .post("/api/v1/auth/jwt/", { username: "newbie", password: "a-long-password" });
    expect(login.status).toBe(200);
  });

  it("refuses a short password, a blank email and a taken username, and creates nothing", async () => {
    const before = await User.objects.count();
    const res = await t.client().post("/api/v1/users/", { username: "admin", email: "", password: "short" });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      username: ["A user with that username already exists."],
      email: ["This field may not be blank."],
      password: ["Ensure this field has at least 8 characters."],
    });
    expect(await User.objects.count()).toBe(before);
  });

  it("GET /users/ is 405 (registration only)", async () => {
    expect((await t.client().get("/api/v1/users/")).status).toBe(405);
  });

  it("me: reads and partially updates the user and the nested profile bio", async () => {
    const me = await customer.get("/api/v1/users/me/");
    expect(me.status).toBe(200);
    expect(Object.keys(me.data as object).sort()).toEqual(
      ["email", "first_name", "id", "is_staff", "last_name", "profile", "username"].sort(),
    );
    const res = await customer.patch("/api/v1/users/me/", {
      first_name: "Maggie",
      profile: { bio: "Loves oracles." },
      is_staff: true,
      username: "hijack",
    });
    expect(res.status, res.text).toBe(200);
    const body = res.data as {
      first_name: string;
      profile: { bio: string };
      is_staff: boolean;
      username: string;
    };
    expect(body.first_name).toBe("Maggie");
    expect(body.profile.bio).toBe("Loves oracles.");
    // Read-only fields stay read-only.
    expect(body.is_staff).toBe(false);
    expect(body.username).toBe("margaret16");
    const stored = await User.objects.get({ pk: 16 });
    expect(stored.is_staff).toBe(false);
  });

  it("me needs authentication", async () => {
    const res = await t.client().get("/api/v1/users/me/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });
});

describe("authentication", () => {
  it("inactive users cannot authenticate by any scheme", async () => {
    const token = await t.client().post("/api/v1/auth/token/", { username: "inactive", password: PASSWORD });
    expect(token.status).toBe(400);
    expect(token.data).toEqual({ non_field_errors: ["Unable to log in with provided credentials."] });
    const jwt = await t.client().post("/api/v1/auth/jwt/", { username: "inactive", password: PASSWORD });
    expect(jwt.status).toBe(401);
  });

  it("a bad token of a known scheme is a 401, an unknown scheme is anonymous", async () => {
    const bad = await t.shop.app.request("http://testserver/api/v1/products/", {
      headers: { Authorization: `Token ${"0".repeat(40)}` },
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ detail: "Invalid token." });
    const unknown = await t.shop.app.request("http://testserver/api/v1/products/", {
      headers: { Authorization: "Weird abc" },
    });
    expect(unknown.status).toBe(200);
  });

  it("JWT: access works, verify, rotation blacklists the old refresh token", async () => {
    const pair = (await t.client().post("/api/v1/auth/jwt/", { username: "guido5", password: PASSWORD }))
      .data as {
      access: string;
      refresh: string;
    };
    const client = t.client();
    client.credentials({ Authorization: `Bearer ${pair.access}` });
    expect(((await client.get("/api/v1/users/me/")).data as { username: string }).username).toBe("guido5");
    expect((await t.client().post("/api/v1/auth/jwt/verify/", { token: pair.access })).data).toEqual({});
    const bad = await t.client().post("/api/v1/auth/jwt/verify/", { token: `${pair.access}x` });
    expect(bad.status).toBe(401);
    expect(bad.data).toEqual({ detail: "Token is invalid or expired", code: "token_not_valid" });
    const rotated = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(rotated.status).toBe(200);
    const reused = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(reused.status).toBe(401);
    expect(reused.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
    const verified = await t.client().post("/api/v1/auth/jwt/verify/", { token: pair.refresh });
    expect(verified.status).toBe(400);
    expect(verified.data).toEqual({ non_field_errors: ["Token is blacklisted"] });
  });
});

describe("products", () => {
  it("v2 list items add average_rating and review_count", async () => {
    const res = await t.client().get("/api/v2/products/?page_size=100&category=office");
    const items = (
      res.data as { results: { id: number; average_rating: number | null; review_count: number }[] }
    ).results;
    const p37 = items.find((p) => p.id === 37)!;
    expect(p37.review_count).toBe(3);
    expect(p37.average_rating).toBe(2.33);
    const v1 = await t.client().get("/api/v1/products/?page_size=1");
    expect(Object.keys((v1.data as { results: object[] }).results[0]!)).not.toContain("average_rating");
  });

  it("search needs every term in the name, description or category name, ignoring case", async () => {
    const res = await t.client().get("/api/v1/products/?search=SMART,speaker&page_size=100");
    const ids = (res.data as { results: { id: number }[] }).results.map((p) => p.id);
    expect(ids.length).toBeGreaterThan(0);
    const rows = await Product.objects.selectRelated("category").filter({ pk__in: ids });
    for (const p of rows) {
      const text = `${p.name} ${p.description} ${p.category.name}`.toLowerCase();
      expect(text).toContain("smart");
      expect(text).toContain("speaker");
    }
    const all = await Product.active.selectRelated("category");
    const expected = all.filter((p) => {
      const text = `${p.name}|${p.description}|${p.category.name}`.toLowerCase();
      return text.includes("smart") && text.includes("speaker");
    });
    expect((res.data as { count: number }).count).toBe(expected.length);
  });

  it("a bad number filter is a 400 with django-filter's message", async () => {
    const res = await t.client().get("/api/v1/products/?min_price=abc");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ min_price: ["Enter a number."] });
  });

  it("min/max price filters compare exactly", async () => {
    const res = await t.client().get("/api/v1/products/?min_price=100.00&max_price=100.50&page_size=100");
    for (const p of (res.data as { results: { price: string }[] }).results) {
      expect(decimal.gte(p.price, "100.00") && decimal.lte(p.price, "100.50")).toBe(true);
    }
  });

  it("create sets created_by; read-only and unknown fields are ignored", async () => {
    const res = await manager.post("/api/v1/products/", {
      name: "Manager Widget",
      slug: "manager-widget",
      price: "10.00",
      cost: "5.00",
      category: "books",
      created_by: 1,
      is_deleted: true,
      id: 9999,
    });
    expect(res.status, res.text).toBe(201);
    const product = await Product.objects.get({ slug: "manager-widget" });
    expect(product.created_by_id).toBe(2);
    expect(product.is_deleted).toBe(false);
    expect(product.pk).not.toBe(9999);
  });

  it("a partial update is checked against the stored price and cost", async () => {
    // product 1: price 292.01, cost 215.40
    const res = await manager.patch("/api/v1/products/1/", { cost: "300.00" });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ price: ["Price cannot be less than cost"] });
    expect((await Product.objects.get({ pk: 1 })).cost).toBe("215.40");
  });

  it("tags and metadata errors are DRF-shaped", async () => {
    const res = await manager.post("/api/v1/products/", {
      name: "Tagged",
      slug: "tagged",
      price: "1.00",
      cost: "1.00",
      category: "books",
      tags: ["ok", "x".repeat(51)],
      metadata: [],
    });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      tags: { "1": ["Ensure this field has no more than 50 characters."] },
      metadata: ['Expected a dictionary of items but got type "list".'],
    });
  });

  it("delete is a soft delete: gone from every read, the row stays", async () => {
    expect((await manager.delete("/api/v1/products/3/")).status).toBe(204);
    expect((await t.client().get("/api/v1/products/3/")).status).toBe(404);
    const list = await t.client().get("/api/v1/products/?page_size=100&search=3");
    expect((list.data as { results: { id: number }[] }).results.map((p) => p.id)).not.toContain(3);
    expect((await Product.objects.get({ pk: 3 })).is_deleted).toBe(true);
  });

  it("anonymous writes are 401, customers 403, and nothing changes", async () => {
    const before = await Product.objects.get({ pk: 5 });
    expect((await t.client().patch("/api/v1/products/5/", { stock: 1 })).status).toBe(401);
    expect((await customer.patch("/api/v1/products/5/", { stock: 1 })).status).toBe(403);
    expect((await customer.delete("/api/v1/products/5/")).status).toBe(403);
    expect((await Product.objects.get({ pk: 5 })).stock).toBe(before.stock);
  });
});

describe("reviews and orders", () => {
  it("someone else's review cannot be changed", async () => {
    const res = await customer.patch("/api/v1/reviews/1/", { comment: "mine now" });
    expect(res.status).toBe(403);
    expect(res.data).toEqual({ detail: "You must be the author to perform this action." });
    expect((await t.client().post("/api/v1/reviews/", { rating: 5 })).status).toBe(401);
    expect((await customer.post("/api/v1/reviews/", { rating: 5 })).status).toBe(405);
  });

  it("an order taking more than is left changes nothing; a product listed twice counts twice", async () => {
    // product 132 has 3 units
    const before = await Order.objects.count();
    const res = await customer.post("/api/v1/orders/", {
      items: [
        { product: 132, quantity: 2 },
        { product: 132, quantity: 2 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ detail: "Not enough stock for product 132: 1 available, 2 requested." });
    expect((await Product.objects.get({ pk: 132 })).stock).toBe(3);
    expect(await Order.objects.count()).toBe(before);
  });

  it("an empty order is refused in DRF's shape", async () => {
    const res = await customer.post("/api/v1/orders/", { items: [] });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ items: { non_field_errors: ["This list may not be empty."] } });
  });

  it("staff change the status only; stock is untouched; customers get 403", async () => {
    const stockBefore = (await Product.objects.get({ pk: 350 })).stock;
    expect((await customer.patch("/api/v1/orders/40/", { status: "cancelled" })).status).toBe(403);
    const res = await admin.patch("/api/v1/orders/40/", { status: "cancelled", user: 1, items: [] });
    expect(res.status, res.text).toBe(200);
    expect((res.data as { status: string; user: string }).status).toBe("cancelled");
    expect((res.data as { user: string }).user).toBe("ken21");
    expect((await Product.objects.get({ pk: 350 })).stock).toBe(stockBefore);
    expect((await admin.put("/api/v1/orders/40/", { status: "pending" })).status).toBe(405);
  });

  it("customers see only their own orders, staff see all, filtered by status", async () => {
    const own = await customer.get("/api/v1/orders/?status=completed");
    for (const o of (own.data as { results: { user: string; status: string }[] }).results) {
      expect(o.user).toBe("margaret16");
      expect(o.status).toBe("completed");
    }
    const all = await admin.get("/api/v1/orders/");
    const users = new Set((all.data as { results: { user: string }[] }).results.map((o) => o.user));
    expect(users.size).toBeGreaterThan(1);
  });
});

describe("schema and documentation", () => {
  it("serves an OpenAPI 3.1 document of the routes", async () => {
    const res = await t.client().get("/api/schema/");
    expect(res.status).toBe(200);
    const doc = res.data as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/{version}/products/",
        "/api/{version}/products/{pk}/",
        "/api/{version}/orders/",
      ]),
    );
  });

  it("serves the documentation page with its assets from the installed package", async () => {
    const page = await t.shop.app.request("http://testserver/api/docs/");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="swagger-ui">');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await t.shop.app.request("http://testserver/api/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await t.shop.app.request("http://testserver/api/docs/assets/..%2Fpackage.json")).status).toBe(
      404,
    );
  });
});

describe("hostile lookups", () => {
  it("lookup values that cannot be keys are 404s, never 500s", async () => {
    for (const path of ["/api/v1/categories/%00/", "/api/v1/products/99999999999/", "/api/v1/products/-1/"]) {
      const res = await t.client().get(path);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("characters PostgreSQL cannot store", () => {
  it("NUL bytes and lone surrogates are 400s at every text input, even on the login endpoints", async () => {
    for (const path of ["/api/v1/auth/jwt/", "/api/v1/auth/token/"]) {
      const res = await t.client().post(path, { username: "a\u0000b", password: "x" });
      expect(res.status, path).toBe(400);
      expect(res.data).toEqual({ username: ["Null characters are not allowed."] });
    }
    const res = await t.client().post("/api/v1/auth/jwt/", { username: "a\ud800b", password: "x" });
    expect(res.data).toEqual({ username: ["Surrogate characters are not allowed: U+D800."] });
    const manager = await tokenClient(t, "manager");
    for (const [metadata, message] of [
      [{ a: "x\u0000" }, "Null characters are not allowed."],
      [{ a: "\ud800" }, "Surrogate characters are not allowed: U+D800."],
    ] as const) {
      const res = await manager.patch("/api/v1/products/1/", { metadata });
      expect(res.status).toBe(400);
      expect(res.data).toEqual({ metadata: [message] });
    }
    const reg = await t
      .client()
      .post("/api/v1/users/", { username: "nul", email: "n@example.com", password: "pass\u0000word" });
    expect(reg.data).toEqual({ password: ["Null characters are not allowed."] });
  });
});

describe("favorites under concurrency", () => {
  it("six simultaneous favorites of one product all answer 200 and store one row", async () => {
    const client = await tokenClient(t, "guido5");
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => client.post("/api/v1/products/10/favorite/")),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await Product.objects.filter({ pk: 10, favorited_by: 5 }).count()).toBe(1);
  });
});
