import { Validator } from "@seriousme/openapi-schema-validator";
import { CharField, DecimalField, IntegerField, Serializer } from "@x/serializers";
import {
  type ActionsOf,
  AllowAny,
  APIClient,
  type Authentication,
  defineSettings,
  type FilterBackend,
  ModelViewSet,
  NamespaceVersioning,
  PageNumberPagination,
  type Permission,
  ReadOnlyModelViewSet,
  type Request,
  Response,
  type SchemaParameter,
  type Throttle,
  URLPathVersioning,
} from "@x/views";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DefaultRouter,
  extendSchema,
  generateSchema,
  mount,
  NestedSimpleRouter,
  type OpenAPIDocument,
  schemaView,
} from "../src/index.js";

// Stand-ins named like @x/auth's classes (routers sits beside auth, not above it): the
// generator recognises DRF's classes by name, and any class by its declared statics.
class JWTAuthentication implements Authentication {
  authenticate() {
    return null;
  }
}
class TokenAuthentication implements Authentication {
  static keyword = "Token";
  authenticate() {
    return null;
  }
}
class IsAuthenticatedOrReadOnly implements Permission {}
class IsAuthenticated implements Permission {}
class ApiKeyAuthentication implements Authentication {
  static openApiSecurityScheme = {
    name: "apiKey",
    scheme: { type: "apiKey" as const, in: "header" as const, name: "X-Api-Key" },
  };
  authenticate() {
    return null;
  }
}
class BurstThrottle implements Throttle {
  allowRequest() {
    return true;
  }
  wait() {
    return null;
  }
}
class CategoryFilter implements FilterBackend {
  filterQueryset<Q>(_request: Request, queryset: Q): Q {
    return queryset;
  }
  schemaParameters(): SchemaParameter[] {
    return [{ name: "category", in: "query", required: false, schema: { type: "string" } }];
  }
}
class Pages extends PageNumberPagination {
  override pageSizeQueryParam = "page_size";
}

class ProductSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField({ maxLength: 200 }),
  price: new DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  cost: new DecimalField({ maxDigits: 10, decimalPlaces: 2, writeOnly: true }),
}) {}
class ProductListSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
}) {}
class ProductListV2Serializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
  review_count: new IntegerField({ readOnly: true }),
}) {}
class ReviewSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  rating: new IntegerField({ minValue: 1, maxValue: 5 }),
  comment: new CharField({ required: false }),
}) {}
class CategorySerializer extends Serializer.of({ slug: new CharField(), name: new CharField() }) {}

class ProductViewSet extends ModelViewSet {
  static override serializerClass = ProductSerializer;
  static override paginationClass = Pages;
  static override filterBackends = [CategoryFilter];
  static override authenticationClasses = [JWTAuthentication, TokenAuthentication];
  static override permissionClasses = [IsAuthenticatedOrReadOnly];
  static override throttleClasses = [BurstThrottle];
  static override viewDescription = "Products of the shop.";
  static override actions: ActionsOf<ProductViewSet> = {
    favorite: { detail: true, methods: ["post"], permissionClasses: [IsAuthenticated] },
    featured: { detail: false },
    addReview: { detail: true, methods: ["post"], urlPath: "add-review", serializerClass: ReviewSerializer },
    unfavorite: { detail: true, methods: ["post"] },
  };
  override getSerializerClass() {
    if (this.action === "list" || this.action === "featured") {
      return this.request?.version === "v2" ? ProductListV2Serializer : ProductListSerializer;
    }
    return super.getSerializerClass();
  }
  favorite() {
    return new Response({ status: "product favorited" });
  }
  featured() {
    return new Response([]);
  }
  addReview() {
    return new Response({}, { status: 201 });
  }
  unfavorite() {
    return new Response({ status: "product unfavorited" });
  }
}
extendSchema(ProductViewSet, {
  favorite: {
    summary: "Mark the product as a favorite",
    responses: { 200: { type: "object", properties: { status: { type: "string" } }, required: ["status"] } },
  },
  destroy: { deprecated: true },
});

