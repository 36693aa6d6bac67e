// Per-request overhead of the framework: a ModelViewSet retrieve vs the same
// work hand-written as a Hono handler over the same QuerySet and serializer.
// Not a test: run `npx tsx --conditions=source bench/retrieve-overhead.ts`
// (TEST_DB=postgres for PostgreSQL). Prints requests/second and µs/request.
import { performance } from "node:perf_hooks";
import { CharField, createTestDatabase, DecimalField, defineModel, IntegerField } from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { APIClient, ModelViewSet } from "../src/index.js";

const Item = defineModel("bench.Item", {
  fields: {
    name: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
  },
});

class ItemSerializer extends ModelSerializer.of({ model: Item, fields: ["id", "name", "price", "stock"] }) {}

class ItemViewSet extends ModelViewSet {
  static override queryset = Item.objects.all();
  static override serializerClass = ItemSerializer;
}

async function measure(label: string, client: APIClient, path: string, n: number): Promise<number> {
  for (let i = 0; i < 200; i++) await client.get(path); // warm-up
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await client.get(path);
    if (res.status !== 200) throw new Error(`${label}: status ${res.status}`);
  }
  const micros = ((performance.now() - start) * 1000) / n;
  console.log(
    `${label.padEnd(28)} ${micros.toFixed(1).padStart(8)} µs/request  ${(1e6 / micros).toFixed(0).padStart(7)} req/s`,
  );
  return micros;
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 3000);
  const tdb = await createTestDatabase({ models: [Item] });
  try {
    const item = await Item.objects.create({ name: "Pen", price: "1.50", stock: 3 });
    const app = new Hono();
    app.all("/items/:pk/", ItemViewSet.asView({ get: "retrieve" }));
    app.get("/raw/:pk/", async (c) => {
      const row = await Item.objects.get({ pk: Number(c.req.param("pk")) });
      return c.json(await new ItemSerializer({ instance: row }).data);
    });
    const client = new APIClient(app);
    // Alternate rounds so load from other processes hits both sides alike; report the best round of each.
    const best = { framework: Number.POSITIVE_INFINITY, raw: Number.POSITIVE_INFINITY };
    for (let round = 0; round < 5; round++) {
      best.framework = Math.min(
        best.framework,
        await measure("ModelViewSet retrieve", client, `/items/${item.id}/`, n),
      );
      best.raw = Math.min(
        best.raw,
        await measure("hand-written Hono handler", client, `/raw/${item.id}/`, n),
      );
    }
    const overhead = best.framework - best.raw;
    console.log(
      `best: framework ${best.framework.toFixed(1)} µs, hand-written ${best.raw.toFixed(1)} µs; ` +
        `overhead ${overhead.toFixed(1)} µs/request (${((best.framework / best.raw - 1) * 100).toFixed(0)}%)`,
    );
  } finally {
    await tdb.close();
  }
}

await main();
