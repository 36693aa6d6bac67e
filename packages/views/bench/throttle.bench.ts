// Throttle check benchmark (not a test): the shop-api's three throttles (anon, user, scoped)
// deciding one anonymous request, on the memory cache and on Redis, batched as APIView does
// (one `hitWindows` per request) against one `allowRequest` per throttle (the DRF way).
// Run: npx pnpm@12.4.2 --filter @x/views bench   (Redis at TEST_REDIS_URL, default db 15)
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { afterAll, bench, describe } from "vitest";
import {
  AnonRateThrottle,
  AnonymousUser,
  APIView,
  type Cache,
  defineSettings,
  MemoryCache,
  RedisCache,
  Request,
  ScopedRateThrottle,
  type Throttle,
  UserRateThrottle,
} from "../src/index.js";

// biome-ignore lint/suspicious/noExplicitAny: a view runs under any Hono app's env
type AnyContext = Context<any, any, any>;

const redis = new RedisCache({
  url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15",
  keyPrefix: `bench:throttle:${randomUUID()}:`,
});
afterAll(async () => {
  await redis.clear();
  await redis.close();
});

// The benchmark settings of the shop-api: rates so high they never refuse, the checks still run.
const settings = defineSettings({
  defaultThrottleRates: { anon: "100000000/s", user: "100000000/s", burst: "100000000/s" },
});

// One real Hono context, reused: what a view sees of an anonymous GET.
let captured: AnyContext | undefined;
const app = new Hono();
app.get("/products/", (c) => {
  captured = c;
  return c.text("");
});
await app.request("http://bench/products/", {}, { incoming: { socket: { remoteAddress: "10.1.2.3" } } });

function viewOn(cache: Cache, scoped: boolean): { view: APIView; request: Request } {
  const on = <T extends new () => Throttle>(Base: T) =>
    class extends (Base as unknown as new () => AnonRateThrottle) {
      override cache = cache;
    };
  const view = new APIView();
  Object.assign(view, {
    settings,
    throttleClasses: [on(AnonRateThrottle), on(UserRateThrottle), on(ScopedRateThrottle)],
    ...(scoped ? { throttleScope: "burst" } : {}),
  });
  const request = new Request(captured as AnyContext, { settings });
  request.user = new AnonymousUser();
  view.request = request;
  return { view, request };
}

async function oneByOne(view: APIView, request: Request): Promise<void> {
  for (const throttle of view.getThrottles()) await throttle.allowRequest(request, view);
}

for (const [name, cache] of [
  ["memory", new MemoryCache()],
  ["redis", redis],
] as const) {
  describe(`throttle check, ${name} cache (anon + user + scoped, anonymous client)`, () => {
    const plain = viewOn(cache, false);
    const scoped = viewOn(cache, true);
    bench("view without a scope (2 windows): batched", () => plain.view.checkThrottles(plain.request));
    bench("view without a scope (2 windows): one by one", () => oneByOne(plain.view, plain.request));
    bench("scoped view (3 windows): batched", () => scoped.view.checkThrottles(scoped.request));
    bench("scoped view (3 windows): one by one", () => oneByOne(scoped.view, scoped.request));
  });
}
