import {
  CharField,
  HyperlinkedIdentityField,
  HyperlinkedRelatedField,
  IntegerField,
  Serializer,
} from "@x/serializers";
import { APIClient, GenericViewSet, type Request, Response, ViewSet } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DefaultRouter, mount, NestedSimpleRouter, resolve, SimpleRouter } from "../src/index.js";

// Plain rows (no database): the point is URLs, not storage.
const categories = [{ pk: 1, id: 1, slug: "books", name: "Books" }];
const products = [
  { pk: 7, id: 7, name: "Pen", category_id: 1, category: categories[0] },
  { pk: 8, id: 8, name: "Ink", category_id: 1, category: categories[0] },
];

class ProductSerializer extends Serializer.of({
  url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
  category: new HyperlinkedRelatedField({ viewName: "category-detail", lookupField: "slug", readOnly: true }),
}) {}

class ProductViewSet extends GenericViewSet {
  static override serializerClass = ProductSerializer;
  async list() {
    return new Response(await this.getSerializer({ instance: products, many: true }).data);
  }
  async retrieve() {
    const product = products.find((p) => String(p.pk) === this.kwargs.pk);
    return new Response(await this.getSerializer({ instance: product }).data);
  }
}

class CategoryViewSet extends ViewSet {
  static lookupField = "slug";
  retrieve(request: Request) {
    return new Response({ slug: request.kwargs.slug });
  }
}

function build(prefix: string, namespace?: string) {
  const router = new DefaultRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  return { router, namespace, prefix };
}

describe("hyperlinked serializer fields reverse real routes", () => {
  const app = new Hono();
  const { router } = build("/api/v1/");
  mount(app, "/api/v1/", router, { namespace: "v1" });
  mount(app, "/api/v2/", router, { namespace: "v2" });
  const client = new APIClient(app, { baseUrl: "https://shop.example" });

  it("writes absolute URLs of the mount the request came through", async () => {
    const res = await client.get("/api/v2/products/7/");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      url: "https://shop.example/api/v2/products/7/",
      id: 7,
      name: "Pen",
      category: "https://shop.example/api/v2/categories/books/",
    });
    const list = await client.get("/api/v1/products/");
    expect(list.data.map((p: { url: string }) => p.url)).toEqual([
      "https://shop.example/api/v1/products/7/",
      "https://shop.example/api/v1/products/8/",
    ]);
  });
});

describe("resolve", () => {
  const router = new SimpleRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  const nested = new NestedSimpleRouter(router, "categories", { lookup: "category" });
  nested.register("products", ProductViewSet, { basename: "category-products" });
  const app = new Hono();
  const v1 = mount(app, "/api/v1/", [router, nested], { namespace: "v1" });
  const other = mount(
    app,
    "/other/",
    new SimpleRouter().register("things", CategoryViewSet, { basename: "thing" }),
  );
  app.get("/echo/", (c) => c.json(null));
  const answers: unknown[] = [];
  class Probe extends ViewSet {
    list(request: Request) {
      const url = request.queryParams.get("url") ?? "";
      const match = resolve(url, request);
      answers.push(match && { viewName: match.viewName, namespace: match.namespace, kwargs: match.kwargs });
      return new Response(null);
    }
  }
  mount(app, "/probe/", new SimpleRouter().register("p", Probe, { basename: "probe" }));
  const client = new APIClient(app);

  it("matches paths to route names and decoded kwargs, like Django's resolve", () => {
    expect(v1.resolve("/api/v1/products/12/")).toMatchObject({
      viewName: "product-detail",
      namespace: "v1",
      kwargs: { pk: "12" },
    });
    expect(v1.resolve("/api/v1/categories/home%20garden/products/3/")).toMatchObject({
      viewName: "category-products-detail",
      kwargs: { category_slug: "home garden", pk: "3" },
    });
    expect(v1.resolve("/api/v1/products/")?.viewName).toBe("product-list");
    expect(v1.resolve("/other/things/a/")?.viewName).toBe("thing-detail");
    expect(other.resolve("/api/v1/categories/x/")?.viewName).toBe("category-detail");
    expect(v1.resolve("/api/v1/products/1.json/")).toBeNull();
    expect(v1.resolve("/api/v1/products")).toBeNull();
    expect(v1.resolve("/nowhere/")).toBeNull();
  });

  it("resolves from within a request under a prefix parameter too", async () => {
    const seen: unknown[] = [];
    class Probe extends ViewSet {
      list(request: Request) {
        const match = resolve(request.queryParams.get("url") ?? "", request);
        seen.push(match && { viewName: match.viewName, kwargs: match.kwargs });
        return new Response(null);
      }
    }
    const papp = new Hono();
    mount(papp, "/api/:version{v1|v2}/", new SimpleRouter().register("probe", Probe, { basename: "probe" }));
    await new APIClient(papp).get("/api/v2/probe/", { query: { url: "/api/v1/probe/" } });
    expect(seen).toEqual([{ viewName: "probe-list", kwargs: { version: "v1" } }]);
  });

  it("resolves absolute URLs from within a request", async () => {
    await client.get("/probe/p/", { query: { url: "http://testserver/api/v1/products/5/?x=1" } });
    await client.get("/probe/p/", { query: { url: "http://testserver/api/v1/nope/" } });
    expect(answers).toEqual([{ viewName: "product-detail", namespace: "v1", kwargs: { pk: "5" } }, null]);
  });
});
