// QuerySet overhead: 20 rows through Product.objects vs the same hand-written drizzle query (SQLite file database).
// Run: npx pnpm@12.4.2 --filter @x/models bench
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { asc, gt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, bench, describe } from "vitest";
import {
  BooleanField,
  CharField,
  closeDatabase,
  configureDatabase,
  createTables,
  DateTimeField,
  DecimalField,
  defineModel,
  IntegerField,
} from "../src/index.js";

const Item = defineModel("bench.Item", {
  fields: {
    name: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
    active: BooleanField({ default: true }),
    created_at: DateTimeField({ autoNowAdd: true }),
  },
});

const items = sqliteTable("bench_item", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  price: integer("price").notNull(),
  stock: integer("stock").notNull(),
  active: integer("active", { mode: "boolean" }).notNull(),
  created_at: text("created_at").notNull(),
});

const file = join(tmpdir(), `x-models-bench-${process.pid}.sqlite3`);
let raw: BetterSqlite3.Database;
let db: ReturnType<typeof drizzle>;
let prepared: { all(values: { stock: number }): unknown };

beforeAll(async () => {
  rmSync(file, { force: true });
  configureDatabase(`sqlite:${file}`);
  await createTables([Item]);
  await Item.objects.bulkCreate(
    Array.from({ length: 1000 }, (_, i) => new Item({ name: `item ${i}`, price: `${i}.25`, stock: i % 7 })),
  );
  raw = new BetterSqlite3(file);
  db = drizzle(raw);
  prepared = db
    .select()
    .from(items)
    .where(gt(items.stock, sql.placeholder("stock")))
    .orderBy(asc(items.id))
    .limit(20)
    .prepare();
});

afterAll(async () => {
  await closeDatabase();
  raw.close();
  rmSync(file, { force: true });
});

const options = { time: 3000, warmupTime: 500, warmupIterations: 200 };

describe("fetch 20 rows", () => {
  bench(
    "drizzle (hand-written)",
    () => {
      db.select().from(items).where(gt(items.stock, 0)).orderBy(asc(items.id)).limit(20).all();
    },
    options,
  );

  bench(
    "drizzle (hand-written, prepared once)",
    () => {
      prepared.all({ stock: 0 });
    },
    options,
  );

  bench(
    "QuerySet",
    async () => {
      await Item.objects.filter({ stock__gt: 0 }).orderBy("id").slice(0, 20);
    },
    options,
  );
});
