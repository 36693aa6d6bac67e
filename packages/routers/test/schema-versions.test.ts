// One OpenAPI document per API version: schemaView answers `?version=` (or a version path
// parameter) with that version's document, refuses versions the settings do not allow as
// DRF's versioning classes do (404), and generates each document once.
import { Validator } from "@seriousme/openapi-schema-validator";
import { CharField, IntegerField, Serializer } from "@x/serializers";
import {
  AcceptHeaderVersioning,
  APIClient,
  type ApiSettings,
  defineSettings,
  NamespaceVersioning,
  QueryParameterVersioning,
  ReadOnlyModelViewSet,
  URLPathVersioning,
  type VersioningClass,
} from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DefaultRouter, generateSchema, mount, type OpenAPIDocument, schemaView } from "../src/index.js";

class ProductSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
}) {}
class ProductV2Serializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
  review_count: new IntegerField({ readOnly: true }),
}) {}

/** A product viewset whose v2 answers carry `review_count`, counting how often it is inspected. */
function productsVersionedBy(versioningClass: VersioningClass) {
  const inspected = { count: 0 };
  class Products extends ReadOnlyModelViewSet {
    static override versioningClass = versioningClass;
    static override serializerClass = ProductSerializer;
    override getSerializerClass() {
      inspected.count += 1;
      return this.request?.version === "v2" ? ProductV2Serializer : ProductSerializer;
    }
  }
  return { Products, inspected };
}

const versioned: Partial<ApiSettings> = { defaultVersion: "v1", allowedVersions: ["v1", "v2"] };

function listItem(doc: OpenAPIDocument, path: string): unknown {
  const schema = doc.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.schema as
    | { items?: unknown }
    | undefined;
  return schema?.items;
}

async function served(client: APIClient, url: string): Promise<OpenAPIDocument> {
  const res = await client.get(url);
  expect(res.status, `${url}: ${res.text}`).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.oai.openapi+json; charset=utf-8");
  return JSON.parse(res.text) as OpenAPIDocument;
}

describe("schemaView per API version, URL path versioning (/api/:version{v1|v2}/)", () => {
  const { Products, inspected } = productsVersionedBy(URLPathVersioning);
  const settings = defineSettings(versioned);
  const app = new Hono();
  const resolver = mount(
    app,
    "/api/:version{v1|v2}/",
    new DefaultRouter().register("products", Products, { basename: "product" }),
    { settings },
  );
  const options = { title: "Shop", version: "1.0.0", mounts: [resolver], settings };
  app.get("/api/schema/", schemaView(options));
  // the same documents at a versioned path, if the app wants one
  app.get("/schema/:version/", schemaView(options));
  const client = new APIClient(app);

  it("serves the requested version's document; without one, the document as configured", async () => {
    const plain = await served(client, "/api/schema/");
    expect(plain).toEqual(JSON.parse(JSON.stringify(await generateSchema(options))));
    expect(Object.keys(plain.paths)).toEqual(["/api/{version}/products/", "/api/{version}/products/{pk}/"]);
    expect(plain.info.version).toBe("1.0.0");
    // no version asked: the views answer as the default version
    expect(listItem(plain, "/api/{version}/products/")).toEqual({ $ref: "#/components/schemas/Product" });

    const v2 = await served(client, "/api/schema/?version=v2");
    expect(Object.keys(v2.paths)).toEqual(["/api/v2/products/", "/api/v2/products/{pk}/"]);
    expect(v2.info).toEqual({ title: "Shop", version: "1.0.0 (v2)" });
    expect(listItem(v2, "/api/v2/products/")).toEqual({ $ref: "#/components/schemas/ProductV2" });
    expect(v2.components.schemas.ProductV2?.properties).toHaveProperty("review_count");
    // the version is written into the paths: no version parameter left
    expect(v2.paths["/api/v2/products/{pk}/"]?.get?.parameters?.map((p) => p.name)).toEqual(["pk"]);
    const validation = await new Validator().validate(structuredClone(v2) as never);
    expect(validation.errors).toBeUndefined();
    expect(validation.valid).toBe(true);

    const v1 = await served(client, "/api/schema/?version=v1");
    expect(Object.keys(v1.paths)).toEqual(["/api/v1/products/", "/api/v1/products/{pk}/"]);
    expect(listItem(v1, "/api/v1/products/")).toEqual({ $ref: "#/components/schemas/Product" });
    expect(v1.components.schemas.ProductV2).toBeUndefined();
  });

  it("answers a version the settings do not allow with DRF's 404", async () => {
    for (const url of ["/api/schema/?version=v3", "/api/schema/?version=", "/api/schema/?version=V2"]) {
      const res = await client.get(url);
      expect(res.status, url).toBe(404);
      expect(res.data).toEqual({ detail: "Invalid version in query parameter." });
    }
    const byPath = await client.get("/schema/v3/");
    expect(byPath.status).toBe(404);
    expect(byPath.data).toEqual({ detail: "Invalid version in URL path." });
  });

  it("takes the version from a path parameter when mounted with one", async () => {
    const byPath = await client.get("/schema/v2/");
    expect(byPath.status).toBe(200);
    expect(byPath.text).toBe((await client.get("/api/schema/?version=v2")).text);
  });

  it("generates each version's document once, on its first request", async () => {
    const fresh = new Hono();
    fresh.get("/api/schema/", schemaView(options));
    const c = new APIClient(fresh);
    inspected.count = 0;
    // concurrent first requests share one generation
    const [a, b] = await Promise.all([c.get("/api/schema/?version=v2"), c.get("/api/schema/?version=v2")]);
    expect(a.text).toBe(b.text);
    const perDocument = inspected.count;
    expect(perDocument).toBeGreaterThan(0);
    await c.get("/api/schema/?version=v2");
    await c.get("/api/schema/?version=v9");
    expect(inspected.count).toBe(perDocument);
    await c.get("/api/schema/?version=v1");
    await c.get("/api/schema/");
    expect(inspected.count).toBe(3 * perDocument);
    for (const url of ["/api/schema/", "/api/schema/?version=v1", "/api/schema/?version=v2"]) {
      await c.get(url);
    }
    expect(inspected.count).toBe(3 * perDocument);
  });
});

