// Every recorded step of test/contract/examples.json (responses of a DRF
// implementation of CONTRACT.md), reproduced from the fixture: the request its
// step name describes, after the steps of its scenario that set it up.
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "../setup.js";
import { example, expectStep, type LiveResponse, recordedSteps } from "./compare.js";

const covered = new Set<string>();
function step(scenario: string, name: string) {
  covered.add(`${scenario}/${name}`);
  return example(scenario, name);
}

/** A request exactly as a client sends it (any body, any content type). */
async function raw(
  t: TestShop,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const res = await t.shop.app.request(`http://testserver${path}`, { method, ...init });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    data: text ? JSON.parse(text) : undefined,
  } as LiveResponse;
}

function shopFor(env: Record<string, string> = {}) {
  const box = {} as { t: TestShop };
  beforeAll(async () => {
    box.t = await createTestShop(env);
  }, 60_000);
  afterAll(async () => {
    await box.t?.close();
  });
  return box;
}

const productBody = (overrides: Record<string, unknown> = {}) => ({
  name: "Oracle Widget",
  slug: "oracle-widget",
  description: "",
  price: "19.99",
  cost: "10.00",
  discount_percentage: 10,
  stock: 25,
  tags: ["oracle", "new"],
  metadata: {},
  is_featured: true,
  category: "electronics",
  ...overrides,
});

describe("root", () => {
  const s = shopFor();
  it("01 GET /api/v1/", async () => {
    expectStep(await s.t.client().get("/api/v1/"), step("root", "01 GET /api/v1/"));
  });
  it("07 POST api root 405", async () => {
    expectStep(await s.t.client().post("/api/v1/", {}), step("root", "07 POST api root 405"));
  });
  it("13 OPTIONS products anon (no actions)", async () => {
    expectStep(
      await s.t.client().options("/api/v1/products/"),
      step("root", "13 OPTIONS products anon (no actions)"),
    );
  });
});

describe("auth-token", () => {
  const s = shopFor();
  it("06 token text/plain 415", async () => {
    const res = await raw(s.t, "POST", "/api/v1/auth/token/", {
      body: "username=admin",
      headers: { "Content-Type": "text/plain" },
    });
    expectStep(res, step("auth-token", "06 token text/plain 415"));
  });
  it("12 me Token with spaces", async () => {
    const res = await raw(s.t, "GET", "/api/v1/users/me/", { headers: { Authorization: "Token abc def" } });
    expectStep(res, step("auth-token", "12 me Token with spaces"));
  });
});

describe("auth-jwt", () => {
  const s = shopFor();
  it("03 jwt wrong password", async () => {
    const res = await s.t
      .client()
      .post("/api/v1/auth/jwt/", { username: "margaret16", password: "wrong-password" });
    expectStep(res, step("auth-jwt", "03 jwt wrong password"));
  });
  it("09 refresh rotates", async () => {
    const client = s.t.client();
    const pair = await client.post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD });
    const { refresh } = pair.data as { refresh: string };
    const res = await client.post("/api/v1/auth/jwt/refresh/", { refresh });
    expectStep(res, step("auth-jwt", "09 refresh rotates"));
    expect((res.data as { refresh: string }).refresh).not.toBe(refresh);
  });
});

describe("auth-jwt-blacklist", () => {
  const s = shopFor();
  it("02 blacklist refresh", async () => {
    const client = s.t.client();
    const pair = await client.post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD });
    const res = await client.post("/api/v1/auth/jwt/blacklist/", {
      refresh: (pair.data as { refresh: string }).refresh,
    });
    expectStep(res, step("auth-jwt-blacklist", "02 blacklist refresh"));
  });
  it("08 jwt obtain admin via v2", async () => {
    const res = await s.t.client().post("/api/v2/auth/jwt/", { username: "admin", password: PASSWORD });
    expectStep(res, step("auth-jwt-blacklist", "08 jwt obtain admin via v2"));
  });
});

describe("users", () => {
  const s = shopFor();
  it("06 register bad username", async () => {
    const res = await s.t.client().post("/api/v1/users/", {
      username: "bad user!",
      email: "bad@example.com",
      password: "long-enough-pass",
    });
    expectStep(res, step("users", "06 register bad username"));
  });
  it("12 patch me bad email", async () => {
    const client = await tokenClient(s.t, "margaret16");
    expectStep(
      await client.patch("/api/v1/users/me/", { email: "not-an-email" }),
      step("users", "12 patch me bad email"),
    );
  });
  it("18 login manager", async () => {
    const res = await s.t.client().post("/api/v1/auth/token/", { username: "manager", password: PASSWORD });
    expectStep(res, step("users", "18 login manager"));
  });
});

