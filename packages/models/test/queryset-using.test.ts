// QuerySet.using(alias), Django's using(): one QuerySet's reads and writes go to a named
// connection, as inside usingDatabase(alias, fn). The "replicas" are separate databases with the
// same tables (as in replicas.test.ts), so a row read back also tells where it came from.
// Same tests on TEST_DB=sqlite|postgres.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  atomic,
  CASCADE,
  CharField,
  Count,
  captureQueries,
  configureDatabase,
  createDatabase,
  createTables,
  type Database,
  defineModel,
  ForeignKey,
  ImproperlyConfigured,
  IntegerField,
  ReplicatedDatabase,
  routingScope,
  testDatabaseVendor,
  usingDatabase,
} from "../src/index.js";

const Shelf = defineModel("using.Shelf", {
  fields: { name: CharField({ maxLength: 50 }), qty: IntegerField({ default: 0 }) },
  meta: { ordering: ["id"] },
});
const Book = defineModel("using.Book", {
  fields: {
    shelf: ForeignKey(() => Shelf, { onDelete: CASCADE, relatedName: "books" }),
    title: CharField({ maxLength: 50 }),
  },
  meta: { ordering: ["id"] },
});

const dir = mkdtempSync(join(tmpdir(), "x-using-"));
const drops: (() => Promise<void>)[] = [];

/** A database of its own under `alias`: a temp SQLite file, or a private PostgreSQL schema. */
async function makeDb(alias: string): Promise<Database> {
  let db: Database;
  if (testDatabaseVendor() === "sqlite") {
    db = createDatabase(`sqlite:${join(dir, `${alias}.sqlite3`)}`, { alias });
    drops.push(() => db.close());
  } else {
    const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `using_${alias}_${process.pid}_${randomBytes(3).toString("hex")}`;
    const admin = createDatabase(base);
    await admin.execute(`CREATE SCHEMA "${schema}"`);
    db = createDatabase(`${base}${base.includes("?") ? "&" : "?"}schema=${schema}`, { alias });
    drops.push(async () => {
      await db.close();
      await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
    });
  }
  await createTables([Shelf, Book], db);
  return db;
}

let primary: Database;
let replicas: Database[];
let routed: ReplicatedDatabase;

