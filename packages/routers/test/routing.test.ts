import { DjangoModelPermissions } from "@x/auth";
import {
  type ActionsOf,
  APIClient,
  defineSettings,
  NamespaceVersioning,
  type Request,
  Response,
  URLPathVersioning,
  ViewSet,
} from "@x/views";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { describe, expect, it } from "vitest";
import {
  APIRootView,
  DefaultRouter,
  dynamicRoute,
  ImproperlyConfigured,
  mount,
  NestedSimpleRouter,
  NoReverseMatch,
  reverse,
  route,
  SimpleRouter,
} from "../src/index.js";

/** Echoes which action ran, with the route kwargs and a reversed URL, so tests see the routing. */
class ProductViewSet extends ViewSet {
  static override actions: ActionsOf<ProductViewSet> = {
    markFavorite: { detail: true, methods: ["post"], urlPath: "favorite" },
    featured: { detail: false, methods: ["get"] },
    addReview: { detail: true, methods: ["post"], urlPath: "add-review", urlName: "add-review" },
  };
  list(request: Request) {
    return new Response({ action: this.action, url: reverse("product-list", {}, request) });
  }
  create() {
    return new Response({ action: this.action }, { status: 201 });
  }
  retrieve(request: Request) {
    return new Response({
      action: this.action,
      kwargs: request.kwargs,
      url: this.reverse("product-detail", this.kwargs),
    });
  }
  update() {
    return new Response({ action: this.action });
  }
  partialUpdate() {
    return new Response({ action: this.action });
  }
  destroy() {
    return new Response(undefined, { status: 204 });
  }
  markFavorite() {
    return new Response({ action: this.action, kwargs: this.kwargs });
  }
  featured() {
    return new Response({ action: this.action });
  }
  addReview() {
    return new Response({ action: this.action }, { status: 201 });
  }
}

class CategoryViewSet extends ViewSet {
  static lookupField = "slug";
  static lookupValueRegex = "[-a-z0-9]+";
  list() {
    return new Response([]);
  }
  retrieve(request: Request) {
    return new Response({ slug: request.kwargs.slug });
  }
}

class OrderViewSet extends ViewSet {
  list() {
    return new Response([]);
  }
  retrieve() {
    return new Response({});
  }
}

function shopApp(router: SimpleRouter, prefix = "/api/") {
  const app = new Hono();
  mount(app, prefix, router);
  return { app, client: new APIClient(app) };
}

