// The query path (QuerySet → SQL → rows → instances) on the shop-api's hot query sequences,
// measured in CPU time against the floor: the very same SQL run through cached better-sqlite3
// statements with no ORM work at all (no row decoding either). CPU time rather than wall time, and
// interleaved rounds, so a busy machine slows every column alike. "fetch 20 rows" also times the
// hand-written drizzle query of issue 3 (query builder, and prepared once).
//
//   npx pnpm@12.4.2 --filter @x/bench exec tsx ../packages/models/bench/query-path.ts [--rounds 7] [--iterations 2000] [--only list]
//   … query-path.ts --postgres postgres://postgres@127.0.0.1:5432/test: the same scenarios on PostgreSQL
//   (one connection, a private schema), compiled shapes as named prepared statements against the
//   same statements sent unnamed (?prepared_statements=false), wall and CPU time per operation.
//   (node --cpu-prof --import tsx … to profile)
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { asc, gt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import {
  ArrayField,
  atomic,
  BooleanField,
  CASCADE,
  type CapturedQuery,
  CharField,
  captureQueries,
  closeDatabase,
  configureDatabase,
  createDatabase,
  createTables,
  DateTimeField,
  DecimalField,
  defineModel,
  F,
  ForeignKey,
  IntegerField,
  JSONField,
  PROTECT,
  SlugField,
  TextField,
} from "../src/index.js";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    iterations: { type: "string", default: "2000" },
    only: { type: "string" },
    postgres: { type: "string" },
  },
});
const ROUNDS = Number(args.rounds);
const ITERATIONS = Number(args.iterations);

// shaped like the shop-api's models (products_product has 17 columns of every kind)
const User = defineModel("qp.User", {
  fields: {
    username: CharField({ maxLength: 150, unique: true }),
    email: CharField({ maxLength: 254, default: "" }),
    is_staff: BooleanField({ default: false }),
    date_joined: DateTimeField({ autoNowAdd: true }),
  },
});
const Category = defineModel("qp.Category", {
  fields: {
    name: CharField({ maxLength: 100 }),
    slug: SlugField({ maxLength: 100, unique: true }),
    description: TextField({ default: "" }),
  },
  meta: { ordering: ["name"] },
});
const Product = defineModel("qp.Product", {
  fields: {
    created_at: DateTimeField({ autoNowAdd: true }),
    updated_at: DateTimeField({ autoNow: true }),
    is_deleted: BooleanField({ default: false }),
    deleted_at: DateTimeField({ null: true }),
    name: CharField({ maxLength: 200 }),
    slug: SlugField({ maxLength: 200, unique: true }),
    description: TextField({ default: "" }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    cost: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    discount_percentage: IntegerField({ default: 0 }),
    stock: IntegerField({ default: 0 }),
    tags: ArrayField(CharField({ maxLength: 50 }), { default: () => [] }),
    metadata: JSONField({ default: () => ({}) }),
    category: ForeignKey(() => Category, { onDelete: PROTECT, relatedName: "products" }),
    is_featured: BooleanField({ default: false }),
  },
  meta: {
    ordering: ["-created_at", "-id"],
    indexes: [{ fields: ["is_deleted", "-created_at", "-id"] }],
  },
  managers: { active: (qs) => qs.filter({ is_deleted: false }) },
});
const Review = defineModel("qp.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    user: ForeignKey(() => User, { onDelete: CASCADE, relatedName: "reviews" }),
    rating: IntegerField(),
    comment: TextField({ default: "" }),
    created_at: DateTimeField({ autoNowAdd: true }),
  },
  meta: { ordering: ["-created_at", "-id"] },
});
const Order = defineModel("qp.Order", {
  fields: {
    user: ForeignKey(() => User, { onDelete: CASCADE, relatedName: "orders" }),
    status: CharField({ maxLength: 20, default: "pending" }),
    created_at: DateTimeField({ autoNowAdd: true }),
  },
});
const OrderItem = defineModel("qp.OrderItem", {
  fields: {
    order: ForeignKey(() => Order, { onDelete: CASCADE, relatedName: "items" }),
    product: ForeignKey(() => Product, { onDelete: PROTECT, relatedName: "+" }),
    quantity: IntegerField(),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  },
});