beforeAll(async () => {
  primary = await makeDb("primary");
  replicas = [await makeDb("replica0"), await makeDb("replica1")];
});
afterAll(async () => {
  for (const drop of drops) await drop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // a fresh round-robin, and each database holding one shelf (with one book) named after it
  routed = new ReplicatedDatabase(primary, replicas);
  configureDatabase(routed);
  for (const db of [primary, ...replicas]) {
    await db.execute(`DELETE FROM "using_book"`);
    await db.execute(`DELETE FROM "using_shelf"`);
    await db.execute(`INSERT INTO "using_shelf" ("name", "qty") VALUES ('on ${db.alias}', 1)`);
    await db.execute(
      `INSERT INTO "using_book" ("shelf_id", "title") SELECT MAX("id"), 'book on ${db.alias}' FROM "using_shelf"`,
    );
  }
});

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe("QuerySet.using()", () => {
  it("sends a QuerySet's reads to the named connection; clones keep it", async () => {
    const { queries } = await captureQueries(async () => {
      expect(names(await Shelf.objects.using("primary"))).toEqual(["on primary"]);
      expect(names(await Shelf.objects.using("default").filter({ qty: 1 }))).toEqual(["on primary"]);
      expect(names(await Shelf.objects.using("replica1").orderBy("name"))).toEqual(["on replica1"]);
      expect(names(await Shelf.objects.using("replica"))).toEqual(["on replica0"]);
      expect(names(await Shelf.objects.using("replica"))).toEqual(["on replica1"]);
      const onPrimary = Shelf.objects.using("primary").filter({ qty__gte: 1 });
      expect(await onPrimary.count()).toBe(1);
      expect(await onPrimary.exists()).toBe(true);
      expect((await onPrimary.get({ name: "on primary" })).name).toBe("on primary");
      expect(await onPrimary.valuesList("name", { flat: true })).toEqual(["on primary"]);
      expect(await onPrimary.aggregate({ n: Count("id") })).toEqual({ n: 1 });
    });
    expect(queries.map((q) => q.alias)).toEqual([
      "primary",
      "primary",
      "replica1",
      "replica0",
      "replica1",
      "primary",
      "primary",
      "primary",
      "primary",
      "primary",
    ]);
    // without using(), the routing rules: reads round-robin over the replicas
    const plain = await captureQueries(() => Shelf.objects.all());
    expect(plain.queries.map((q) => q.alias)).toEqual(["replica0"]);
  });

  it("sends prefetches and selectRelated joins along", async () => {
    const { result, queries } = await captureQueries(() =>
      Shelf.objects.using("replica1").prefetchRelated("books"),
    );
    // the prefetched books are read from the cache (no further query)
    const titles = await captureQueries(async () =>
      (await result[0]!.related<typeof Book>("books").all()).map((b) => b.title),
    );
    expect(titles.result).toEqual(["book on replica1"]);
    expect(titles.count).toBe(0);
    expect(queries.map((q) => q.alias)).toEqual(["replica1", "replica1"]);
    const book = await Book.objects
      .using("replica0")
      .selectRelated("shelf")
      .get({ title: "book on replica0" });
    expect(book.shelf.name).toBe("on replica0");
  });

  it("sends writes to the named connection: create, bulkCreate, update, delete (with its cascade)", async () => {
    const { queries } = await captureQueries(async () => {
      await Shelf.objects.using("primary").create({ name: "created" });
      await Shelf.objects.using("primary").bulkCreate([new Shelf({ name: "bulk" })]);
      expect(await Shelf.objects.using("primary").filter({ name: "bulk" }).update({ qty: 9 })).toBe(1);
      expect(await Shelf.objects.using("primary").filter({ name: "on primary" }).delete()).toEqual([
        2,
        { "using.Book": 1, "using.Shelf": 1 },
      ]);
    });
    expect(new Set(queries.map((q) => q.alias))).toEqual(new Set(["primary"]));
    const rows = await primary.execute(`SELECT "name", "qty" FROM "using_shelf" ORDER BY "id"`);
    expect(rows.rows).toEqual([
      { name: "created", qty: 0 },
      { name: "bulk", qty: 9 },
    ]);
    for (const db of replicas) {
      expect((await db.execute(`SELECT "name" FROM "using_shelf"`)).rows).toEqual([
        { name: `on ${db.alias}` },
      ]);
    }
  });

  it("a statement outside a transaction goes to any alias; what opens a transaction runs on the primary", async () => {
    const { queries } = await captureQueries(async () => {
      // one UPDATE: sent to the alias (a real streaming replica would refuse it, as with Django)
      expect(await Shelf.objects.using("replica0").update({ qty: 5 })).toBe(1);
      // bulkCreate opens a transaction: the primary, as inside usingDatabase()
      await Shelf.objects.using("replica0").bulkCreate([new Shelf({ name: "bulk" })]);
    });
    expect(queries.map((q) => q.alias)).toEqual(["replica0", "primary", "primary", "primary"]);
    expect((await replicas[0]!.execute(`SELECT "qty" FROM "using_shelf"`)).rows).toEqual([{ qty: 5 }]);
    expect((await primary.execute(`SELECT "name" FROM "using_shelf" ORDER BY "id"`)).rows).toEqual([
      { name: "on primary" },
      { name: "bulk" },
    ]);
  });

  it("wins over an enclosing usingDatabase(); a transaction still runs on the primary", async () => {
    const { queries } = await captureQueries(async () => {
      await usingDatabase("replica1", async () => {
        expect(names(await Shelf.objects.using("primary"))).toEqual(["on primary"]);
        expect(names(await Shelf.objects.all())).toEqual(["on replica1"]);
      });
      await atomic(async () => {
        expect(names(await Shelf.objects.using("replica1"))).toEqual(["on primary"]);
      });
    });
    expect(queries.map((q) => q.alias).filter((_, i) => i < 2)).toEqual(["primary", "replica1"]);
    expect(new Set(queries.slice(2).map((q) => q.alias))).toEqual(new Set(["primary"]));
  });

  it("a write through using() pins the unit of work to the primary, as any write", async () => {
    const { queries } = await captureQueries(() =>
      routingScope(async () => {
        await Shelf.objects.using("primary").create({ name: "mine" });
        expect(names(await Shelf.objects.all())).toEqual(["on primary", "mine"]);
      }),
    );
    expect(queries.map((q) => q.alias)).toEqual(["primary", "primary"]);
  });

  it("an unknown alias throws ImproperlyConfigured naming the valid ones, before running anything", async () => {
    const message = 'No database "replica7": use one of primary, replica, replica0, replica1';
    const { queries } = await captureQueries(async () => {
      await expect(Shelf.objects.using("replica7").filter({ qty: 1 }).then()).rejects.toThrow(message);
      await expect(Shelf.objects.using("replica7").count()).rejects.toThrow(ImproperlyConfigured);
      await expect(Shelf.objects.using("replica7").create({ name: "x" })).rejects.toThrow(message);
      await expect(Shelf.objects.using("replica7").update({ qty: 2 })).rejects.toThrow(message);
    });
    expect(queries).toEqual([]);
  });

  it("without replicas: 'default' and 'primary' name the one database; other aliases are refused", async () => {
    configureDatabase(primary);
    const { queries } = await captureQueries(async () => {
      expect(names(await Shelf.objects.using("default"))).toEqual(["on primary"]);
      expect(names(await Shelf.objects.using("primary"))).toEqual(["on primary"]);
    });
    expect(queries.map((q) => q.alias)).toEqual(["primary", "primary"]);
    await expect(Shelf.objects.using("replica").count()).rejects.toThrow(
      'No database "replica": use one of default, primary',
    );
  });
});