describe("categories", () => {
  const s = shopFor();
  it("05 GET /api/v1/categories/books/", async () => {
    expectStep(
      await s.t.client().get("/api/v1/categories/books/"),
      step("categories", "05 GET /api/v1/categories/books/"),
    );
  });
  it("11 POST categories 405", async () => {
    expectStep(
      await s.t.client().post("/api/v1/categories/", { name: "x" }),
      step("categories", "11 POST categories 405"),
    );
  });
});

describe("product reads", () => {
  const s = shopFor();
  const get = (scenario: string, name: string) =>
    it(name, async () => {
      const recorded = step(scenario, name);
      expectStep(await s.t.client().get(recorded.path), recorded);
    });
  get("products-list", "05 GET /api/v1/products/?page=999");
  get("products-list", "11 GET /api/v1/products/?page=3&page_size=7");
  get("products-filter", "01 GET /api/v1/products/?category=books&page_size=100");
  get("products-filter", "07 GET /api/v1/products/?in_stock=false&page_size=100");
  get("products-filter", "13 GET /api/v1/products/?is_featured=yes&page_size=2");
  get("products-search-ordering", "02 GET /api/v1/products/?search=smart%20speaker&page_size=100");
  get("products-search-ordering", "08 GET /api/v1/products/?ordering=price&page_size=10");
  get("products-search-ordering", "14 ordering=stock (ties sorted by id)");
  get("products-search-ordering", "20 GET /api/v1/products/?ordering=description&page_size=5");
  get("products-detail", "05 detail anon is_favorited false");
  get("products-detail", "11 GET /api/v1/products/37/");
  get("products-detail", "17 GET /api/v1/products/52/reviews/");
});

describe("products-write", () => {
  const s = shopFor();
  let manager: APIClient;
  beforeAll(async () => {
    manager = await tokenClient(s.t, "manager");
  });
  it("05 create customer 403", async () => {
    const customer = await tokenClient(s.t, "margaret16");
    expectStep(
      await customer.post("/api/v1/products/", productBody()),
      step("products-write", "05 create customer 403"),
    );
  });
  it("11 price below cost", async () => {
    const res = await manager.post("/api/v1/products/", productBody({ price: "5.00", cost: "6.00" }));
    expectStep(res, step("products-write", "11 price below cost"));
  });
  it("17 discount 101 and stock -1", async () => {
    const res = await manager.post("/api/v1/products/", productBody({ discount_percentage: 101, stock: -1 }));
    expectStep(res, step("products-write", "17 discount 101 and stock -1"));
  });
  it("23 create empty body", async () => {
    expectStep(await manager.post("/api/v1/products/", {}), step("products-write", "23 create empty body"));
  });
  it("29 PUT missing fields", async () => {
    const created = await manager.post(
      "/api/v1/products/",
      productBody({ name: "Doomed", slug: "doomed", is_featured: false }),
    );
    expect(created.status).toBe(201);
    expect((created.data as { id: number }).id).toBe(501);
    const res = await manager.put("/api/v1/products/501/", { name: "Doomed again" });
    expectStep(res, step("products-write", "29 PUT missing fields"));
  });
  it("35 PATCH name of another product", async () => {
    const res = await manager.patch("/api/v1/products/2/", { name: "smart speaker 1" });
    expectStep(res, step("products-write", "35 PATCH name of another product"));
  });
  it("41 DELETE again 404", async () => {
    expect((await manager.delete("/api/v1/products/501/")).status).toBe(204);
    expectStep(await manager.delete("/api/v1/products/501/"), step("products-write", "41 DELETE again 404"));
  });
  it("47 featured includes new featured product", async () => {
    const admin = await tokenClient(s.t, "admin");
    const made = [
      await admin.post(
        "/api/v1/products/",
        productBody({ name: "Admin Gadget", slug: "admin-gadget", category: "books", tags: [] }),
      ),
      // The name of a soft-deleted product is free again.
      await manager.post(
        "/api/v1/products/",
        productBody({ name: "Ultra Novel 52", slug: "ultra-novel-52-again", price: "49.50" }),
      ),
      await manager.post(
        "/api/v1/products/",
        productBody({ name: "oracle widget mk1", slug: "oracle-widget-mk1" }),
      ),
    ];
    expect(made.map((r) => r.status)).toEqual([201, 201, 201]);
    const patched = await manager.patch("/api/v1/products/504/", {
      name: "oracle widget mk2",
      slug: "oracle-widget-mk3",
    });
    expect(patched.status).toBe(200);
    expectStep(
      await s.t.client().get("/api/v1/products/featured/"),
      step("products-write", "47 featured includes new featured product"),
    );
  });
});

