import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  APIClient,
  APIView,
  cachePage,
  conditional,
  conditionalActions,
  MemoryCache,
  NotFound,
  type Request,
  Response,
  ViewSet,
} from "../src/index.js";

const modified = new Date("2026-01-08T00:10:00.250Z");

function setup() {
  const runs = { body: 0, known: 0 };
  class Product extends APIView {
    get = conditional()(async function (this: Product, request: Request) {
      runs.body++;
      if (request.queryParams.get("missing")) throw new NotFound();
      return new Response({ id: 1, name: request.queryParams.get("name") ?? "Phone" });
    });
    async post() {
      return new Response({ created: true }, { status: 201 });
    }
  }
  class Versioned extends APIView {
    get = conditional({ etag: () => "v7", lastModified: () => modified })(async function (this: Versioned) {
      runs.known++;
      return new Response({ id: 1 });
    });
  }
  const app = new Hono();
  app.on(["GET", "HEAD", "POST"], "/products/1/", Product.asView());
  app.on(["GET", "HEAD"], "/versioned/", Versioned.asView());
  return { api: new APIClient(app), runs };
}

describe("conditional GET", () => {
  it("tags 200 responses with an ETag of the body and answers 304 to a matching If-None-Match", async () => {
    const { api, runs } = setup();
    const first = await api.get("/products/1/");
    const etag = first.headers.get("etag");
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await api.get("/products/1/", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("content-type")).toBeNull();
    // Weak comparison, lists, and `*`.
    expect((await api.get("/products/1/", { headers: { "If-None-Match": `"x", W/${etag}` } })).status).toBe(
      304,
    );
    expect((await api.get("/products/1/", { headers: { "If-None-Match": "*" } })).status).toBe(304);
    // Another representation has another tag.
    const changed = await api.get("/products/1/", {
      query: { name: "Tablet" },
      headers: { "If-None-Match": etag! },
    });
    expect(changed.status).toBe(200);
    expect(changed.data).toEqual({ id: 1, name: "Tablet" });
    expect(runs.body).toBe(5);
    expect((await api.head("/products/1/", { headers: { "If-None-Match": etag! } })).status).toBe(304);
  });

  it("leaves errors and unsafe methods alone", async () => {
    const { api } = setup();
    const missing = await api.get("/products/1/", {
      query: { missing: 1 },
      headers: { "If-None-Match": "*" },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("etag")).toBeNull();
    const created = await api.post("/products/1/", {}, { headers: { "If-None-Match": "*" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBeNull();
  });

  it("with known validators, answers 304 without running the handler", async () => {
    const { api, runs } = setup();
    const first = await api.get("/versioned/");
    expect(first.headers.get("etag")).toBe('"v7"');
    expect(first.headers.get("last-modified")).toBe("Thu, 08 Jan 2026 00:10:00 GMT");
    expect(runs.known).toBe(1);
    expect((await api.get("/versioned/", { headers: { "If-None-Match": '"v7"' } })).status).toBe(304);
    // If-Modified-Since at second precision: the same second is not modified, an earlier one is.
    const since = await api.get("/versioned/", {
      headers: { "If-Modified-Since": "Thu, 08 Jan 2026 00:10:00 GMT" },
    });
    expect(since.status).toBe(304);
    expect(since.headers.get("last-modified")).toBe("Thu, 08 Jan 2026 00:10:00 GMT");
    const older = await api.get("/versioned/", {
      headers: { "If-Modified-Since": "Thu, 08 Jan 2026 00:09:59 GMT" },
    });
    expect(older.status).toBe(200);
    // If-None-Match wins over If-Modified-Since; a garbage date is ignored.
    const mismatch = await api.get("/versioned/", {
      headers: { "If-None-Match": '"v6"', "If-Modified-Since": "Thu, 08 Jan 2026 00:10:00 GMT" },
    });
    expect(mismatch.status).toBe(200);
    expect((await api.get("/versioned/", { headers: { "If-Modified-Since": "yesterday" } })).status).toBe(
      200,
    );
    expect(runs.known).toBe(4);
  });

  it("composes with cachePage and wraps ViewSet actions", async () => {
    let runs = 0;
    const cache = new MemoryCache();
    class Cached extends APIView {
      get = conditional()(
        cachePage({ ttl: 60, cache })(async function (this: Cached) {
          runs++;
          return new Response({ runs });
        }),
      );
    }
    class Tags extends ViewSet {
      async list() {
        return new Response(["a", "b"]);
      }
    }
    conditionalActions(Tags, { list: {} });
    const app = new Hono();
    app.get("/cached/", Cached.asView());
    app.get("/tags/", Tags.asView({ get: "list" }));
    const api = new APIClient(app);
    const first = await api.get("/cached/");
    const hit = await api.get("/cached/", { headers: { "If-None-Match": first.headers.get("etag")! } });
    expect(hit.status).toBe(304);
    expect(runs).toBe(1);
    const tags = await api.get("/tags/");
    expect(tags.data).toEqual(["a", "b"]);
    expect(
      (await api.get("/tags/", { headers: { "If-None-Match": tags.headers.get("etag")! } })).status,
    ).toBe(304);
  });
});