describe("schemaView per API version, other versioning classes", () => {
  it("query parameter versioning: the views answer as the requested version", async () => {
    const { Products } = productsVersionedBy(QueryParameterVersioning);
    const settings = defineSettings(versioned);
    const app = new Hono();
    const resolver = mount(
      app,
      "/api/",
      new DefaultRouter().register("products", Products, { basename: "product" }),
      {
        settings,
      },
    );
    app.get("/api/schema/", schemaView({ title: "Shop", version: "1", mounts: [resolver], settings }));
    const client = new APIClient(app);
    const v2 = await served(client, "/api/schema/?version=v2");
    expect(listItem(v2, "/api/products/")).toEqual({ $ref: "#/components/schemas/ProductV2" });
    const v1 = await served(client, "/api/schema/?version=v1");
    expect(listItem(v1, "/api/products/")).toEqual({ $ref: "#/components/schemas/Product" });
  });

  it("accept header versioning: the views answer as the requested version", async () => {
    const { Products } = productsVersionedBy(AcceptHeaderVersioning);
    const settings = defineSettings(versioned);
    const app = new Hono();
    const router = new DefaultRouter().register("products", Products, { basename: "product" });
    const resolver = mount(app, "/api/", router, { settings });
    app.get("/api/schema/", schemaView({ title: "Shop", version: "1", mounts: [resolver], settings }));
    const client = new APIClient(app);
    const v2 = await served(client, "/api/schema/?version=v2");
    expect(listItem(v2, "/api/products/")).toEqual({ $ref: "#/components/schemas/ProductV2" });
    expect(listItem(await served(client, "/api/schema/"), "/api/products/")).toEqual({
      $ref: "#/components/schemas/Product",
    });
  });

  it("namespace versioning: a version's document holds only that namespace's routes", async () => {
    const { Products } = productsVersionedBy(NamespaceVersioning);
    const settings = defineSettings(versioned);
    const app = new Hono();
    const router = new DefaultRouter().register("products", Products, { basename: "product" });
    const v1 = mount(app, "/api/v1/", router, { namespace: "v1", settings });
    const v2 = mount(app, "/api/v2/", router, { namespace: "v2", settings });
    app.get("/api/schema/", schemaView({ title: "Shop", version: "1", mounts: [v1, v2], settings }));
    const client = new APIClient(app);
    const doc2 = await served(client, "/api/schema/?version=v2");
    expect(Object.keys(doc2.paths)).toEqual(["/api/v2/products/", "/api/v2/products/{pk}/"]);
    expect(listItem(doc2, "/api/v2/products/")).toEqual({ $ref: "#/components/schemas/ProductV2" });
    const doc1 = await served(client, "/api/schema/?version=v1");
    expect(Object.keys(doc1.paths)).toEqual(["/api/v1/products/", "/api/v1/products/{pk}/"]);
    const both = await served(client, "/api/schema/");
    expect(Object.keys(both.paths)).toHaveLength(4);
  });

  it("settings without versions ignore the parameter: one document", async () => {
    const { Products } = productsVersionedBy(URLPathVersioning);
    const app = new Hono();
    const resolver = mount(
      app,
      "/api/",
      new DefaultRouter().register("products", Products, { basename: "product" }),
    );
    app.get("/api/schema/", schemaView({ title: "Shop", version: "1", mounts: [resolver] }));
    const client = new APIClient(app);
    const plain = await client.get("/api/schema/");
    const asked = await client.get("/api/schema/?version=v7");
    expect(asked.status).toBe(200);
    expect(asked.text).toBe(plain.text);
  });
});