describe("reviews", () => {
  const s = shopFor();
  let manager: APIClient;
  let author: APIClient;
  it("03 login manager", async () => {
    const res = await s.t.client().post("/api/v1/auth/token/", { username: "manager", password: PASSWORD });
    expectStep(res, step("reviews", "03 login manager"));
    manager = await tokenClient(s.t, "manager");
    author = await tokenClient(s.t, "margaret16");
  });
  it("09 PATCH by author", async () => {
    const res = await author.patch("/api/v1/reviews/43/", { comment: "Edited by author." });
    expectStep(res, step("reviews", "09 PATCH by author"));
  });
  it("15 PATCH by staff", async () => {
    const res = await manager.patch("/api/v1/reviews/43/", { comment: "Moderated.", rating: 4 });
    expectStep(res, step("reviews", "15 PATCH by staff"));
  });
  it("21 add-review duplicate 400", async () => {
    const first = await author.post("/api/v1/products/8/add-review/", {
      rating: 5,
      comment: "Oracle says great.",
    });
    expect(first.status).toBe(201);
    const res = await author.post("/api/v1/products/8/add-review/", { rating: 1, comment: "again" });
    expectStep(res, step("reviews", "21 add-review duplicate 400"));
  });
  it("27 add-review deleted product 404", async () => {
    const res = await author.post("/api/v1/products/52/add-review/", { rating: 3, comment: "" });
    expectStep(res, step("reviews", "27 add-review deleted product 404"));
  });
  it("33 reviews newest first", async () => {
    const guido = await tokenClient(s.t, "guido5");
    expect((await guido.post("/api/v1/products/9/add-review/", { rating: 2, comment: "" })).status).toBe(201);
    // Two older reviews go away: one by its author, one by staff.
    expect((await author.delete("/api/v1/reviews/43/")).status).toBe(204);
    expect((await manager.delete("/api/v1/reviews/1/")).status).toBe(204);
    expectStep(
      await s.t.client().get("/api/v1/reviews/?page_size=3"),
      step("reviews", "33 reviews newest first"),
    );
  });
});

describe("favorites", () => {
  const s = shopFor();
  it("06 favorite twice", async () => {
    const client = await tokenClient(s.t, "margaret16");
    expect((await client.post("/api/v1/products/8/favorite/")).status).toBe(200);
    expectStep(await client.post("/api/v1/products/8/favorite/"), step("favorites", "06 favorite twice"));
    const detail = await client.get("/api/v1/products/8/");
    expect((detail.data as { is_favorited: boolean }).is_favorited).toBe(true);
  });
  it("12 favorite anon 401", async () => {
    expectStep(
      await s.t.client().post("/api/v1/products/8/favorite/"),
      step("favorites", "12 favorite anon 401"),
    );
  });
});

describe("orders-list", () => {
  const s = shopFor();
  let admin: APIClient;
  it("03 login admin", async () => {
    const res = await s.t.client().post("/api/v1/auth/token/", { username: "admin", password: PASSWORD });
    expectStep(res, step("orders-list", "03 login admin"));
    admin = await tokenClient(s.t, "admin");
  });
  it("07 orders admin (all, follow next)", async () => {
    let res = await admin.get("/api/v1/orders/");
    const pages = [res];
    while ((res.data as { next: string | null }).next) {
      res = await admin.get((res.data as { next: string }).next.replace("http://testserver", ""));
      pages.push(res);
    }
    expect(pages).toHaveLength(10);
    expectStep(pages[2]!, step("orders-list", "07 orders admin (all, follow next) [page 3]"));
    expectStep(pages[8]!, step("orders-list", "07 orders admin (all, follow next) [page 9]"));
  });
  it("11 orders bad cursor", async () => {
    expectStep(
      await admin.get("/api/v1/orders/?cursor=not-a-cursor"),
      step("orders-list", "11 orders bad cursor"),
    );
  });
  it("17 DELETE order 405", async () => {
    expectStep(await admin.delete("/api/v1/orders/2/"), step("orders-list", "17 DELETE order 405"));
  });
});