// issue 3's yardstick: the same 20-row query written by hand with drizzle, on its own connection
const productTable = sqliteTable("qp_product", {
  id: integer("id").primaryKey(),
  created_at: text("created_at").notNull(),
  updated_at: text("updated_at").notNull(),
  is_deleted: integer("is_deleted", { mode: "boolean" }).notNull(),
  deleted_at: text("deleted_at"),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  description: text("description").notNull(),
  price: integer("price").notNull(),
  cost: integer("cost").notNull(),
  discount_percentage: integer("discount_percentage").notNull(),
  stock: integer("stock").notNull(),
  tags: text("tags", { mode: "json" }).notNull(),
  metadata: text("metadata", { mode: "json" }).notNull(),
  category_id: integer("category_id").notNull(),
  is_featured: integer("is_featured", { mode: "boolean" }).notNull(),
});

function drizzleFetch20(raw: BetterSqlite3.Database) {
  const db = drizzle(raw);
  const query = () =>
    db.select().from(productTable).where(gt(productTable.stock, 0)).orderBy(asc(productTable.id)).limit(20);
  const prepared = db
    .select()
    .from(productTable)
    .where(gt(productTable.stock, sql.placeholder("stock")))
    .orderBy(asc(productTable.id))
    .limit(20)
    .prepare();
  return {
    "drizzle query builder": () => query().all(),
    "drizzle prepared": () => prepared.all({ stock: 0 }),
  };
}

const scenarios: Record<string, () => PromiseLike<unknown>> = {
  // issue 3's figure: 20 rows, one table
  "fetch 20 rows": () => Product.objects.filter({ stock__gt: 0 }).orderBy("id").slice(0, 20),
  // GET /products/?page=5: the page (20 rows + category) and the COUNT
  "product list page 5": async () => {
    const qs = Product.active.selectRelated("category").orderBy("-created_at", "-id");
    await qs.slice(80, 100);
    await qs.count();
  },
  // GET /products/7/: the product with its category, its reviews and their users
  "product detail": () =>
    Product.active.selectRelated("category").prefetchRelated("reviews__user").get({ pk: 7 }),
  // POST /orders/: conditional stock decrement, the order, its item, in one transaction
  "order creation": () =>
    atomic(async () => {
      const taken = await Product.active
        .filter({ pk: 7, stock__gte: 1 })
        .update({ stock: F("stock").sub(1) });
      if (taken !== 1) throw new Error("out of stock");
      const order = await Order.objects.create({ user_id: 1 });
      await OrderItem.objects.bulkCreate([
        new OrderItem({ order_id: order.pk, product_id: 7, quantity: 1, price: "19.99" }),
      ]);
    }),
};

const file = join(tmpdir(), `x-models-query-path-${process.pid}.sqlite3`);

async function seed(): Promise<void> {
  await createTables([User, Category, Product, Review, Order, OrderItem]);
  await User.objects.bulkCreate(Array.from({ length: 50 }, (_, i) => new User({ username: `user${i}` })));
  await Category.objects.bulkCreate(
    Array.from({ length: 8 }, (_, i) => new Category({ name: `Category ${i}`, slug: `category-${i}` })),
  );
  const t0 = Date.UTC(2026, 0, 1);
  await Product.objects.bulkCreate(
    Array.from(
      { length: 500 },
      (_, i) =>
        new Product({
          created_at: new Date(t0 + i * 3_600_000),
          name: `Product ${i}`,
          slug: `product-${i}`,
          description: `A fine product number ${i}, described at some length so rows are realistic.`,
          price: `${10 + (i % 90)}.99`,
          cost: `${5 + (i % 40)}.50`,
          discount_percentage: i % 30,
          stock: 1_000_000_000,
          tags: ["bench", `t${i % 5}`],
          metadata: { color: "red", size: i % 3 },
          category_id: 1 + (i % 8),
          is_featured: i % 10 === 0,
        }),
    ),
  );
  await Review.objects.bulkCreate(
    Array.from(
      { length: 2000 },
      (_, i) =>
        new Review({ product_id: 1 + (i % 500), user_id: 1 + (i % 50), rating: 1 + (i % 5), comment: "ok" }),
    ),
  );
}

