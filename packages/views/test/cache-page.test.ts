import { createHash, randomUUID } from "node:crypto";
import { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIClient,
  APIView,
  type Authentication,
  type Cache,
  type CachePageOptions,
  cacheActions,
  cachePage,
  cacheResponse,
  defineSettings,
  invalidateCachedPages,
  MemoryCache,
  NotFound,
  ReadOnlyModelViewSet,
  RedisCache,
  type Request,
  Response,
} from "../src/index.js";

const redis = new RedisCache({
  url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15",
  keyPrefix: `test:cache-page:${randomUUID()}:`,
  onUnavailable: "closed",
  timeoutMs: 3000,
});
afterAll(async () => {
  await redis.clear();
  await redis.close();
});

class HeaderAuthentication implements Authentication {
  authenticate(request: Request) {
    const id = request.headers.get("x-user");
    return id ? ([{ isAuthenticated: true, pk: Number(id) }, null] as const) : null;
  }
}
const settings = defineSettings({ defaultAuthenticationClasses: [HeaderAuthentication] });

describe.each<[string, () => Cache]>([
  ["memory", () => new MemoryCache()],
  ["redis", () => redis],
])("cachePage on the %s cache", (_name, makeCache) => {
  let cache: Cache;
  let calls = 0;
  beforeEach(async () => {
    cache = makeCache();
    await cache.clear();
    calls = 0;
  });

  function client(options: Omit<CachePageOptions, "cache">) {
    class CategoryList extends APIView {
      get = cachePage({ ...options, cache })(async function (this: CategoryList, request: Request) {
        calls++;
        if (request.queryParams.get("missing")) throw new NotFound();
        const user = request.user.isAuthenticated ? request.user.pk : null;
        return new Response(
          { calls, user, lang: request.headers.get("accept-language"), note: "café ✓" },
          {
            status: request.queryParams.get("created") ? 201 : 200,
            headers: { "X-Served-By": `call-${calls}` },
          },
        );
      });
    }
    const app = new Hono();
    app.get("/categories/", CategoryList.asView({ settings }));
    return new APIClient(app);
  }

  it("serves the same bytes, status and headers from the cache until the ttl passes", async () => {
    const api = client({ ttl: 0.3 });
    const first = await api.get("/categories/");
    const second = await api.get("/categories/");
    expect(calls).toBe(1);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect([...second.headers]).toEqual([...first.headers]);
    expect(second.headers.get("x-served-by")).toBe("call-1");
    expect(second.headers.get("cache-control")).toBe("max-age=0");
    // The stored length, so nothing on the way out measures (or copies) the head again.
    expect(second.headers.get("content-length")).toBe(String(Buffer.byteLength(second.text)));
    expect(second.data).toEqual({ calls: 1, user: null, lang: null, note: "café ✓" });
    // HEAD is answered from the same copy, without a body.
    const head = await api.head("/categories/");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await api.get("/categories/")).data.calls).toBe(2);
  });

  it("stores the page object itself in a memory cache, base64 JSON elsewhere; an ETag hit answers 304", async () => {
    const set = vi.spyOn(cache, "set");
    // A page is read with lookup where the cache has one (memory: answered without a promise).
    const read = cache.lookup ? vi.spyOn(cache as Required<Cache>, "lookup") : vi.spyOn(cache, "get");
    const api = client({ ttl: 60, etag: true });
    const first = await api.get("/categories/");
    const etag = first.headers.get("etag");
    // A quoted digest of the body bytes (Django's ConditionalGetMiddleware; SHA-256 here).
    expect(etag).toBe(`"${createHash("sha256").update(first.text).digest("base64url").slice(0, 27)}"`);
    expect(set).toHaveBeenCalledTimes(1);
    const [, page, , options] = set.mock.calls[0]!;
    const stored = page as { body: unknown; etag: unknown };
    expect(stored.etag).toBe(etag);
    if (cache.sharesObjects) {
      expect(options?.shared).toBe(true);
      expect(stored.body).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(stored.body as Uint8Array)).toBe(first.text);
      expect(Object.isFrozen(page)).toBe(true);
    } else {
      expect(Buffer.from(stored.body as string, "base64").toString()).toBe(first.text);
    }
    const second = await api.get("/categories/");
    expect(second.text).toBe(first.text);
    // A memory hit is the very object stored (no JSON, no copy); Redis hands back an equal copy.
    // The first read was the miss.
    expect(read).toHaveBeenCalledTimes(2);
    const hit = await read.mock.results[1]!.value;
    if (cache.sharesObjects) expect(hit).toBe(page);
    else expect(hit).toEqual({ ...stored });
    const notModified = await api.get("/categories/", { headers: { "If-None-Match": etag! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(calls).toBe(1);
  });

  it("keys on the full URL including the query string", async () => {
    const api = client({ ttl: 60 });
    await api.get("/categories/", { query: { page: 1 } });
    await api.get("/categories/", { query: { page: 2 } });
    await api.get("/categories/", { query: { page: 1 } });
    expect(calls).toBe(2);
  });

  it("varies on the named headers and says so in Vary", async () => {
    const api = client({ ttl: 60, varyOn: { headers: ["Accept-Language"] } });
    const fr = await api.get("/categories/", { headers: { "Accept-Language": "fr" } });
    const de = await api.get("/categories/", { headers: { "Accept-Language": "de" } });
    const fr2 = await api.get("/categories/", { headers: { "Accept-Language": "fr" } });
    expect([fr.data.lang, de.data.lang, fr2.data.lang]).toEqual(["fr", "de", "fr"]);
    expect(calls).toBe(2);
    expect(fr2.headers.get("vary")).toContain("Accept-Language");
  });

  it("varies on cookies, all or by name", async () => {
    const all = client({ ttl: 60, varyOn: { cookie: true } });
    await all.get("/categories/", { headers: { Cookie: "a=1" } });
    await all.get("/categories/", { headers: { Cookie: "a=2" } });
    expect(calls).toBe(2);
    await cache.clear();
    calls = 0;
    const some = client({ ttl: 60, varyOn: { cookie: ["lang"] } });
    await some.get("/categories/", { headers: { Cookie: "lang=fr; tracking=1" } });
    await some.get("/categories/", { headers: { Cookie: "lang=fr; tracking=2" } });
    await some.get("/categories/", { headers: { Cookie: "lang=de" } });
    expect(calls).toBe(2);
  });

  it("never caches authenticated responses unless varied on the user", async () => {
    const shared = client({ ttl: 60 });
    const anon = await shared.get("/categories/");
    const user1 = await shared.get("/categories/", { headers: { "X-User": "1" } });
    const user1Again = await shared.get("/categories/", { headers: { "X-User": "1" } });
    // The authenticated requests never saw the anonymous copy, nor were cached.
    expect([anon.data.user, user1.data.user, user1Again.data.user]).toEqual([null, 1, 1]);
    expect(calls).toBe(3);
    expect((await shared.get("/categories/")).data.calls).toBe(1);

    await cache.clear();
    calls = 0;
    const perUser = client({ ttl: 60, varyOn: { user: true } });
    const a = await perUser.get("/categories/", { headers: { "X-User": "1" } });
    const b = await perUser.get("/categories/", { headers: { "X-User": "2" } });
    const a2 = await perUser.get("/categories/", { headers: { "X-User": "1" } });
    expect([a.data.user, b.data.user, a2.data.user]).toEqual([1, 2, 1]);
    expect(calls).toBe(2);
    expect(a2.headers.get("cache-control")).toBe("private, max-age=60");
  });

  it("caches only 200s: errors and other statuses run every time", async () => {
    const api = client({ ttl: 60 });
    expect((await api.get("/categories/", { query: { missing: 1 } })).status).toBe(404);
    expect((await api.get("/categories/", { query: { missing: 1 } })).status).toBe(404);
    expect((await api.get("/categories/", { query: { created: 1 } })).status).toBe(201);
    expect((await api.get("/categories/", { query: { created: 1 } })).status).toBe(201);
    expect(calls).toBe(4);
  });

  it("drops cached pages by tag and by key prefix", async () => {
    const tagged = client({ ttl: 60, tags: ["categories"], keyPrefix: "categories:" });
    await tagged.get("/categories/");
    await tagged.get("/categories/", { query: { page: 2 } });
    expect(await invalidateCachedPages({ tags: ["categories"], cache })).toBe(2);
    await tagged.get("/categories/");
    expect(calls).toBe(3);
    expect(await invalidateCachedPages({ prefix: "categories:", cache })).toBe(1);
    expect(await invalidateCachedPages({ prefix: "products:", cache })).toBe(0);
    await tagged.get("/categories/");
    expect(calls).toBe(4);
  });
});

