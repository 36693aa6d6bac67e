import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  AnonRateThrottle,
  APIClient,
  APIView,
  type Authentication,
  type Cache,
  defineSettings,
  MemoryCache,
  parseRate,
  RedisCache,
  type Request,
  Response,
  ScopedRateThrottle,
  type ThrottleClass,
  UserRateThrottle,
} from "../src/index.js";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const redis = new RedisCache({
  url: redisUrl,
  keyPrefix: `test:throttling:${randomUUID()}:`,
  onUnavailable: "closed",
  timeoutMs: 3000,
});
afterAll(async () => {
  await redis.clear();
  await redis.close();
});

/** `X-User: 7` authenticates as user 7 (a stand-in for @x/auth). */
class HeaderAuthentication implements Authentication {
  authenticate(request: Request) {
    const id = request.headers.get("x-user");
    return id ? ([{ isAuthenticated: true, pk: Number(id) }, null] as const) : null;
  }
  authenticateHeader() {
    return 'Header realm="api"';
  }
}

let clock = 1_700_000_000_000;
let cache: Cache = new MemoryCache();

// Throttles on this test's cache and clock.
class TestAnon extends AnonRateThrottle {
  override cache = cache;
  override timer() {
    return clock;
  }
}
class TestUser extends UserRateThrottle {
  override cache = cache;
  override timer() {
    return clock;
  }
}
class TestScoped extends ScopedRateThrottle {
  override cache = cache;
  override timer() {
    return clock;
  }
}
/** A GET through the test client from socket address `ip`. */
async function call(
  app: Hono,
  path: string,
  init: { headers?: Record<string, string> } = {},
  ip = "127.0.0.1",
) {
  const res = await new APIClient(app, { remoteAddr: ip }).get(path, { headers: init.headers ?? {} });
  return { status: res.status, headers: res.headers, json: async (): Promise<unknown> => res.data };
}

