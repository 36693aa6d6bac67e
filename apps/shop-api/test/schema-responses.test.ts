// The OpenAPI document (GET /api/schema/) against the real shop: every documented
// operation is called on the fixture, and each 2xx body must match its documented
// schema — strictly: a serializer's object lists every key it may hold
// (`additionalProperties: false` is added to every object schema with properties).
// Operations without a 2xx call here fail the coverage check at the end.
import { Validator } from "@seriousme/openapi-schema-validator";
import { generateSchema } from "@x/routers";
import type { APIClient } from "@x/views";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../src/orders/models.js";
import { Product } from "../src/products/models.js";
import { rebase, strict } from "./response-schemas.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "./setup.js";

type Json = { [key: string]: unknown };
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}
interface Answer {
  status: number;
  data: unknown;
  text: string;
}

let t: TestShop;
let doc: Document;
let ajv: Ajv2020;
const checked = new Set<string>();

beforeAll(async () => {
  t = await createTestShop();
  const res = await t.client().get("/api/schema/");
  expect(res.status).toBe(200);
  doc = res.data as Document;
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "doc", components: strict(doc.components) });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** Asserts the answer is a 2xx whose body matches what the document says `route` answers. */
function documented(answer: Answer, method: string, route: string, expected?: number): void {
  expect(answer.status, `${method.toUpperCase()} ${route}: ${answer.text}`).toBeLessThan(300);
  if (expected !== undefined) expect(answer.status, route).toBe(expected);
  const operation = doc.paths[`/api/{version}/${route}`]?.[method];
  expect(operation, `${method.toUpperCase()} ${route} is documented`).toBeDefined();
  const response = operation!.responses[String(answer.status)];
  expect(response, `${route} documents ${answer.status}`).toBeDefined();
  const schema = response!.content?.["application/json"]?.schema;
  if (answer.status === 204) {
    expect(schema).toBeUndefined();
  } else {
    expect(schema, `${route} ${answer.status} has a body schema`).toBeDefined();
    const validate = ajv.compile({ $ref: "#/$defs/body", $defs: { body: rebase(strict(schema)) } });
    expect(
      validate(answer.data),
      `${method.toUpperCase()} ${route}: ${ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`,
    ).toBe(true);
  }
  checked.add(operation!.operationId);
}

describe("the served document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("types every request and 2xx body (nothing left as any JSON)", () => {
    const untyped: string[] = [];
    for (const [route, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as [string, Operation & { requestBody?: unknown }][]) {
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.["application/json"]?.schema;
          if (status.startsWith("2") && schema && Object.keys(schema).length === 0)
            untyped.push(`${method} ${route} ${status}`);
        }
        const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content;
        if (body && Object.keys(body["application/json"]?.schema ?? {}).length === 0)
          untyped.push(`${method} ${route} request`);
      }
    }
    expect(untyped).toEqual([]);
    // read-only values (model properties, methods) are all typed too; a JSONField stays any JSON
    const anyProps = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, Json>)
        .filter(([, p]) => p.readOnly === true && Object.keys(p).length === 1)
        .map(([prop]) => `${name}.${prop}`),
    );
    expect(anyProps).toEqual([]);
  });
});

