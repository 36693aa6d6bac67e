// APIView.dispatch answers in the same tick when every step of the cycle does (no Promise for
// @hono/node-server to wait on), and as a Promise as soon as one step is asynchronous; the
// response is the same either way, errors included.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  AnonRateThrottle,
  APIView,
  type Cache,
  cacheActions,
  defineSettings,
  MemoryCache,
  NotFound,
  type Request,
  Response,
  ViewSet,
} from "../src/index.js";

// The 500s below are logged with their stack: kept for the assertion, out of the test output.
const errors: string[] = [];
const settings = defineSettings({
  defaultThrottleRates: { anon: "3/min" },
  logger: { error: (_m, meta) => errors.push(String(meta?.error)), warn: () => {} },
});

function fetchOf(
  app: Hono,
  path = "/x/",
  method = "GET",
): globalThis.Response | Promise<globalThis.Response> {
  return app.fetch(new globalThis.Request(`http://api.test${path}`, { method }));
}

async function settled(answer: globalThis.Response | Promise<globalThis.Response>) {
  const res = await answer;
  return { status: res.status, body: await res.text(), allow: res.headers.get("allow") };
}

function appWith(View: typeof APIView, cache = new MemoryCache()): Hono {
  class Anon extends AnonRateThrottle {
    override cache = cache;
  }
  const app = new Hono();
  app.all("/x/", View.asView({ settings, throttleClasses: [Anon] }));
  return app;
}

class SyncView extends APIView {
  get(request: Request): Response {
    return new Response({ method: request.method, version: request.version });
  }
}

class AsyncView extends APIView {
  async get(request: Request): Promise<Response> {
    return new Response({ method: request.method, version: request.version });
  }
}

describe("a view whose steps all answer synchronously", () => {
  it("is answered without a Promise, with the same response as an async handler's", async () => {
    const answer = fetchOf(appWith(SyncView));
    expect(answer).not.toBeInstanceOf(Promise);
    const viaPromise = fetchOf(appWith(AsyncView));
    expect(viaPromise).toBeInstanceOf(Promise);
    const [sync, async] = [await settled(answer), await settled(viaPromise)];
    expect(sync).toEqual({
      status: 200,
      body: '{"method":"GET","version":null}',
      allow: "GET, HEAD, OPTIONS",
    });
    expect(async).toEqual(sync);
  });

  it("counts every request in its throttles and refuses the fourth with DRF's 429", async () => {
    const app = appWith(SyncView);
    for (let i = 0; i < 3; i++) expect((await settled(fetchOf(app))).status).toBe(200);
    const refused = await settled(fetchOf(app));
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).detail).toMatch(
      /^Request was throttled\. Expected available in \d+ seconds\.$/,
    );
  });

  it("answers HEAD without a body, and 405 for a method it lacks", async () => {
    const app = appWith(SyncView);
    const head = await fetchOf(app, "/x/", "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await settled(fetchOf(app, "/x/", "POST"));
    expect(post.status).toBe(405);
    expect(JSON.parse(post.body)).toEqual({ detail: 'Method "POST" not allowed.' });
  });

  it("hands an error thrown synchronously to the exception handler", async () => {
    class Missing extends APIView {
      get(): Response {
        throw new NotFound("No such thing.");
      }
    }
    const res = await settled(fetchOf(appWith(Missing)));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ detail: "No such thing." });
  });

  it("answers DRF's 500 for a handler returning no Response, and for data JSON cannot write", async () => {
    class Forgetful extends APIView {
      get(): Response {
        return undefined as unknown as Response;
      }
    }
    class Circular extends APIView {
      get(): Response {
        const data: Record<string, unknown> = {};
        data.self = data;
        return new Response(data);
      }
    }
    errors.length = 0;
    for (const View of [Forgetful, Circular]) {
      const res = await settled(fetchOf(appWith(View)));
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ detail: "A server error occurred." });
    }
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/Expected a Response from Forgetful\.get\(\)/);
    expect(errors[1]).toMatch(/circular structure/);
  });
});

describe("a cached action on a memory cache", () => {
  function cachedApp(cache: Cache) {
    let built = 0;
    class Listing extends ViewSet {
      list(): Response {
        built++;
        return new Response({ built });
      }
    }
    cacheActions(Listing, { list: { ttl: 60, cache } });
    const app = new Hono();
    app.get("/x/", Listing.asView({ get: "list" }, { settings, throttleClasses: [] }));
    return { app, built: () => built };
  }

  it("replays a hit without a Promise, the bytes of the first response", async () => {
    const { app, built } = cachedApp(new MemoryCache());
    const miss = fetchOf(app);
    expect(miss).toBeInstanceOf(Promise);
    const first = await settled(miss);
    const hit = fetchOf(app);
    expect(hit).not.toBeInstanceOf(Promise);
    expect(await settled(hit)).toEqual(first);
    expect(first.body).toBe('{"built":1}');
    expect(built()).toBe(1);
  });

  it("reads through get() on a cache without lookup(), with the same hits", async () => {
    const memory = new MemoryCache();
    // A cache that answers asynchronously and nothing else (as Redis does).
    const remote: Cache = {
      get: (key) => memory.get(key),
      set: (key, value, ttl, options) => memory.set(key, value, ttl, { ...options, shared: false }),
      delete: (key) => memory.delete(key),
      incr: (key, ttl, by) => memory.incr(key, ttl, by),
      deletePrefix: (prefix) => memory.deletePrefix(prefix),
      invalidateTags: (tags) => memory.invalidateTags(tags),
      hitWindow: (key, limit, ms, now) => memory.hitWindow(key, limit, ms, now),
      clear: () => memory.clear(),
      close: () => memory.close(),
    };
    const { app, built } = cachedApp(remote);
    const first = await settled(fetchOf(app));
    const hit = fetchOf(app);
    expect(hit).toBeInstanceOf(Promise);
    expect(await settled(hit)).toEqual(first);
    expect(built()).toBe(1);
  });
});
