// OWASP API4:2023 Unrestricted Resource Consumption: page sizes are capped,
// bodies over the limit are 413, deep nesting, huge numbers and very long
// strings are refused (4xx, never a 500 or a hang), and nothing is written.
import type { APIClient, TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../../src/orders/models.js";
import { Product } from "../../src/products/models.js";
import { User } from "../../src/users/models.js";
import { createTestShop, type TestShop, tokenClient } from "../setup.js";
import { isDrfErrorBody, sendRaw } from "./helpers.js";

let t: TestShop;
let customer: APIClient;
let manager: APIClient;

beforeAll(async () => {
  t = await createTestShop();
  customer = await tokenClient(t, "margaret16");
  manager = await tokenClient(t, "manager");
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function counts() {
  return {
    users: await User.objects.count(),
    products: await Product.objects.count(),
    orders: await Order.objects.count(),
  };
}

function expectClientError(res: TestResponse, where: string): void {
  expect(res.status, `${where}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${where}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(isDrfErrorBody(res.data), `${where}: ${res.text.slice(0, 300)}`).toBe(true);
}

const resultsOf = (res: TestResponse) => (res.data as { results: unknown[] }).results;

describe("API4: pagination", () => {
  it("page_size is capped at 100, and nonsense falls back to the default", async () => {
    for (const size of ["101", "1000", "100000000000000000000000", "1e9"]) {
      const res = await t.client().get(`/api/v1/products/?page_size=${size}`);
      expect(res.status, size).toBe(200);
      expect(resultsOf(res).length, size).toBeLessThanOrEqual(100);
    }
    expect(resultsOf(await t.client().get("/api/v1/products/?page_size=1000")).length).toBe(100);
    for (const size of ["-1", "0", "abc", "", "1.5", "%00"]) {
      const res = await t.client().get(`/api/v1/products/?page_size=${size}`);
      expect(res.status, size).toBe(200);
      expect(resultsOf(res).length, size).toBe(20);
    }
    const reviews = await t.client().get("/api/v1/reviews/?page_size=5000");
    expect(resultsOf(reviews).length).toBe(100);
  });

  it("an absurd page number is 404 Invalid page., not a scan or a crash", async () => {
    for (const page of ["99999999999999999999999999", "-1", "0", "1e400", "abc"]) {
      const res = await t.client().get(`/api/v1/products/?page=${page}`);
      expect(res.status, page).toBe(404);
      expect(res.data).toEqual({ detail: "Invalid page." });
    }
  });

  it("order lists are cursor pages of at most 20; a forged cursor is 404", async () => {
    const admin = await tokenClient(t, "admin");
    const res = await admin.get("/api/v1/orders/?page_size=1000");
    expect(res.status).toBe(200);
    expect(resultsOf(res).length).toBe(20);
    for (const cursor of [
      "bogus",
      "cD0xMDA",
      Buffer.from("p=' OR 1=1--").toString("base64"),
      "x".repeat(5000),
    ]) {
      const bad = await admin.get(`/api/v1/orders/?cursor=${encodeURIComponent(cursor)}`);
      expect(bad.status, cursor.slice(0, 20)).toBe(404);
      expect(bad.data).toEqual({ detail: "Invalid cursor" });
    }
  });
});

describe("API4: request bodies", () => {
  it("a body over the size limit is 413 and writes nothing", async () => {
    const before = await counts();
    const big = JSON.stringify({
      username: "bigbody",
      email: "big@example.com",
      password: "a-long-password",
      first_name: "x".repeat(3_000_000),
    });
    const res = await sendRaw(t.client(), "POST", "/api/v1/users/", big);
    expect(res.status).toBe(413);
    expect(isDrfErrorBody(res.data)).toBe(true);
    const product = await sendRaw(manager, "POST", "/api/v1/products/", big);
    expect(product.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it("deeply nested JSON is refused cleanly wherever a body is read", async () => {
    const before = await counts();
    for (const depth of [1_000, 100_000]) {
      const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      const product = await sendRaw(
        manager,
        "POST",
        "/api/v1/products/",
        `{"name":"Deep","slug":"deep","price":"1.00","cost":"1.00","category":"books","metadata":${deepObject},"tags":${deep}}`,
      );
      expectClientError(product, `product depth ${depth}`);
      const order = await sendRaw(customer, "POST", "/api/v1/orders/", `{"items":${deep}}`);
      expectClientError(order, `order depth ${depth}`);
      const user = await sendRaw(t.client(), "POST", "/api/v1/users/", `{"username":${deepObject}}`);
      expectClientError(user, `user depth ${depth}`);
      const me = await sendRaw(customer, "PATCH", "/api/v1/users/me/", `{"profile":{"bio":${deepObject}}}`);
      expectClientError(me, `me depth ${depth}`);
    }
    expect(await counts()).toEqual(before);
  });

  it("huge and non-finite numbers are validation errors, not overflows", async () => {
    const before = await counts();
    for (const n of [
      "1e400",
      "-1e400",
      "1e308",
      "9223372036854775808",
      "99999999999999999999999999999",
      "0.0000000000000000000001",
    ]) {
      const product = await sendRaw(
        manager,
        "POST",
        "/api/v1/products/",
        `{"name":"Huge ${n}","slug":"huge","price":${n},"cost":${n},"category":"books","stock":${n},"discount_percentage":${n}}`,
      );
      expectClientError(product, `product ${n}`);
      const order = await sendRaw(
        customer,
        "POST",
        "/api/v1/orders/",
        `{"items":[{"product":${n},"quantity":1}]}`,
      );
      expectClientError(order, `order product ${n}`);
      const quantity = await sendRaw(
        customer,
        "POST",
        "/api/v1/orders/",
        `{"items":[{"product":1,"quantity":${n}}]}`,
      );
      expectClientError(quantity, `order quantity ${n}`);
      const review = await sendRaw(customer, "POST", "/api/v1/products/2/add-review/", `{"rating":${n}}`);
      expectClientError(review, `review ${n}`);
    }
    // Just past the integer column: a clear 400 from the field's bounds or the related lookup,
    // not a database overflow.
    for (const [body, error] of [
      [
        '{"items":[{"product":2147483648,"quantity":1}]}',
        { items: [{ product: ['Invalid pk "2147483648" - object does not exist.'] }] },
      ],
      [
        '{"items":[{"product":-2147483649,"quantity":1}]}',
        { items: [{ product: ['Invalid pk "-2147483649" - object does not exist.'] }] },
      ],
      [
        '{"items":[{"product":1,"quantity":2147483648}]}',
        { items: [{ quantity: ["Ensure this value is less than or equal to 2147483647."] }] },
      ],
      [
        `{"name":"Huge","slug":"huge","price":"1.00","cost":"1.00","category":"books","stock":2147483648}`,
        { stock: ["Ensure this value is less than or equal to 2147483647."] },
      ],
    ] as const) {
      const res = await sendRaw(
        body.startsWith('{"items"') ? customer : manager,
        "POST",
        body.startsWith('{"items"') ? "/api/v1/orders/" : "/api/v1/products/",
        body,
      );
      expect(res.status, res.text).toBe(400);
      expect(res.data).toEqual(error);
    }
    expect(await counts()).toEqual(before);
  });

  it("huge ids in paths are 404, never a database overflow", async () => {
    for (const id of ["99999999999999999999", "2147483648", "9223372036854775808", "-1", "1e3", "0x10"]) {
      for (const [client, path] of [
        [t.client(), `/api/v1/products/${id}/`],
        [t.client(), `/api/v1/reviews/${id}/`],
        [t.client(), `/api/v1/products/${id}/reviews/`],
        [customer, `/api/v1/orders/${id}/`],
        [customer, `/api/v1/products/${id}/favorite/`],
      ] as const) {
        const res = path.endsWith("favorite/") ? await client.post(path) : await client.get(path);
        expect(res.status, `${path}: ${res.text}`).toBe(404);
      }
    }
  });

  it("very long strings are refused by the field limits", async () => {
    const before = await counts();
    const long = "x".repeat(200_000);
    const user = await t
      .client()
      .post("/api/v1/users/", { username: long, email: `${long}@x.io`, password: long });
    expectClientError(user, "user");
    expect(Object.keys(user.data as object).sort()).toEqual(["email", "password", "username"]);
    const product = await manager.post("/api/v1/products/", {
      name: long,
      slug: long,
      price: "1.00",
      cost: "1.00",
      category: long,
      tags: [long],
    });
    expectClientError(product, "product");
    const login = await t.client().post("/api/v1/auth/jwt/", { username: long, password: long });
    expect(login.status).toBe(401);
    expect(await counts()).toEqual(before);
  });
});

describe("API4: expensive queries", () => {
  it("long searches, many terms and long filters answer quickly without a 500", async () => {
    const queries = [
      `search=${"a ".repeat(2000)}`,
      `search=${encodeURIComponent("%_".repeat(5000))}`,
      `search=${"x".repeat(50_000)}`,
      `name=${"%".repeat(10_000)}`,
      `ordering=${"price,".repeat(2000)}`,
      `ordering=${"-nope,".repeat(2000)}`,
      `category=${"c".repeat(10_000)}`,
      `min_price=${"9".repeat(5000)}`,
    ];
    for (const query of queries) {
      const started = performance.now();
      const res = await t.client().get(`/api/v1/products/?${query}`);
      const elapsed = performance.now() - started;
      expect(res.status, `${query.slice(0, 40)}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      if (res.status >= 400) expect(isDrfErrorBody(res.data)).toBe(true);
      expect(elapsed, query.slice(0, 40)).toBeLessThan(5_000);
    }
  }, 60_000);
});
