// One OpenAPI document per API version: GET /api/schema/?version=v2 is the v2 API as
// /api/v2/ answers it (valid OpenAPI 3.1, v2 product list items), /api/schema/ alone
// stays the document it always was, an unknown version is DRF's 404, and the docs page
// offers one document per version.
import { Validator } from "@seriousme/openapi-schema-validator";
import type { OpenAPIDocument } from "@x/routers";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strict } from "./response-schemas.js";
import { createTestShop, type TestShop } from "./setup.js";

type Json = { [key: string]: unknown };

let t: TestShop;
beforeAll(async () => {
  t = await createTestShop();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function documentAt(url: string): Promise<OpenAPIDocument> {
  const res = await t.client().get(url);
  expect(res.status, `${url}: ${res.text}`).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.oai.openapi+json; charset=utf-8");
  return JSON.parse(res.text) as OpenAPIDocument;
}

/** The `$ref` of a paginated list's items (`{count, next, previous, results: [...]}`). */
function pageItems(doc: OpenAPIDocument, path: string): unknown {
  const schema = doc.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.schema as
    | { properties?: { results?: { items?: unknown } } }
    | undefined;
  return schema?.properties?.results?.items;
}

describe("GET /api/schema/?version=", () => {
  it("v2: a valid OpenAPI 3.1 document of the /api/v2/ routes with v2 product list items", async () => {
    const v2 = await documentAt("/api/schema/?version=v2");
    const result = await new Validator().validate(structuredClone(v2) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(v2.info.version).toBe("1.0.0 (v2)");
    const paths = Object.keys(v2.paths);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.every((p) => p.startsWith("/api/v2/"))).toBe(true);
    expect(pageItems(v2, "/api/v2/products/")).toEqual({ $ref: "#/components/schemas/ProductListV2" });
    expect(v2.paths["/api/v2/products/featured/"]?.get?.responses["200"]?.content).toMatchObject({
      "application/json": { schema: { items: { $ref: "#/components/schemas/ProductListV2" } } },
    });
    const item = v2.components.schemas.ProductListV2 as { properties: Json; required?: string[] };
    expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(["average_rating", "review_count"]));
    // where the serializers are the same, so are the shapes
    const v1 = await documentAt("/api/schema/?version=v1");
    expect(v2.components.schemas.ProductDetail).toEqual(v1.components.schemas.ProductDetail);
  });

  it("v1: the /api/v1/ routes with v1 product list items", async () => {
    const v1 = await documentAt("/api/schema/?version=v1");
    expect(v1.info.version).toBe("1.0.0 (v1)");
    expect(Object.keys(v1.paths).every((p) => p.startsWith("/api/v1/"))).toBe(true);
    expect(pageItems(v1, "/api/v1/products/")).toEqual({ $ref: "#/components/schemas/ProductList" });
    expect(v1.components.schemas.ProductListV2).toBeUndefined();
    const item = v1.components.schemas.ProductList as { properties: Json };
    expect(item.properties).not.toHaveProperty("review_count");
    expect(item.properties).not.toHaveProperty("average_rating");
  });

  it("the v2 document describes what /api/v2/products/ answers", async () => {
    const v2 = await documentAt("/api/schema/?version=v2");
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: "doc", components: strict(v2.components) });
    const item = ajv.compile({ $ref: "doc#/components/schemas/ProductListV2" });
    const res = await t.client().get("/api/v2/products/?page_size=50");
    expect(res.status).toBe(200);
    const results = (res.data as { results: unknown[] }).results;
    expect(results.length).toBeGreaterThan(0);
    for (const product of results) expect(item(product), ajv.errorsText(item.errors)).toBe(true);
    // …and a v1 item is not a v2 item
    const v1 = await t.client().get("/api/v1/products/");
    expect(item((v1.data as { results: unknown[] }).results[0])).toBe(false);
  });

  it("without a version: the document it always was (paths with {version}, v1 shapes)", async () => {
    const plain = await documentAt("/api/schema/");
    expect(plain.info.version).toBe("1.0.0");
    expect(pageItems(plain, "/api/{version}/products/")).toEqual({
      $ref: "#/components/schemas/ProductList",
    });
    expect(plain.paths["/api/{version}/products/"]?.get?.parameters?.[0]).toEqual({
      name: "version",
      in: "path",
      required: true,
      schema: { type: "string", enum: ["v1", "v2"] },
    });
  });

  it("an unknown version is a 404 with DRF's detail", async () => {
    for (const url of ["/api/schema/?version=v3", "/api/schema/?version="]) {
      const res = await t.client().get(url);
      expect(res.status, url).toBe(404);
      expect(res.data).toEqual({ detail: "Invalid version in query parameter." });
    }
  });
});

describe("GET /api/docs/", () => {
  it("offers one document per API version, v1 first", async () => {
    const init = await t.client().get("/api/docs/assets/init.js");
    expect(init.status).toBe(200);
    const config = JSON.parse(
      /SwaggerUIBundle\(Object\.assign\((\{.*?\}), \{ presets/.exec(init.text)?.[1] ?? "{}",
    );
    expect(config.urls).toEqual([
      { name: "v1", url: "/api/schema/?version=v1" },
      { name: "v2", url: "/api/schema/?version=v2" },
    ]);
    expect(config["urls.primaryName"]).toBe("v1");
    for (const { url } of config.urls as { url: string }[]) {
      expect((await t.client().get(url)).status).toBe(200);
    }
  });
});