class CategoryViewSet extends ReadOnlyModelViewSet {
  static override serializerClass = CategorySerializer;
  static override lookupField = "slug";
  static override lookupValueRegex = "[-a-z0-9]+";
  static override permissionClasses = [AllowAny];
  static override authenticationClasses = [ApiKeyAuthentication];
}
class CategoryProductViewSet extends ReadOnlyModelViewSet {
  static override serializerClass = ProductListSerializer;
  static override permissionClasses = [AllowAny];
}
class HiddenViewSet extends ReadOnlyModelViewSet {
  static override serializerClass = CategorySerializer;
}
extendSchema(HiddenViewSet, { "*": { exclude: true } });

function buildRouters() {
  const router = new DefaultRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  router.register("hidden", HiddenViewSet, { basename: "hidden" });
  const nested = new NestedSimpleRouter(router, "categories", { lookup: "category" });
  nested.register("products", CategoryProductViewSet, { basename: "category-products" });
  return [router, nested];
}

const validator = new Validator();

describe("generateSchema", () => {
  let doc: OpenAPIDocument;
  const app = new Hono();
  const v1 = mount(app, "/api/v1/", buildRouters(), { namespace: "v1" });
  const v2 = mount(app, "/api/v2/", buildRouters(), { namespace: "v2" });
  class VersionedProducts extends ProductViewSet {
    static override versioningClass = NamespaceVersioning;
  }
  const versioned = new DefaultRouter().register("products", VersionedProducts, { basename: "product" });
  const vapp = new Hono();
  const vm1 = mount(vapp, "/api/v1/", versioned, { namespace: "v1" });
  const vm2 = mount(vapp, "/api/v2/", versioned, { namespace: "v2" });

  beforeAll(async () => {
    doc = await generateSchema({ title: "Shop API", version: "1.0.0", mounts: [v1] });
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    if (process.env.DUMP_SCHEMA) console.log(JSON.stringify(doc, null, 1));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("has a path per route, operations per mapped method, operationIds from route names", () => {
    expect(Object.keys(doc.paths)).toEqual([
      "/api/v1/products/",
      "/api/v1/products/featured/",
      "/api/v1/products/{pk}/",
      "/api/v1/products/{pk}/add-review/",
      "/api/v1/products/{pk}/favorite/",
      "/api/v1/products/{pk}/unfavorite/",
      "/api/v1/categories/",
      "/api/v1/categories/{slug}/",
      "/api/v1/categories/{category_slug}/products/",
      "/api/v1/categories/{category_slug}/products/{pk}/",
    ]);
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.entries(item).map(([method, op]) => `${method} ${(op as { operationId: string }).operationId}`),
    );
    expect(ids).toEqual([
      "get product_list",
      "post product_create",
      "get product_featured",
      "get product_retrieve",
      "put product_update",
      "patch product_partial_update",
      "delete product_destroy",
      "post product_add_review",
      "post product_favorite",
      "post product_unfavorite",
      "get category_list",
      "get category_retrieve",
      "get category_products_list",
      "get category_products_retrieve",
    ]);
  });

  it("documents read and write shapes as components, partial updates without required fields", () => {
    const { schemas } = doc.components;
    expect(schemas.Product).toMatchObject({
      type: "object",
      properties: { id: { type: "integer", readOnly: true }, name: {}, price: {} },
    });
    expect(Object.keys((schemas.Product as { properties: object }).properties)).toEqual([
      "id",
      "name",
      "price",
    ]);
    expect(Object.keys((schemas.ProductRequest as { properties: object }).properties)).toEqual([
      "name",
      "price",
      "cost",
    ]);
    expect(schemas.ProductRequest?.required).toEqual(["name", "price", "cost"]);
    expect(schemas.PatchedProductRequest?.required).toBeUndefined();
    const detail = doc.paths["/api/v1/products/{pk}/"];
    expect(detail?.put?.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ProductRequest" } } },
    });
    expect(detail?.patch?.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/PatchedProductRequest",
    });
    expect(detail?.get?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/Product",
    });
    expect(detail?.delete?.responses["204"]).toEqual({ description: "No response body" });
    expect(detail?.delete?.deprecated).toBe(true);
    const created = doc.paths["/api/v1/products/"]?.post?.responses["201"];
    expect(created?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Product" });
  });

  it("wraps list responses in the pagination envelope and adds filter and pagination parameters", () => {
    const list = doc.paths["/api/v1/products/"]?.get;
    expect(list?.responses["200"]?.content?.["application/json"]?.schema).toMatchObject({
      type: "object",
      required: ["count", "results"],
      properties: { results: { type: "array", items: { $ref: "#/components/schemas/ProductList" } } },
    });
    expect(list?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      "query:category",
      "query:page",
      "query:page_size",
    ]);
    // not paginated: an extra action with detail=false returns a plain list
    const featured = doc.paths["/api/v1/products/featured/"]?.get;
    expect(featured?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/ProductList" },
    });
    expect(featured?.parameters).toBeUndefined();
  });

  it("types path parameters from the lookup, and documents extra actions' own serializers", () => {
    expect(doc.paths["/api/v1/categories/{slug}/"]?.get?.parameters).toEqual([
      { name: "slug", in: "path", required: true, schema: { type: "string", pattern: "^(?:[-a-z0-9]+)$" } },
    ]);
    expect(
      doc.paths["/api/v1/categories/{category_slug}/products/{pk}/"]?.get?.parameters?.map((p) => p.name),
    ).toEqual(["category_slug", "pk"]);
    const review = doc.paths["/api/v1/products/{pk}/add-review/"]?.post;
    expect(review?.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/ReviewRequest",
    });
    // favorite names no serializer of its own: no body; its response comes from extendSchema
    const favorite = doc.paths["/api/v1/products/{pk}/favorite/"]?.post;
    expect(favorite?.requestBody).toBeUndefined();
    expect(favorite?.summary).toBe("Mark the product as a favorite");
    expect(favorite?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      type: "object",
      properties: { status: { type: "string" } },
      required: ["status"],
    });
    // unfavorite has no serializer of its own and no override: any JSON, no body (not the view's Product)
    const unfavorite = doc.paths["/api/v1/products/{pk}/unfavorite/"]?.post;
    expect(unfavorite?.requestBody).toBeUndefined();
    expect(unfavorite?.responses["200"]).toEqual({
      description: "",
      content: { "application/json": { schema: {} } },
    });
  });

  it("derives security schemes and per-operation security from authentication and permission classes", () => {
    expect(doc.components.securitySchemes).toEqual({
      jwtAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      tokenAuth: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: 'Token-based authentication with required prefix "Token"',
      },
      apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
    });
    const products = doc.paths["/api/v1/products/"];
    expect(products?.get?.security).toEqual([{ jwtAuth: [] }, { tokenAuth: [] }, {}]);
    expect(products?.post?.security).toEqual([{ jwtAuth: [] }, { tokenAuth: [] }]);
    expect(doc.paths["/api/v1/products/{pk}/favorite/"]?.post?.security).toEqual([
      { jwtAuth: [] },
      { tokenAuth: [] },
    ]);
    expect(doc.paths["/api/v1/categories/"]?.get?.security).toEqual([{ apiKey: [] }, {}]);
  });

  it("lists DRF's error responses each operation can give", () => {
    const codes = (method: "get" | "post" | "put" | "delete", path: string) =>
      Object.keys(doc.paths[path]?.[method]?.responses ?? {});
    expect(codes("get", "/api/v1/products/")).toEqual(["200", "429"]);
    expect(codes("post", "/api/v1/products/")).toEqual(["201", "400", "401", "403", "429"]);
    expect(codes("get", "/api/v1/products/{pk}/")).toEqual(["200", "404", "429"]);
    expect(codes("get", "/api/v1/categories/")).toEqual(["200"]);
    const badRequest = doc.paths["/api/v1/products/"]?.post?.responses["400"];
    expect(badRequest?.content?.["application/json"]?.schema).toEqual({
      anyOf: [{ $ref: "#/components/schemas/ValidationError" }, { $ref: "#/components/schemas/ErrorDetail" }],
    });
    expect(doc.components.schemas.ErrorDetail).toMatchObject({ required: ["detail"] });
  });

  it("tags operations per viewset, leaves out excluded views and the API root", () => {
    expect(doc.tags).toEqual([{ name: "categories" }, { name: "products" }]);
    expect(doc.paths["/api/v1/products/"]?.get?.tags).toEqual(["products"]);
    expect(doc.paths["/api/v1/products/"]?.get?.description).toBe("Products of the shop.");
    expect(Object.keys(doc.paths).some((p) => p.includes("hidden"))).toBe(false);
    expect(doc.paths["/api/v1/"]).toBeUndefined();
  });

  it("documents one API version per document, or all with namespaced operationIds", async () => {
    const both = await generateSchema({ title: "Shop API", version: "1.0.0", mounts: [v1, v2] });
    expect(both.paths["/api/v2/products/"]?.get?.operationId).toBe("v2_product_list");
    expect(both.paths["/api/v1/products/"]?.get?.operationId).toBe("v1_product_list");
    expect((await validator.validate(both as unknown as Record<string, unknown>)).valid).toBe(true);
    const whole = await generateSchema({ title: "Shop API", version: "1.0.0", app });
    expect(Object.keys(whole.paths)).toEqual(Object.keys(both.paths));
  });

  it("asks the view which serializer a version uses", async () => {
    const d1 = await generateSchema({ title: "Shop", version: "1", mounts: [vm1] });
    const d2 = await generateSchema({ title: "Shop", version: "2", mounts: [vm2] });
    const listItem = (d: OpenAPIDocument) =>
      (d.paths["/api/v1/products/"] ?? d.paths["/api/v2/products/"])?.get?.responses["200"]?.content?.[
        "application/json"
      ]?.schema as { properties: { results: { items: unknown } } };
    expect(listItem(d1).properties.results.items).toEqual({ $ref: "#/components/schemas/ProductList" });
    expect(listItem(d2).properties.results.items).toEqual({ $ref: "#/components/schemas/ProductListV2" });
  });

  it("documents a /api/:version{v1|v2}/ mount as one enum parameter, or one version with kwargs", async () => {
    class PathVersioned extends ProductViewSet {
      static override versioningClass = URLPathVersioning;
    }
    const papp = new Hono();
    const resolver = mount(
      papp,
      "/api/:version{v1|v2}/",
      new DefaultRouter().register("products", PathVersioned, { basename: "product" }),
    );
    const settings = defineSettings({ defaultVersion: "v1", allowedVersions: ["v1", "v2"] });
    const all = await generateSchema({ title: "Shop", version: "1", mounts: [resolver], settings });
    expect(all.paths["/api/{version}/products/"]?.get?.parameters?.[0]).toEqual({
      name: "version",
      in: "path",
      required: true,
      schema: { type: "string", enum: ["v1", "v2"] },
    });
    // the version parameter looks nothing up: no 404 on the list
    expect(Object.keys(all.paths["/api/{version}/products/"]?.get?.responses ?? {})).toEqual(["200", "429"]);
    const v2doc = await generateSchema({
      title: "Shop",
      version: "2",
      mounts: [resolver],
      settings,
      kwargs: { version: "v2" },
    });
    const list = v2doc.paths["/api/v2/products/"]?.get;
    expect(list?.parameters?.map((p) => p.name)).toEqual(["category", "page", "page_size"]);
    expect(list?.responses["200"]?.content?.["application/json"]?.schema).toMatchObject({
      properties: { results: { items: { $ref: "#/components/schemas/ProductListV2" } } },
    });
    expect(v2doc.paths["/api/v2/products/{pk}/"]?.get?.parameters?.map((p) => p.name)).toEqual(["pk"]);
    expect((await validator.validate(v2doc as unknown as Record<string, unknown>)).valid).toBe(true);
  });

  it("is served by schemaView, generated once", async () => {
    const served = new Hono();
    const resolver = mount(served, "/api/v1/", buildRouters(), { namespace: "v1" });
    served.get("/api/schema/", schemaView({ title: "Shop API", version: "1.0.0", mounts: [resolver] }));
    const client = new APIClient(served);
    const first = await client.get("/api/schema/");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/vnd.oai.openapi+json; charset=utf-8");
    const body = JSON.parse(first.text);
    expect(body.openapi).toBe("3.1.0");
    expect(body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect((await client.get("/api/schema/")).text).toBe(first.text);
  });
});