describe.each<[string, () => Cache]>([
  ["memory", () => new MemoryCache()],
  ["redis", () => redis],
])("throttles on the %s cache", (_name, makeCache) => {
  beforeEach(async () => {
    cache = makeCache();
    await cache.clear();
    clock = 1_700_000_000_000;
  });

  function appWith(
    throttleClasses: ThrottleClass[],
    options: {
      rates?: Record<string, string | null>;
      numProxies?: number;
      scope?: string;
      deny?: boolean;
    } = {},
  ) {
    const settings = defineSettings({
      defaultThrottleRates: options.rates ?? {},
      defaultAuthenticationClasses: [HeaderAuthentication],
      numProxies: options.numProxies ?? 0,
    });
    class ThrottledView extends APIView {
      async get(request: Request) {
        return new Response({ ok: true, user: request.user.pk });
      }
    }
    const permissionClasses = options.deny
      ? [
          class Deny {
            hasPermission = () => false;
          },
        ]
      : [];
    const app = new Hono();
    app.get(
      "/x/",
      ThrottledView.asView({
        settings,
        throttleClasses,
        permissionClasses,
        ...(options.scope ? { throttleScope: options.scope } : {}),
      }),
    );
    return app;
  }

  it("admits the anonymous rate, then 429s with DRF's message and Retry-After", async () => {
    const app = appWith([TestAnon], { rates: { anon: "3/min" } });
    for (let i = 0; i < 3; i++) {
      expect((await call(app, "/x/", {}, "10.0.0.1")).status).toBe(200);
      clock += 1000;
    }
    const res = await call(app, "/x/", {}, "10.0.0.1");
    expect(res.status).toBe(429);
    // The oldest hit (t0) leaves the window at t0 + 60 s; now is t0 + 3 s.
    expect(await res.json()).toEqual({ detail: "Request was throttled. Expected available in 57 seconds." });
    expect(res.headers.get("retry-after")).toBe("57");
    // Another client is counted apart.
    expect((await call(app, "/x/", {}, "10.0.0.2")).status).toBe(200);

    clock += 56_500;
    const last = await call(app, "/x/", {}, "10.0.0.1");
    expect(await last.json()).toEqual({ detail: "Request was throttled. Expected available in 1 second." });
    expect(last.headers.get("retry-after")).toBe("1");
    clock += 500;
    expect((await call(app, "/x/", {}, "10.0.0.1")).status).toBe(200);
  });

  it("ignores X-Forwarded-For unless proxies are trusted", async () => {
    const spoofing = appWith([TestAnon], { rates: { anon: "1/min" } });
    const h = (xff: string) => ({ headers: { "x-forwarded-for": xff } });
    expect((await call(spoofing, "/x/", h("1.1.1.1"), "10.0.0.9")).status).toBe(200);
    // A new X-Forwarded-For does not make a new client: the socket address is the identity.
    expect((await call(spoofing, "/x/", h("2.2.2.2"), "10.0.0.9")).status).toBe(429);

    await cache.clear();
    const behindProxy = appWith([TestAnon], { rates: { anon: "1/min" }, numProxies: 1 });
    // One trusted hop: the client is the last address the proxy appended.
    expect((await call(behindProxy, "/x/", h("6.6.6.6, 3.3.3.3"), "10.0.0.1")).status).toBe(200);
    expect((await call(behindProxy, "/x/", h("7.7.7.7, 3.3.3.3"), "10.0.0.1")).status).toBe(429);
    expect((await call(behindProxy, "/x/", h("3.3.3.4"), "10.0.0.1")).status).toBe(200);
  });

  it("throttles users by id and leaves authenticated users to UserRateThrottle", async () => {
    const app = appWith([TestAnon, TestUser], {
      rates: { anon: "1/min", user: "2/min" },
    });
    const as = (id: string) => ({ headers: { "x-user": id } });
    // Same address, different users: each has their own count, and anon does not apply.
    expect((await call(app, "/x/", as("1"), "10.0.0.1")).status).toBe(200);
    expect((await call(app, "/x/", as("1"), "10.0.0.1")).status).toBe(200);
    expect((await call(app, "/x/", as("1"), "10.0.0.1")).status).toBe(429);
    expect((await call(app, "/x/", as("2"), "10.0.0.1")).status).toBe(200);
    // The anonymous client at that address has its own (anon) limit.
    expect((await call(app, "/x/", {}, "10.0.0.1")).status).toBe(200);
    expect((await call(app, "/x/", {}, "10.0.0.1")).status).toBe(429);
  });

  it("runs the handbook's burst and sustained pair together; every throttle counts every request", async () => {
    class BurstRateThrottle extends TestUser {
      override rate = "2/min";
    }
    class SustainedRateThrottle extends TestUser {
      override rate = "3/day";
    }
    const app = appWith([BurstRateThrottle, SustainedRateThrottle]);
    const as = { headers: { "x-user": "5" } };
    const t0 = clock;
    expect((await call(app, "/x/", as)).status).toBe(200);
    expect((await call(app, "/x/", as)).status).toBe(200);
    const burst = await call(app, "/x/", as);
    expect(burst.status).toBe(429);
    expect(burst.headers.get("retry-after")).toBe("60");
    clock = t0 + 61_000;
    // The burst window is free again, but the third request above counted against the sustained rate.
    const sustained = await call(app, "/x/", as);
    expect(sustained.status).toBe(429);
    expect(sustained.headers.get("retry-after")).toBe(String(86_400 - 61));
  });

  it("throttles a view by its throttleScope and leaves unscoped views alone", async () => {
    const scoped = appWith([TestScoped], { rates: { auth: "2/min" }, scope: "auth" });
    expect((await call(scoped, "/x/", {}, "10.0.0.1")).status).toBe(200);
    expect((await call(scoped, "/x/", {}, "10.0.0.1")).status).toBe(200);
    expect(await (await call(scoped, "/x/", {}, "10.0.0.1")).json()).toEqual({
      detail: "Request was throttled. Expected available in 60 seconds.",
    });
    // DRF's class attribute: a static throttleScope works as well.
    class TokenView extends APIView {
      static throttleScope = "auth";
      async get() {
        return new Response({ ok: true });
      }
    }
    const app = new Hono();
    app.get(
      "/token/",
      TokenView.asView({
        settings: defineSettings({ defaultThrottleRates: { auth: "1/min" } }),
        throttleClasses: [TestScoped],
      }),
    );
    expect((await call(app, "/token/", {}, "10.0.0.3")).status).toBe(200);
    expect((await call(app, "/token/", {}, "10.0.0.3")).status).toBe(429);
    const unscoped = appWith([TestScoped], { rates: { auth: "2/min" } });
    for (let i = 0; i < 5; i++) expect((await call(unscoped, "/x/", {}, "10.0.0.1")).status).toBe(200);
  });

  it("applies the settings' default throttle classes to views that name none", async () => {
    class Plain extends APIView {
      async get() {
        return new Response({ ok: true });
      }
    }
    const app = new Hono();
    const defaults = defineSettings({
      defaultThrottleClasses: [TestAnon],
      defaultThrottleRates: { anon: "2/hour" },
    });
    app.get("/plain/", Plain.asView({ settings: defaults }));
    app.get("/open/", Plain.asView({ settings: defaults, throttleClasses: [] }));
    expect((await call(app, "/plain/", {}, "10.0.0.5")).status).toBe(200);
    expect((await call(app, "/plain/", {}, "10.0.0.5")).status).toBe(200);
    const refused = await call(app, "/plain/", {}, "10.0.0.5");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("3600");
    expect((await call(app, "/open/", {}, "10.0.0.5")).status).toBe(200);
  });

  it("does not count requests refused by permissions, and a null rate never throttles", async () => {
    const denied = appWith([TestAnon], { rates: { anon: "1/min" }, deny: true });
    for (let i = 0; i < 3; i++) expect((await call(denied, "/x/", {}, "10.0.0.1")).status).toBe(401);
    const open = appWith([TestAnon], { rates: { anon: "1/min" } });
    expect((await call(open, "/x/", {}, "10.0.0.1")).status).toBe(200);
    const unlimited = appWith([TestAnon], { rates: { anon: null } });
    for (let i = 0; i < 3; i++) expect((await call(unlimited, "/x/", {}, "10.0.0.1")).status).toBe(200);
  });
});