describe("SimpleRouter URL table", () => {
  it("lists list, dynamic list, detail and dynamic detail routes in DRF's order and names", () => {
    const router = new SimpleRouter();
    router.register("products", ProductViewSet, { basename: "product" });
    const table = router.urls.map((u) => [u.route, u.name, u.mapping]);
    expect(table).toEqual([
      ["products/", "product-list", { get: "list", post: "create" }],
      ["products/featured/", "product-featured", { get: "featured" }],
      [
        "products/{pk}/",
        "product-detail",
        { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
      ],
      ["products/{pk}/add-review/", "product-add-review", { post: "addReview" }],
      ["products/{pk}/favorite/", "product-mark-favorite", { post: "markFavorite" }],
    ]);
    expect(router.urls[2]?.params).toEqual([{ name: "pk", regex: "[^/.]+" }]);
    expect(router.urls[2]?.initkwargs).toEqual({ suffix: "Instance", basename: "product", detail: true });
  });

  it("maps only the actions a viewset has", () => {
    const router = new SimpleRouter();
    router.register("orders", OrderViewSet, { basename: "order" });
    expect(router.urls.map((u) => [u.route, u.mapping])).toEqual([
      ["orders/", { get: "list" }],
      ["orders/{pk}/", { get: "retrieve" }],
    ]);
  });

  it("uses the viewset's lookup field and regex, and Django's converters", () => {
    class ByUuid extends OrderViewSet {
      static lookupField = "uuid";
      static lookupValueConverter = "uuid";
    }
    class ByKwarg extends OrderViewSet {
      static lookupField = "slug";
      static lookupUrlKwarg = "category_slug";
    }
    const router = new SimpleRouter();
    router.register("categories", CategoryViewSet, { basename: "category" });
    router.register("things", ByUuid, { basename: "thing" });
    router.register("kinds", ByKwarg, { basename: "kind" });
    const details = router.urls.filter((u) => u.detail).map((u) => [u.route, u.params]);
    expect(details).toEqual([
      ["categories/{slug}/", [{ name: "slug", regex: "[-a-z0-9]+" }]],
      [
        "things/{uuid}/",
        [{ name: "uuid", regex: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" }],
      ],
      ["kinds/{category_slug}/", [{ name: "category_slug", regex: "[^/.]+" }]],
    ]);
  });

  it("rejects a duplicate basename, a missing basename and an action named like a route", () => {
    const router = new SimpleRouter();
    router.register("products", ProductViewSet, { basename: "product" });
    expect(() => router.register("items", ProductViewSet, { basename: "product" })).toThrow(
      'Router with basename "product" is already registered. Please provide a unique basename for viewset "ProductViewSet"',
    );
    expect(() => router.register("orders", OrderViewSet)).toThrow(ImproperlyConfigured);
    expect(() => router.register("orders", OrderViewSet)).toThrow(/`basename` argument not specified/);

    class Clashing extends ViewSet {
      static override actions: ActionsOf<Clashing> = { list: { detail: false } };
      list() {
        return new Response([]);
      }
    }
    const bad = new SimpleRouter();
    bad.register("clashing", Clashing, { basename: "clashing" });
    expect(() => bad.urls).toThrow(
      "Cannot use the @action decorator on the following methods, as they are existing routes: list",
    );
  });

  it("rejects an unknown converter and an invalid regex at startup", () => {
    class BadConverter extends OrderViewSet {
      static lookupValueConverter = "float";
    }
    class BadRegex extends OrderViewSet {
      static lookupValueRegex = "[a-";
    }
    const a = new SimpleRouter().register("a", BadConverter, { basename: "a" });
    expect(() => a.urls).toThrow(/lookupValueConverter "float" is not one of int, str, slug, uuid, path/);
    const b = new SimpleRouter().register("b", BadRegex, { basename: "b" });
    expect(() => b.urls).toThrow(/lookupValueRegex "\[a-" is not a valid regex/);
  });
});

describe("dispatch through Hono", () => {
  const router = new SimpleRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  const { client } = shopApp(router);

  it("routes every method of every route to its action", async () => {
    expect((await client.get("/api/products/")).data).toEqual({
      action: "list",
      url: "http://testserver/api/products/",
    });
    expect((await client.post("/api/products/", {})).status).toBe(201);
    const detail = await client.get("/api/products/12/");
    expect(detail.data).toEqual({
      action: "retrieve",
      kwargs: { pk: "12" },
      url: "http://testserver/api/products/12/",
    });
    expect((await client.put("/api/products/12/", {})).data).toEqual({ action: "update" });
    expect((await client.patch("/api/products/12/", {})).data).toEqual({ action: "partialUpdate" });
    expect((await client.delete("/api/products/12/")).status).toBe(204);
    expect((await client.get("/api/products/featured/")).data).toEqual({ action: "featured" });
    expect((await client.post("/api/products/7/favorite/")).data).toEqual({
      action: "markFavorite",
      kwargs: { pk: "7" },
    });
    const review = await client.post("/api/products/7/add-review/", { rating: 5 });
    expect([review.status, review.data]).toEqual([201, { action: "addReview" }]);
  });

  it("answers 405 with Allow for a method the route does not map", async () => {
    const res = await client.delete("/api/products/");
    expect(res.status).toBe(405);
    expect(res.data).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    const action = await client.get("/api/products/7/favorite/");
    expect(action.status).toBe(405);
    expect(action.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await client.head("/api/products/3/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it("404s paths no route matches: unknown prefix, no trailing slash, a value outside the lookup regex", async () => {
    expect((await client.get("/api/nothing/")).status).toBe(404);
    expect((await client.get("/api/products")).status).toBe(404);
    expect((await client.get("/api/products/1.json/")).status).toBe(404);
    expect((await client.get("/api/products/1/2/")).status).toBe(404);
    expect((await client.get("/api/categories/Not_A_Slug/")).status).toBe(404);
    expect((await client.get("/api/categories/ok-slug-1/")).data).toEqual({ slug: "ok-slug-1" });
  });

  it("decodes percent-encoded lookup values", async () => {
    expect((await client.get("/api/products/a%20b/")).data.kwargs).toEqual({ pk: "a b" });
  });
});

describe("prefixes", () => {
  it("may hold parameters (DRF's regex prefixes), which reach the view and reverse", async () => {
    class AccountViewSet extends ViewSet {
      list(request: Request) {
        return new Response({ kwargs: request.kwargs, url: this.reverse("account-list", this.kwargs) });
      }
      retrieve(request: Request) {
        return new Response({ kwargs: request.kwargs });
      }
    }
    const router = new SimpleRouter();
    router.register("users/:user_pk{[0-9]+}/accounts", AccountViewSet, { basename: "account" });
    expect(router.urls.map((u) => u.route)).toEqual([
      "users/{user_pk}/accounts/",
      "users/{user_pk}/accounts/{pk}/",
    ]);
    const { client } = shopApp(router);
    expect((await client.get("/api/users/3/accounts/")).data).toEqual({
      kwargs: { user_pk: "3" },
      url: "http://testserver/api/users/3/accounts/",
    });
    expect((await client.get("/api/users/3/accounts/9/")).data.kwargs).toEqual({ user_pk: "3", pk: "9" });
    expect((await client.get("/api/users/x/accounts/")).status).toBe(404);
  });

  it("settings given to mount() reach the views of that mount only", async () => {
    class DenyAll {
      hasPermission() {
        return false;
      }
    }
    const router = new SimpleRouter().register("orders", OrderViewSet, { basename: "order" });
    const app = new Hono();
    mount(app, "/locked/", router, { settings: defineSettings({ defaultPermissionClasses: [DenyAll] }) });
    mount(app, "/open/", router);
    const client = new APIClient(app);
    const locked = await client.get("/locked/orders/");
    expect([locked.status, locked.data]).toEqual([
      403,
      { detail: "You do not have permission to perform this action." },
    ]);
    expect((await client.get("/open/orders/")).status).toBe(200);
  });
});

describe("appendSlash", () => {
  it("redirects GET and HEAD of a path without its slash, keeping the query", async () => {
    const router = new DefaultRouter().register("products", ProductViewSet, { basename: "product" });
    const app = new Hono();
    mount(app, "/api/", router, { appendSlash: true });
    const client = new APIClient(app);
    const res = await client.get("/api/products/12", { query: { a: "1" } });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/api/products/12/?a=1");
    expect((await client.head("/api/products/featured")).status).toBe(301);
    expect((await client.get("/api")).headers.get("location")).toBe("/api/");
    expect((await client.post("/api/products", {})).status).toBe(404);
    expect((await client.get("/api/products/12/")).status).toBe(200);
    expect((await client.get("/api/nothing")).status).toBe(404);
  });

  it("is off by default", async () => {
    const router = new SimpleRouter().register("products", ProductViewSet, { basename: "product" });
    expect((await shopApp(router).client.get("/api/products/12")).status).toBe(404);
  });
});

describe("trailingSlash", () => {
  it("false: routes without the slash", async () => {
    const router = new SimpleRouter({ trailingSlash: false });
    router.register("products", ProductViewSet, { basename: "product" });
    expect(router.urls.map((u) => u.route)).toEqual([
      "products",
      "products/featured",
      "products/{pk}",
      "products/{pk}/add-review",
      "products/{pk}/favorite",
    ]);
    const { client } = shopApp(router);
    expect((await client.get("/api/products/5")).data.url).toBe("http://testserver/api/products/5");
    expect((await client.get("/api/products/5/")).status).toBe(404);
  });

  it('"optional": both forms match, reverse writes the slash', async () => {
    const router = new SimpleRouter({ trailingSlash: "optional" });
    router.register("products", ProductViewSet, { basename: "product" });
    const { client } = shopApp(router);
    expect((await client.get("/api/products/5")).data.url).toBe("http://testserver/api/products/5/");
    expect((await client.get("/api/products/5/")).data.url).toBe("http://testserver/api/products/5/");
    expect((await client.get("/api/products")).data.action).toBe("list");
  });
});

describe("DefaultRouter", () => {
  const router = new DefaultRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  router.register("orders", OrderViewSet, { basename: "order" });
  const { client } = shopApp(router);

  it("adds the API root, named api-root, last in the table", () => {
    const last = router.urls[router.urls.length - 1];
    expect([last?.route, last?.name]).toEqual(["", "api-root"]);
  });

  it("GET / lists the list URLs, absolute, from the request's host", async () => {
    const res = await client.get("/api/");
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      '{"products":"http://testserver/api/products/","categories":"http://testserver/api/categories/","orders":"http://testserver/api/orders/"}',
    );
    const other = new APIClient(shopApp(router).app, { baseUrl: "https://shop.example:8443" });
    expect((await other.get("/api/")).data.products).toBe("https://shop.example:8443/api/products/");
  });

  it("answers 405 with Allow for other methods on the root", async () => {
    const res = await client.post("/api/", {});
    expect(res.status).toBe(405);
    expect(res.data).toEqual({ detail: 'Method "POST" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("lets DjangoModelPermissions through on the root (DRF's _ignore_model_permissions)", async () => {
    const app = new Hono();
    const root = new DefaultRouter().register("orders", OrderViewSet, { basename: "order" });
    mount(app, "/api/", root, {
      settings: defineSettings({ defaultPermissionClasses: [DjangoModelPermissions] }),
    });
    const user = { isAuthenticated: true, pk: 1, is_active: true, is_superuser: false };
    const res = await new APIClient(app).forceAuthenticate(user).get("/api/");
    expect([res.status, res.data]).toEqual([200, { orders: "http://testserver/api/orders/" }]);
  });

  it("can leave the root out", () => {
    const bare = new DefaultRouter({ includeRootView: false });
    bare.register("orders", OrderViewSet, { basename: "order" });
    expect(bare.urls.map((u) => u.name)).toEqual(["order-list", "order-detail"]);
  });
});

describe("custom routers from route descriptions", () => {
  class CustomRouter extends SimpleRouter {
    override routes = [
      route({
        url: "^{prefix}{trailing_slash}$",
        mapping: { get: "list", post: "create" },
        name: "{basename}-list",
        detail: false,
        initkwargs: { suffix: "List" },
      }),
      route({
        url: "^{prefix}/{lookup}{trailing_slash}$",
        mapping: { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
        name: "{basename}-detail",
        detail: true,
        initkwargs: { suffix: "Instance" },
      }),
      dynamicRoute({
        url: "^{prefix}/{lookup}/{url_path}{trailing_slash}$",
        name: "{basename}-{url_name}",
        detail: true,
        initkwargs: {},
      }),
    ];
  }

  it("routes detail actions only (no list-level dynamic route)", async () => {
    const router = new CustomRouter();
    router.register("products", ProductViewSet, { basename: "product" });
    expect(router.urls.map((u) => u.name)).toEqual([
      "product-list",
      "product-detail",
      "product-add-review",
      "product-mark-favorite",
    ]);
    const { client } = shopApp(router);
    expect((await client.post("/api/products/3/favorite/")).data.action).toBe("markFavorite");
    // No detail=false route: "featured" is taken as a pk.
    expect((await client.get("/api/products/featured/")).data.kwargs).toEqual({ pk: "featured" });
  });

  it("a read-only router from plain route data", async () => {
    const router = new SimpleRouter({
      routes: [
        route({ url: "{prefix}", mapping: { get: "list" }, name: "{basename}-list", detail: false }),
        route({
          url: "{prefix}/{lookup}",
          mapping: { get: "retrieve" },
          name: "{basename}-detail",
          detail: true,
        }),
      ],
    });
    router.register("products", ProductViewSet, { basename: "product" });
    expect(router.urls.map((u) => [u.route, u.mapping])).toEqual([
      ["products", { get: "list" }],
      ["products/{pk}", { get: "retrieve" }],
    ]);
    const { client } = shopApp(router);
    expect((await client.post("/api/products")).status).toBe(405);
  });
});

describe("nested routers", () => {
  class AuthorViewSet extends OrderViewSet {}
  class PublisherViewSet extends OrderViewSet {}
  class BookViewSet extends ViewSet {
    list(request: Request) {
      return new Response({ kwargs: request.kwargs, url: this.reverse("author-books-list", this.kwargs) });
    }
    retrieve(request: Request) {
      return new Response({ kwargs: request.kwargs });
    }
  }
  class ChapterViewSet extends ViewSet {
    static lookupValueConverter = "int";
    retrieve(request: Request) {
      return new Response({
        kwargs: request.kwargs,
        book: reverse(
          "author-books-detail",
          { author_pk: request.kwargs.author_pk ?? "", pk: request.kwargs.book_pk ?? "" },
          request,
        ),
      });
    }
  }

  const router = new SimpleRouter();
  router.register("authors", AuthorViewSet, { basename: "author" });
  router.register("publishers", PublisherViewSet, { basename: "publisher" });
  const authorsRouter = new NestedSimpleRouter(router, "authors", { lookup: "author" });
  authorsRouter.register("books", BookViewSet, { basename: "author-books" });
  const booksRouter = new NestedSimpleRouter(authorsRouter, "books", { lookup: "book" });
  booksRouter.register("chapters", ChapterViewSet, { basename: "book-chapters" });
  const app = new Hono();
  mount(app, "/api/", [router, authorsRouter, booksRouter]);
  const client = new APIClient(app);

  it("generates drf-nested-routers' URLs", () => {
    expect(authorsRouter.urls.map((u) => [u.route, u.name])).toEqual([
      ["authors/{author_pk}/books/", "author-books-list"],
      ["authors/{author_pk}/books/{pk}/", "author-books-detail"],
    ]);
    expect(booksRouter.urls.map((u) => u.route)).toEqual([
      "authors/{author_pk}/books/{book_pk}/chapters/{pk}/",
    ]);
  });

  it("hands the parent kwargs to the child viewset, at any depth", async () => {
    expect((await client.get("/api/authors/4/books/")).data).toEqual({
      kwargs: { author_pk: "4" },
      url: "http://testserver/api/authors/4/books/",
    });
    expect((await client.get("/api/authors/4/books/9/")).data.kwargs).toEqual({ author_pk: "4", pk: "9" });
    expect((await client.get("/api/authors/4/books/9/chapters/2/")).data).toEqual({
      kwargs: { author_pk: "4", book_pk: "9", pk: "2" },
      book: "http://testserver/api/authors/4/books/9/",
    });
    expect((await client.get("/api/authors/4/books/9/chapters/x/")).status).toBe(404);
    expect((await client.get("/api/authors/")).status).toBe(200);
  });

  it("refuses to nest under a prefix the parent does not have", () => {
    expect(() => new NestedSimpleRouter(router, "editors", { lookup: "editor" })).toThrow(
      /no viewset is registered at prefix "editors"/,
    );
  });
});

describe("mounting on a Hono app", () => {
  it("coexists with plain Hono routes and middleware", async () => {
    const router = new DefaultRouter();
    router.register("orders", OrderViewSet, { basename: "order" });
    const app = new Hono();
    app.use("*", cors({ origin: "https://front.example" }));
    app.use("*", secureHeaders());
    app.get("/healthz", (c) => c.json({ status: "ok" }));
    mount(app, "/api/", router);
    const client = new APIClient(app);

    expect((await client.get("/healthz")).data).toEqual({ status: "ok" });
    const res = await client.get("/api/orders/", { headers: { origin: "https://front.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://front.example");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const preflight = await client.options("/api/orders/", {
      headers: { origin: "https://front.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
  });

  it("serves two API versions side by side, each reversing into its own prefix", async () => {
    class V1 extends ProductViewSet {}
    class V2 extends ProductViewSet {}
    const v1 = new DefaultRouter();
    v1.register("products", V1, { basename: "product" });
    const v2 = new DefaultRouter();
    v2.register("products", V2, { basename: "product" });
    const app = new Hono();
    mount(app, "/api/v1/", v1, { namespace: "v1" });
    mount(app, "/api/v2/", v2, { namespace: "v2" });
    const client = new APIClient(app);
    expect((await client.get("/api/v1/")).data).toEqual({ products: "http://testserver/api/v1/products/" });
    expect((await client.get("/api/v2/")).data).toEqual({ products: "http://testserver/api/v2/products/" });
    expect((await client.get("/api/v2/products/3/")).data.url).toBe("http://testserver/api/v2/products/3/");
    expect((await client.get("/api/v1/products/3/")).data.url).toBe("http://testserver/api/v1/products/3/");
    expect((await client.get("/api/v3/products/3/")).status).toBe(404);
  });

  it("a prefix parameter carries over to every reversed URL", async () => {
    const router = new DefaultRouter();
    router.register("products", ProductViewSet, { basename: "product" });
    const app = new Hono();
    const resolver = mount(app, "/api/:version{v[12]}/", router);
    const client = new APIClient(app);
    expect((await client.get("/api/v2/")).data).toEqual({ products: "http://testserver/api/v2/products/" });
    const detail = await client.get("/api/v1/products/8/");
    expect(detail.data).toEqual({
      action: "retrieve",
      kwargs: { version: "v1", pk: "8" },
      url: "http://testserver/api/v1/products/8/",
    });
    expect((await client.get("/api/v3/")).status).toBe(404);
    expect(resolver.reverse("product-detail", { version: "v2", pk: 1 })).toBe("/api/v2/products/1/");
  });

  it("sets request.version from the mount: NamespaceVersioning and URLPathVersioning", async () => {
    class ByNamespace extends ViewSet {
      static override versioningClass = NamespaceVersioning;
      list(request: Request) {
        return new Response({ version: request.version, url: this.reverse("thing-list") });
      }
    }
    class ByPath extends ViewSet {
      static override versioningClass = URLPathVersioning;
      list(request: Request) {
        return new Response({ version: request.version, url: this.reverse("item-list") });
      }
    }
    const things = new SimpleRouter().register("things", ByNamespace, { basename: "thing" });
    const items = new SimpleRouter().register("items", ByPath, { basename: "item" });
    const app = new Hono();
    mount(app, "/api/v1/", things, { namespace: "v1" });
    mount(app, "/api/v2/", things, { namespace: "v2" });
    mount(app, "/api/:version{v1|v2}/", items);
    const client = new APIClient(app);
    expect((await client.get("/api/v1/things/")).data).toEqual({
      version: "v1",
      url: "http://testserver/api/v1/things/",
    });
    expect((await client.get("/api/v2/things/")).data).toEqual({
      version: "v2",
      url: "http://testserver/api/v2/things/",
    });
    expect((await client.get("/api/v2/items/")).data).toEqual({
      version: "v2",
      url: "http://testserver/api/v2/items/",
    });
  });
});

describe("API root links, made once per base", () => {
  class Things extends ViewSet {
    static override versioningClass = URLPathVersioning;
    list() {
      return new Response([]);
    }
  }

  it("answers each origin, mount and version with its own links, however often asked", async () => {
    const router = new DefaultRouter().register("things", Things, { basename: "thing" });
    const app = new Hono();
    mount(app, "/api/:version{v1|v2}/", router);
    mount(app, "/other/:version{v1|v2}/", router);
    const local = new APIClient(app);
    const remote = new APIClient(app, { baseUrl: "https://shop.example:8443" });
    for (let round = 0; round < 2; round++) {
      expect((await local.get("/api/v1/")).data).toEqual({ things: "http://testserver/api/v1/things/" });
      expect((await local.get("/api/v2/")).data).toEqual({ things: "http://testserver/api/v2/things/" });
      expect((await remote.get("/api/v2/")).data).toEqual({
        things: "https://shop.example:8443/api/v2/things/",
      });
      expect((await local.get("/other/v1/")).data).toEqual({ things: "http://testserver/other/v1/things/" });
    }
  });

  it("hands each response its own object: a subclass's change does not reach the next response", async () => {
    class TaggedRoot extends APIRootView {
      static served = 0;
      override get(request: Request): Response {
        const response = super.get(request);
        (response.data as Record<string, unknown>).served = ++TaggedRoot.served;
        return response;
      }
    }
    const router = new DefaultRouter({ rootView: TaggedRoot }).register("things", Things, {
      basename: "thing",
    });
    const app = new Hono();
    mount(app, "/api/:version{v1|v2}/", router);
    const client = new APIClient(app);
    expect((await client.get("/api/v1/")).data).toEqual({
      things: "http://testserver/api/v1/things/",
      served: 1,
    });
    expect((await client.get("/api/v1/")).data).toEqual({
      things: "http://testserver/api/v1/things/",
      served: 2,
    });
  });
});

describe("reverse", () => {
  const router = new DefaultRouter();
  router.register("products", ProductViewSet, { basename: "product" });
  router.register("categories", CategoryViewSet, { basename: "category" });
  const app = new Hono();
  const v1 = mount(app, "/api/v1/", router, { namespace: "v1" });
  mount(app, "/api/v2/", router, { namespace: "v2" });
  app.get("/plain/", (c) => {
    try {
      return c.text(reverse("product-list", {}, c));
    } catch (error) {
      return c.text(`${(error as Error).name}: ${(error as Error).message}`, 500);
    }
  });

  it("builds paths from names and kwargs, percent-encoding values", () => {
    expect(v1.reverse("api-root")).toBe("/api/v1/");
    expect(v1.reverse("product-list")).toBe("/api/v1/products/");
    expect(v1.reverse("product-detail", { pk: 12 })).toBe("/api/v1/products/12/");
    expect(v1.reverse("product-detail", { pk: "a b" })).toBe("/api/v1/products/a%20b/");
    expect(v1.reverse("product-mark-favorite", { pk: 3 })).toBe("/api/v1/products/3/favorite/");
    expect(v1.reverse("category-detail", { slug: "home-garden" })).toBe("/api/v1/categories/home-garden/");
    expect(v1.reverse("v2:product-list")).toBe("/api/v2/products/");
    expect(v1.reverse("product-list", {}, { namespace: "v2" })).toBe("/api/v2/products/");
  });

  it("throws Django's NoReverseMatch for unknown names, wrong kwargs and values the regex refuses", () => {
    expect(() => v1.reverse("nope")).toThrow(NoReverseMatch);
    expect(() => v1.reverse("nope")).toThrow(
      "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name.",
    );
    expect(() => v1.reverse("product-detail")).toThrow(
      "Reverse for 'product-detail' with no arguments not found. 1 pattern(s) tried: ['/api/v1/products/{pk}/']",
    );
    expect(() => v1.reverse("product-detail", { id: 1 })).toThrow(
      `Reverse for 'product-detail' with keyword arguments '{"id":1}' not found. 1 pattern(s) tried: ['/api/v1/products/{pk}/']`,
    );
    expect(() => v1.reverse("product-detail", { pk: "1.json" })).toThrow(NoReverseMatch);
    expect(() => v1.reverse("category-detail", { slug: "Bad Slug" })).toThrow(NoReverseMatch);
    expect(() => v1.reverse("v3:product-list")).toThrow("'v3' is not a registered namespace");
  });

  it("needs a request that came through a mounted router", async () => {
    const res = await app.request("/plain/");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe(
      "NoReverseMatch: Reverse for 'product-list' not found: the request did not come through a mounted router.",
    );
  });
});