/** The scenario's statements as captured, replayed on cached raw statements (the floor). */
function floorOf(raw: BetterSqlite3.Database, queries: CapturedQuery[]): () => void {
  const stmts = queries.map((q) => {
    const stmt = raw.prepare(q.sql);
    const params = q.params.map((v) =>
      typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : typeof v === "boolean" ? Number(v) : v,
    );
    return { stmt, params, reader: stmt.reader };
  });
  return () => {
    for (const { stmt, params, reader } of stmts) {
      if (reader) stmt.raw(true).all(...params);
      else stmt.run(...params);
    }
  };
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function measure(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = cpuMicros();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  return (cpuMicros() - start) / ITERATIONS;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  rmSync(file, { force: true });
  configureDatabase(`sqlite:${file}`);
  await seed();
  const raw = new BetterSqlite3(file);
  const drizzled = drizzleFetch20(raw);
  const rows: string[] = [];
  for (const [name, run] of Object.entries(scenarios)) {
    if (args.only && !name.includes(args.only)) continue;
    const { queries } = await captureQueries(run);
    const floor = floorOf(raw, queries);
    const others = name === "fetch 20 rows" ? Object.entries(drizzled) : [];
    for (let i = 0; i < 300; i++) {
      await run();
      floor();
      for (const [, fn] of others) fn();
    }
    const orm: number[] = [];
    const bare: number[] = [];
    const hand = others.map((): number[] => []);
    // interleaved rounds: a busy machine slows every column alike
    for (let r = 0; r < ROUNDS; r++) {
      orm.push(await measure(run));
      bare.push(await measure(floor));
      for (const [i, [, fn]] of others.entries()) hand[i]!.push(await measure(fn));
    }
    const b = median(bare);
    const line = (label: string, n: number, times: number[]) => {
      const o = median(times);
      return `| ${label} | ${n} | ${o.toFixed(1)} (min ${Math.min(...times).toFixed(1)}) | ${b.toFixed(1)} | ${(o - b).toFixed(1)} | ${(o / b).toFixed(2)}x |`;
    };
    rows.push(line(`${name}: QuerySet`, queries.length, orm));
    others.forEach(([label], i) => {
      rows.push(line(`${name}: ${label}`, 1, hand[i]!));
    });
  }
  raw.close();
  await closeDatabase();
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  console.log(
    `Node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} iterations, median CPU µs per operation`,
  );
  console.log("| scenario | statements | µs | same SQL, raw statements µs | overhead µs | ratio |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
}

async function measureWall(fn: () => unknown | Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = cpuMicros();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1000 / ITERATIONS;
  return { wall, cpu: (cpuMicros() - cpu) / ITERATIONS };
}

/** PostgreSQL: the scenarios with named prepared statements against the same statements unnamed. */
async function postgresMain(url: string): Promise<void> {
  const schema = `qp_bench_${process.pid}`;
  const admin = createDatabase(url);
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  const sep = url.includes("?") ? "&" : "?";
  const named = createDatabase(`${url}${sep}schema=${schema}&pool_size=1`);
  const unnamed = createDatabase(`${url}${sep}schema=${schema}&pool_size=1&prepared_statements=false`);
  const rows: string[] = [];
  try {
    configureDatabase(named);
    await seed();
    for (const [name, run] of Object.entries(scenarios)) {
      if (args.only && !name.includes(args.only)) continue;
      const { queries } = await captureQueries(run);
      for (const db of [named, unnamed]) {
        configureDatabase(db);
        for (let i = 0; i < 300; i++) await run();
      }
      const times = {
        named: [] as { wall: number; cpu: number }[],
        unnamed: [] as { wall: number; cpu: number }[],
      };
      for (let r = 0; r < ROUNDS; r++) {
        configureDatabase(named);
        times.named.push(await measureWall(run));
        configureDatabase(unnamed);
        times.unnamed.push(await measureWall(run));
      }
      const m = (xs: { wall: number; cpu: number }[], k: "wall" | "cpu") => median(xs.map((x) => x[k]));
      const [nw, uw] = [m(times.named, "wall"), m(times.unnamed, "wall")];
      rows.push(
        `| ${name} | ${queries.length} | ${uw.toFixed(0)} | ${nw.toFixed(0)} | ${(nw / uw).toFixed(2)}x | ${m(times.unnamed, "cpu").toFixed(0)} → ${m(times.named, "cpu").toFixed(0)} |`,
      );
    }
  } finally {
    await named.close();
    await unnamed.close();
    await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.close();
  }
  console.log(
    `PostgreSQL, one connection, Node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} iterations, medians, µs per operation`,
  );
  console.log(
    "| scenario | statements | unnamed wall | prepared wall | ratio | client CPU unnamed → prepared |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
}

if (args.postgres) await postgresMain(args.postgres);
else await main();