describe("throttle configuration and Redis outages", () => {
  it("parses DRF's rate strings and rejects others", () => {
    expect(parseRate("100/day")).toEqual({ numRequests: 100, duration: 86_400 });
    expect(parseRate("60/min")).toEqual({ numRequests: 60, duration: 60 });
    expect(parseRate("5/s")).toEqual({ numRequests: 5, duration: 1 });
    expect(parseRate("7/hour")).toEqual({ numRequests: 7, duration: 3600 });
    expect(parseRate(null)).toBeNull();
    expect(() => parseRate("5/fortnight")).toThrow(/Invalid throttle rate "5\/fortnight"/);
    expect(() => parseRate("many/min")).toThrow(/Invalid throttle rate/);
  });

  function outageApp(onUnavailable: "open" | "closed") {
    const down = new RedisCache({
      url: "redis://127.0.0.1:1/0",
      onUnavailable,
      timeoutMs: 200,
      logger: { warn: () => {} },
    });
    class DownThrottle extends AnonRateThrottle {
      override cache = down;
      override rate = "1/min";
    }
    class View extends APIView {
      async get() {
        return new Response({ ok: true });
      }
    }
    const app = new Hono();
    app.get("/x/", View.asView({ throttleClasses: [DownThrottle] }));
    return { app, down };
  }

  it("fails open by default: requests pass while Redis is down", async () => {
    const { app, down } = outageApp("open");
    const started = Date.now();
    expect((await call(app, "/x/")).status).toBe(200);
    expect((await call(app, "/x/")).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    await down.close();
  });

  it("fails closed with a 503 when configured", async () => {
    const { app, down } = outageApp("closed");
    const res = await call(app, "/x/");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ detail: "Service temporarily unavailable, try again later." });
    await down.close();
  });
});