describe("orders-create", () => {
  const s = shopFor();
  let alice: APIClient;
  beforeAll(async () => {
    alice = await tokenClient(s.t, "margaret16");
  });
  it("04 create with discounts (half-up cents)", async () => {
    const res = await alice.post("/api/v1/orders/", {
      items: [
        { product: 37, quantity: 2 },
        { product: 57, quantity: 1 },
        { product: 1, quantity: 3 },
      ],
    });
    expectStep(res, step("orders-create", "04 create with discounts (half-up cents)"));
  });
  it("10 unknown product pk", async () => {
    const res = await alice.post("/api/v1/orders/", { items: [{ product: 999, quantity: 1 }] });
    expectStep(res, step("orders-create", "10 unknown product pk"));
  });
  it("16 quantity missing", async () => {
    const res = await alice.post("/api/v1/orders/", { items: [{ product: 1 }] });
    expectStep(res, step("orders-create", "16 quantity missing"));
  });
  it("22 sold out", async () => {
    expect((await alice.post("/api/v1/orders/", { items: [{ product: 132, quantity: 3 }] })).status).toBe(
      201,
    );
    const refused = await alice.post("/api/v1/orders/", { items: [{ product: 132, quantity: 1 }] });
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ detail: "Not enough stock for product 132: 0 available, 1 requested." });
    expectStep(await s.t.client().get("/api/v1/products/132/"), step("orders-create", "22 sold out"));
  });
  it("28 new order is other's 404", async () => {
    const other = await tokenClient(s.t, "guido5");
    expectStep(await other.get("/api/v1/orders/201/"), step("orders-create", "28 new order is other's 404"));
  });
});

describe("orders-status", () => {
  const s = shopFor();
  let alice: APIClient;
  it("01 login alice", async () => {
    const res = await s.t
      .client()
      .post("/api/v1/auth/token/", { username: "margaret16", password: PASSWORD });
    expectStep(res, step("orders-status", "01 login alice"));
    alice = await tokenClient(s.t, "margaret16");
  });
  it("07 cancel own pending order", async () => {
    const created = await alice.post("/api/v1/orders/", {
      items: [
        { product: 30, quantity: 2 },
        { product: 376, quantity: 1 },
      ],
    });
    expect(created.status).toBe(201);
    expectStep(
      await alice.post("/api/v1/orders/201/cancel/"),
      step("orders-status", "07 cancel own pending order"),
    );
    const product = await s.t.client().get("/api/v1/products/30/");
    expect((product.data as { stock: number }).stock).toBe(5);
  });
  it("13 cancel fixture cancelled 400", async () => {
    expectStep(
      await alice.post("/api/v1/orders/71/cancel/"),
      step("orders-status", "13 cancel fixture cancelled 400"),
    );
  });
  it("19 PATCH status anon 401", async () => {
    const res = await s.t.client().patch("/api/v1/orders/62/", { status: "completed" });
    expectStep(res, step("orders-status", "19 PATCH status anon 401"));
  });
  it("25 PATCH missing order 404", async () => {
    const admin = await tokenClient(s.t, "admin");
    expectStep(
      await admin.patch("/api/v1/orders/9999/", { status: "completed" }),
      step("orders-status", "25 PATCH missing order 404"),
    );
  });
});

describe("throttle-auth", () => {
  const s = shopFor({ THROTTLE_AUTH: "2/min" });
  it("03 auth scope exhausted: jwt 429", async () => {
    const client = s.t.client();
    const body = { username: "margaret16", password: PASSWORD };
    expect((await client.post("/api/v1/auth/token/", body)).status).toBe(200);
    expect((await client.post("/api/v1/auth/jwt/", body)).status).toBe(200);
    expectStep(
      await client.post("/api/v1/auth/jwt/", body),
      step("throttle-auth", "03 auth scope exhausted: jwt 429"),
    );
  });
});

describe("throttle-anon", () => {
  const s = shopFor({ THROTTLE_ANON: "3/min" });
  it("04 anon 429 despite X-Forwarded-For", async () => {
    const client = s.t.client();
    for (let i = 0; i < 3; i++) expect((await client.get("/api/v1/products/")).status).toBe(200);
    const res = await client.get("/api/v1/products/1/", { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expectStep(res, step("throttle-anon", "04 anon 429 despite X-Forwarded-For"));
  });
});

describe("throttle-user", () => {
  const s = shopFor({ THROTTLE_USER: "3/min" });
  it("04 user 429 on another endpoint", async () => {
    const client = await tokenClient(s.t, "margaret16");
    for (let i = 0; i < 3; i++) expect((await client.get("/api/v1/orders/")).status).toBe(200);
    expectStep(
      await client.get("/api/v1/products/1/"),
      step("throttle-user", "04 user 429 on another endpoint"),
    );
  });
});

describe("coverage of the recording", () => {
  it("reproduces every recorded step", () => {
    const missing = recordedSteps()
      .map((s) => `${s.scenario}/${s.step}`)
      .filter((key) => !covered.has(key));
    expect(missing).toEqual([]);
  });
});
