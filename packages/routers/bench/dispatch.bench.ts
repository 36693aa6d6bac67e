// Router dispatch benchmark (not a test): a DefaultRouter with 20 registrations serving a
// ViewSet through the full DRF cycle, against the same Hono routes written by hand.
// Run: npx pnpm@12.4.2 --filter @x/routers bench

import { type ActionsOf, Response, ViewSet } from "@x/views";
import { Hono } from "hono";
import { bench, describe } from "vitest";
import { DefaultRouter, mount } from "../src/index.js";

class BenchViewSet extends ViewSet {
  static override actions: ActionsOf<BenchViewSet> = {
    featured: { detail: false },
    favorite: { detail: true, methods: ["post"] },
  };
  list() {
    return new Response([]);
  }
  retrieve() {
    return new Response({ pk: this.kwargs.pk });
  }
  featured() {
    return new Response([]);
  }
  favorite() {
    return new Response({ status: "ok" });
  }
}

const prefixes = Array.from({ length: 20 }, (_, i) => `resource${i}`);
const router = new DefaultRouter();
for (const p of prefixes) router.register(p, BenchViewSet, { basename: p });
const routed = new Hono();
mount(routed, "/api/", router);

const plain = new Hono();
for (const p of prefixes) {
  plain.get(`/api/${p}/`, (c) => c.json([]));
  plain.get(`/api/${p}/:pk{[^/.]+}/`, (c) => c.json({ pk: c.req.param("pk") }));
}

async function hit(app: Hono, path: string): Promise<void> {
  const res = await app.request(`http://bench${path}`);
  await res.arrayBuffer();
}

describe("detail route, last registered prefix", () => {
  bench("hand-written Hono route", () => hit(plain, "/api/resource19/42/"));
  bench("DefaultRouter + ViewSet", () => hit(routed, "/api/resource19/42/"));
});

describe("list route, first registered prefix", () => {
  bench("hand-written Hono route", () => hit(plain, "/api/resource0/"));
  bench("DefaultRouter + ViewSet", () => hit(routed, "/api/resource0/"));
});

describe("API root", () => {
  bench("DefaultRouter root (20 reverses)", () => hit(routed, "/api/"));
});
