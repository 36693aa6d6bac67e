// The typed client against a running shop-api (its own process, real HTTP, on
// the database TEST_DB selects): requests and responses are type-checked by tsc
// (`npx tsc -p tsconfig.json`) and their values asserted here.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { FIXTURE_PASSWORD, type RunningShop, startShop } from "../scripts/shop-server.js";
import { createShopClient, type Schemas, type ShopClient } from "../src/index.js";

const v1 = { version: "v1" } as const;
/** "12.50" → 1250n: compares money exactly. */
const cents = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
};

let shop: RunningShop;
let anon: ShopClient;

beforeAll(async () => {
  shop = await startShop();
  anon = createShopClient({ baseUrl: shop.baseUrl });
}, 90_000);
afterAll(async () => {
  await shop?.stop();
});

async function login(username: string): Promise<ShopClient> {
  const { data, error, response } = await anon.POST("/api/{version}/auth/jwt/", {
    params: { path: v1 },
    body: { username, password: FIXTURE_PASSWORD },
  });
  if (!data) throw new Error(`login ${username}: ${response.status} ${JSON.stringify(error)}`);
  return createShopClient({ baseUrl: shop.baseUrl, accessToken: data.access });
}

describe("products", () => {
  it("lists a page, filtered and ordered by the query parameters", async () => {
    const { data, error, response } = await anon.GET("/api/{version}/products/", {
      params: { path: v1, query: { ordering: "price", page_size: 5, in_stock: true } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    if (!data) throw new Error("no data");
    expectTypeOf(data.count).toEqualTypeOf<number>();
    expectTypeOf(data.results).toEqualTypeOf<Schemas["ProductList"][]>();
    expectTypeOf(data.results[0]!.price).toEqualTypeOf<string>();
    expect(data.count).toBeGreaterThan(5);
    expect(data.results).toHaveLength(5);
    expect(data.next).toMatch(/[?&]page=2/);
    const prices = data.results.map((p) => p.price);
    for (const price of prices) expect(price).toMatch(/^\d+\.\d{2}$/);
    const sorted = [...prices].sort((a, b) => (cents(a) < cents(b) ? -1 : cents(a) > cents(b) ? 1 : 0));
    expect(prices).toEqual(sorted);
    for (const product of data.results) expect(product.stock).toBeGreaterThan(0);
  });

  it("gets one product with its nested category and reviews", async () => {
    const list = await anon.GET("/api/{version}/products/", {
      params: { path: v1, query: { page_size: 1 } },
    });
    const first = list.data?.results[0];
    if (!first) throw new Error(`no products: ${list.response.status}`);
    const { data, response } = await anon.GET("/api/{version}/products/{pk}/", {
      params: { path: { ...v1, pk: first.id } },
    });
    expect(response.status).toBe(200);
    if (!data) throw new Error("no data");
    const detail: Schemas["ProductDetail"] = data;
    expectTypeOf(detail.category.name).toEqualTypeOf<string>();
    expect(data).toMatchObject({ id: first.id, name: first.name, slug: first.slug, price: first.price });
    expect(data.category.slug).toBe(first.category);
    expect(Array.isArray(data.reviews)).toBe(true);
  });

  it("types the error body of a 404", async () => {
    const { data, error, response } = await anon.GET("/api/{version}/products/{pk}/", {
      params: { path: { ...v1, pk: 999_999 } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expectTypeOf(error).toEqualTypeOf<Schemas["ErrorDetail"] | undefined>();
    expect(error).toEqual({ detail: "Not found." });
  });
});

describe("orders with a JWT", () => {
  it("obtains a JWT, creates an order and reads it back; the stock moved", async () => {
    const products = await anon.GET("/api/{version}/products/", {
      params: { path: v1, query: { in_stock: true, ordering: "-stock", page_size: 1 } },
    });
    const product = products.data?.results[0];
    if (!product) throw new Error(`no product in stock: ${products.response.status}`);

    const client = await login("edsger4");
    const {
      data: order,
      error,
      response,
    } = await client.POST("/api/{version}/orders/", {
      params: { path: v1 },
      body: { items: [{ product: product.id, quantity: 2 }] },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    if (!order) throw new Error("no order");
    const typed: Schemas["Order"] = order;
    expectTypeOf(typed.total_amount).toEqualTypeOf<string>();
    expectTypeOf(order.status).toEqualTypeOf<"pending" | "processing" | "completed" | "cancelled">();
    expect(order.status).toBe("pending");
    expect(order.items).toHaveLength(1);
    expect(order.items[0]).toMatchObject({ product: product.id, quantity: 2, price: product.price });
    expect(cents(order.total_amount)).toBe(cents(product.price) * 2n);

    const mine = await client.GET("/api/{version}/orders/{pk}/", {
      params: { path: { ...v1, pk: order.id } },
    });
    expect(mine.response.status).toBe(200);
    expect(mine.data?.id).toBe(order.id);

    const after = await anon.GET("/api/{version}/products/{pk}/", {
      params: { path: { ...v1, pk: product.id } },
    });
    expect(after.data?.stock).toBe(product.stock - 2);
  });

  it("rejects wrong credentials with simplejwt's 401", async () => {
    const { data, error, response } = await anon.POST("/api/{version}/auth/jwt/", {
      params: { path: v1 },
      body: { username: "edsger4", password: "not-the-password" },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error).toEqual({ detail: "No active account found with the given credentials" });
  });

  it("without a token, creating an order is 401", async () => {
    const { response, error } = await anon.POST("/api/{version}/orders/", {
      params: { path: v1 },
      body: { items: [{ product: 1, quantity: 1 }] },
    });
    expect(response.status).toBe(401);
    expect(error).toEqual({ detail: "Authentication credentials were not provided." });
  });
});

describe("a wrong field name is a compile error", () => {
  it("in a request body (and the server rejects it too)", async () => {
    const client = await login("guido5");
    const { response, error } = await client.POST("/api/{version}/orders/", {
      params: { path: v1 },
      // @ts-expect-error `quantiy` is not a field of an order item (the compiler says so)
      body: { items: [{ product: 1, quantiy: 1 }] },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual({ items: [{ quantity: ["This field is required."] }] });
  });

  it("in a response, a query parameter and a path", async () => {
    const { data } = await anon.GET("/api/{version}/products/", {
      params: { path: v1, query: { page_size: 1 } },
    });
    const product = data?.results[0];
    if (!product) throw new Error("no product");
    // @ts-expect-error `prise` is not a field of a product list item
    expect(product.prise).toBeUndefined();
    expect(product.price).toMatch(/^\d+\.\d{2}$/);

    const ordered = await anon.GET("/api/{version}/products/", {
      // @ts-expect-error `colour` is not an ordering the document allows
      params: { path: v1, query: { ordering: "colour", page_size: 1 } },
    });
    // Like DRF's OrderingFilter, an unknown ordering is ignored rather than rejected.
    expect(ordered.response.status).toBe(200);

    // @ts-expect-error there is no /product/ route (it is /products/)
    const missing = await anon.GET("/api/{version}/product/", { params: { path: v1 } });
    expect(missing.response.status).toBe(404);
  });
});