describe("cacheActions on a ViewSet", () => {
  it("caches an inherited action (list) and leaves the others alone", async () => {
    const cache = new MemoryCache();
    let listed = 0;
    let retrieved = 0;
    class CategoryViewSet extends ReadOnlyModelViewSet {
      override async list(_request: Request) {
        listed++;
        return new Response([{ id: 1, name: "Books" }]);
      }
      override async retrieve(_request: Request) {
        retrieved++;
        return new Response({ id: 1, name: "Books" });
      }
    }
    class CachedCategoryViewSet extends CategoryViewSet {}
    cacheActions(CachedCategoryViewSet, { list: { ttl: 900, cache } });
    const app = new Hono();
    app.get("/categories/", CachedCategoryViewSet.asView({ get: "list" }, { settings }));
    app.get("/categories/:pk/", CachedCategoryViewSet.asView({ get: "retrieve" }, { settings }));
    app.get("/plain/", CategoryViewSet.asView({ get: "list" }, { settings }));
    const api = new APIClient(app);
    const first = await api.get("/categories/");
    const second = await api.get("/categories/");
    expect(second.data).toEqual([{ id: 1, name: "Books" }]);
    expect(second.text).toBe(first.text);
    expect(listed).toBe(1);
    await api.get("/categories/1/");
    await api.get("/categories/1/");
    expect(retrieved).toBe(2);
    // The parent class is untouched.
    await api.get("/plain/");
    await api.get("/plain/");
    expect(listed).toBe(3);
  });

  it("cacheResponse composes inside a custom handler", async () => {
    const cache = new MemoryCache();
    let n = 0;
    class Stats extends APIView {
      async get(request: Request) {
        return cacheResponse(this, request, () => new Response({ n: ++n }), { ttl: 60, cache });
      }
    }
    const app = new Hono();
    app.get("/stats/", Stats.asView({ settings }));
    const api = new APIClient(app);
    expect((await api.get("/stats/")).data).toEqual({ n: 1 });
    expect((await api.get("/stats/")).data).toEqual({ n: 1 });
  });
});
