// How a mount dispatches: one Hono route per mount (so the app keeps Hono's RegExpRouter),
// the first registered route that matches wins, path parameters percent-decoded as Hono does.
import {
  type ActionsOf,
  APIView,
  apiContext,
  defineSettings,
  type Request,
  Response,
  ViewSet,
} from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DefaultRouter, mount, path } from "../src/index.js";

class Echo extends APIView {
  static tag = "";
  get(request: Request) {
    return new Response({ tag: (this.constructor as typeof Echo).tag, kwargs: request.kwargs });
  }
}
const echo = (tag: string) =>
  class extends Echo {
    static override tag = tag;
  };

class ProductViewSet extends ViewSet {
  static override actions: ActionsOf<ProductViewSet> = { featured: { detail: false, methods: ["get"] } };
  list() {
    return new Response({ action: this.action });
  }
  retrieve() {
    return new Response({ action: this.action, kwargs: this.kwargs });
  }
  featured() {
    return new Response({ action: this.action });
  }
}

async function json(app: Hono, url: string): Promise<[number, unknown]> {
  const res = await app.request(url);
  return [
    res.status,
    res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text(),
  ];
}

describe("mount dispatch", () => {
  it("serves a literal action beside a detail route, and Hono stays on its RegExpRouter", async () => {
    const app = new Hono();
    const router = new DefaultRouter();
    router.register("products", ProductViewSet, { basename: "product" });
    mount(app, "/api/:version{v1|v2}/", router);
    app.get("/api/docs/", (c) => c.text("docs"));
    app.get("/api/docs/assets/:file", (c) => c.text(`asset ${c.req.param("file")}`));
    expect(await json(app, "/api/v1/products/featured/")).toEqual([200, { action: "featured" }]);
    expect(await json(app, "/api/v2/products/7/")).toEqual([
      200,
      { action: "retrieve", kwargs: { version: "v2", pk: "7" } },
    ]);
    expect(await json(app, "/api/docs/")).toEqual([200, "docs"]);
    expect(await json(app, "/api/docs/assets/a.js")).toEqual([200, "asset a.js"]);
    expect((await app.request("/api/v3/products/")).status).toBe(404);
    expect(app.router.name).toBe("SmartRouter + RegExpRouter");
  });

  it("takes the first registered route that matches, static or not (Django's order)", async () => {
    const app = new Hono();
    mount(app, "/", [
      path("items/:slug/", echo("dynamic first")),
      path("items/new/", echo("static second")),
      path("things/new/", echo("static first")),
      path("things/:slug/", echo("dynamic second")),
    ]);
    expect(await json(app, "/items/new/")).toEqual([200, { tag: "dynamic first", kwargs: { slug: "new" } }]);
    expect(await json(app, "/things/new/")).toEqual([200, { tag: "static first", kwargs: {} }]);
    expect(await json(app, "/things/old/")).toEqual([
      200,
      { tag: "dynamic second", kwargs: { slug: "old" } },
    ]);
  });

  it("a static route after a parameterised one that cannot match its path wins (decided at mount time)", async () => {
    const app = new Hono();
    mount(app, "/", [
      path("tags/:id{[0-9]+}/", echo("numeric tag")),
      path("tags/new/", echo("new tag")),
      path("", echo("root")),
    ]);
    expect(await json(app, "/tags/new/")).toEqual([200, { tag: "new tag", kwargs: {} }]);
    expect(await json(app, "/tags/42/")).toEqual([200, { tag: "numeric tag", kwargs: { id: "42" } }]);
    expect(await json(app, "/")).toEqual([200, { tag: "root", kwargs: {} }]);
  });

  it("percent-decodes parameters as Hono does, and keeps a malformed escape as sent", async () => {
    const app = new Hono();
    mount(app, "/", [path("items/:slug/", echo("item"))]);
    expect(await json(app, "/items/caf%C3%A9/")).toEqual([200, { tag: "item", kwargs: { slug: "café" } }]);
    expect(await json(app, "/items/a%20b/")).toEqual([200, { tag: "item", kwargs: { slug: "a b" } }]);
    expect(await json(app, "/items/100%25/")).toEqual([200, { tag: "item", kwargs: { slug: "100%" } }]);
  });

  it("hands a path no route matches to what the app registered after the mount", async () => {
    const app = new Hono();
    mount(app, "/api/", [path("items/", echo("items"))]);
    app.get("/api/other/", (c) => c.text("other"));
    expect(await json(app, "/api/items/")).toEqual([200, { tag: "items", kwargs: {} }]);
    expect(await json(app, "/api/other/")).toEqual([200, "other"]);
    expect((await app.request("/api/nothing/")).status).toBe(404);
  });

  it("two mounts under one literal head: each answers its own routes", async () => {
    const app = new Hono();
    mount(app, "/api/v1/", [path("a/", echo("v1 a"))], { namespace: "v1" });
    mount(app, "/api/v2/", [path("b/", echo("v2 b"))], { namespace: "v2" });
    expect(await json(app, "/api/v1/a/")).toEqual([200, { tag: "v1 a", kwargs: {} }]);
    expect(await json(app, "/api/v2/b/")).toEqual([200, { tag: "v2 b", kwargs: {} }]);
    expect((await app.request("/api/v1/b/")).status).toBe(404);
  });

  it("prefix parameters: each prefix's own kwargs and links, however many prefixes, none shared with a view", async () => {
    class Tenant extends APIView {
      get(request: Request) {
        const seen = { ...this.kwargs };
        // A view may change its kwargs: the next request under the same prefix must not see it.
        this.kwargs.tenant = "changed";
        return new Response({ seen, self: this.reverse("tenant-home"), kwargs: request.kwargs });
      }
    }
    const app = new Hono();
    mount(app, "/t/:tenant/", [path("home/", Tenant, { name: "tenant-home" })]);
    // More distinct prefixes than the matcher remembers (it starts over): every answer still right.
    for (let i = 0; i < 300; i++) {
      const [status, body] = await json(app, `/t/shop${i}/home/`);
      expect(status).toBe(200);
      expect(body).toEqual({
        seen: { tenant: `shop${i}` },
        self: `http://localhost/t/shop${i}/home/`,
        kwargs: { tenant: "changed" },
      });
    }
    const [, again] = await json(app, "/t/shop7/home/");
    expect(again).toMatchObject({ seen: { tenant: "shop7" }, self: "http://localhost/t/shop7/home/" });
  });

  it("a mount without settings keeps the settings an outer apiContext middleware set", async () => {
    class PageSize extends APIView {
      get() {
        return new Response({ pageSize: this.settings.pageSize });
      }
    }
    const app = new Hono();
    app.use("*", apiContext({ settings: defineSettings({ pageSize: 3 }) }));
    mount(app, "/api/", [path("size/", PageSize)]);
    mount(app, "/own/", [path("size/", PageSize)], { settings: defineSettings({ pageSize: 9 }) });
    expect(await json(app, "/api/size/")).toEqual([200, { pageSize: 3 }]);
    expect(await json(app, "/own/size/")).toEqual([200, { pageSize: 9 }]);
  });
});