describe("real responses match the documented schemas", () => {
  let customer: APIClient;
  let manager: APIClient;
  let admin: APIClient;
  beforeAll(async () => {
    customer = await tokenClient(t, "margaret16");
    manager = await tokenClient(t, "manager");
    admin = await tokenClient(t, "admin");
  });

  it("catalogue: categories, products, reviews", async () => {
    const anon = t.client();
    documented(await anon.get("/api/v1/categories/"), "get", "categories/");
    documented(await anon.get("/api/v1/categories/electronics/"), "get", "categories/{slug}/");
    documented(
      await anon.get("/api/v1/categories/electronics/products/"),
      "get",
      "categories/{slug}/products/",
    );
    documented(await anon.get("/api/v1/products/?page_size=50"), "get", "products/");
    documented(await anon.get("/api/v1/products/featured/"), "get", "products/featured/");
    const product = (await Product.active.orderBy("id").first())!;
    documented(await anon.get(`/api/v1/products/${product.pk}/`), "get", "products/{pk}/");
    documented(await customer.get(`/api/v1/products/${product.pk}/`), "get", "products/{pk}/");
    documented(await anon.get(`/api/v1/products/${product.pk}/reviews/`), "get", "products/{pk}/reviews/");
    documented(await anon.get("/api/v1/reviews/"), "get", "reviews/");
  });

  it("product writes and the customer actions", async () => {
    const body = {
      name: "Schema Widget",
      slug: "schema-widget",
      description: "",
      price: "19.99",
      cost: "10.00",
      discount_percentage: 10,
      stock: 25,
      tags: ["schema"],
      metadata: { origin: "test" },
      is_featured: false,
      category: "electronics",
    };
    const created = await manager.post("/api/v1/products/", body);
    documented(created, "post", "products/", 201);
    const pk = (created.data as { id: number }).id;
    documented(await manager.put(`/api/v1/products/${pk}/`, { ...body, stock: 30 }), "put", "products/{pk}/");
    documented(await manager.patch(`/api/v1/products/${pk}/`, { stock: 31 }), "patch", "products/{pk}/");
    documented(await customer.post(`/api/v1/products/${pk}/favorite/`), "post", "products/{pk}/favorite/");
    documented(
      await customer.post(`/api/v1/products/${pk}/unfavorite/`),
      "post",
      "products/{pk}/unfavorite/",
    );
    const review = await customer.post(`/api/v1/products/${pk}/add-review/`, { rating: 4, comment: "ok" });
    documented(review, "post", "products/{pk}/add-review/", 201);
    const reviewId = (review.data as { id: number }).id;
    documented(await customer.get(`/api/v1/reviews/${reviewId}/`), "get", "reviews/{pk}/");
    documented(
      await customer.put(`/api/v1/reviews/${reviewId}/`, { rating: 5, comment: "good" }),
      "put",
      "reviews/{pk}/",
    );
    documented(await customer.patch(`/api/v1/reviews/${reviewId}/`, { rating: 3 }), "patch", "reviews/{pk}/");
    documented(await customer.delete(`/api/v1/reviews/${reviewId}/`), "delete", "reviews/{pk}/", 204);
    documented(await manager.delete(`/api/v1/products/${pk}/`), "delete", "products/{pk}/", 204);
  });

  it("orders", async () => {
    const product = (await Product.active.filter({ stock__gt: 5 }).orderBy("id").first())!;
    const created = await customer.post("/api/v1/orders/", { items: [{ product: product.pk, quantity: 1 }] });
    documented(created, "post", "orders/", 201);
    const pk = (created.data as { id: number }).id;
    documented(await customer.get("/api/v1/orders/"), "get", "orders/");
    documented(await customer.get(`/api/v1/orders/${pk}/`), "get", "orders/{pk}/");
    documented(await admin.patch(`/api/v1/orders/${pk}/`, { status: "processing" }), "patch", "orders/{pk}/");
    const other = await customer.post("/api/v1/orders/", { items: [{ product: product.pk, quantity: 1 }] });
    const otherPk = (other.data as { id: number }).id;
    documented(await customer.post(`/api/v1/orders/${otherPk}/cancel/`), "post", "orders/{pk}/cancel/");
    expect((await Order.objects.get({ pk: otherPk })).status).toBe("cancelled");
  });

  it("users: registration and the requester's account", async () => {
    const anon = t.client();
    const registered = await anon.post("/api/v1/users/", {
      username: "schema_user",
      email: "schema@example.com",
      password: "a-long-password",
    });
    documented(registered, "post", "users/", 201);
    documented(await customer.get("/api/v1/users/me/"), "get", "users/me/");
    documented(
      await customer.patch("/api/v1/users/me/", { first_name: "Margaret", profile: { bio: "hi" } }),
      "patch",
      "users/me/",
    );
  });

  it("auth: token, JWT obtain, refresh, verify, blacklist", async () => {
    const anon = t.client();
    documented(
      await anon.post("/api/v1/auth/token/", { username: "margaret16", password: PASSWORD }),
      "post",
      "auth/token/",
    );
    const pair = await anon.post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD });
    documented(pair, "post", "auth/jwt/");
    const { access, refresh } = pair.data as { access: string; refresh: string };
    documented(await anon.post("/api/v1/auth/jwt/verify/", { token: access }), "post", "auth/jwt/verify/");
    const refreshed = await anon.post("/api/v1/auth/jwt/refresh/", { refresh });
    documented(refreshed, "post", "auth/jwt/refresh/");
    const rotated = (refreshed.data as { refresh?: string }).refresh ?? refresh;
    documented(
      await anon.post("/api/v1/auth/jwt/blacklist/", { refresh: rotated }),
      "post",
      "auth/jwt/blacklist/",
    );
  });

  it("the v2 document (generateSchema with version v2) matches the v2 answers", async () => {
    const v2 = (await generateSchema({
      title: "shop-api",
      version: "2",
      app: t.shop.app,
      kwargs: { version: "v2" },
    })) as unknown as Document;
    const list = v2.paths["/api/v2/products/"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    const v2ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    v2ajv.addSchema({ $id: "doc", components: strict(v2.components) });
    const validate = v2ajv.compile({ $ref: "#/$defs/body", $defs: { body: rebase(strict(list)) } });
    const res = await t.client().get("/api/v2/products/?page_size=50");
    expect(res.status).toBe(200);
    expect(validate(res.data), v2ajv.errorsText(validate.errors)).toBe(true);
    expect(v2.components.schemas.ProductListV2?.properties).toHaveProperty("review_count");
  });

  it("a body with a key the document does not list fails the check", () => {
    const validate = ajv.compile({ $ref: "doc#/components/schemas/Category" });
    const category = { id: 1, name: "Electronics", slug: "electronics", description: "" };
    expect(validate(category)).toBe(true);
    expect(validate({ ...category, extra: true })).toBe(false);
    expect(validate({ ...category, id: "1" })).toBe(false);
  });

  it("every documented operation was checked against a real 2xx", () => {
    const all = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(all.filter((id) => !checked.has(id))).toEqual([]);
  });
});
