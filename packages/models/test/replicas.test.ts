// Read replicas: which connection runs each statement. The "replicas" here are
// separate databases with the same tables (a real streaming replica is tested
// in apps/shop-api/test/scaleout/replica.test.ts), so a row read back also
// tells where it came from. Same tests on TEST_DB=sqlite|postgres.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  atomic,
  CharField,
  captureQueries,
  configureDatabase,
  createDatabase,
  createReplicatedDatabase,
  createTables,
  type Database,
  defineModel,
  getDatabase,
  ImproperlyConfigured,
  IntegerField,
  isReadOnlySql,
  ReplicatedDatabase,
  routingScope,
  routingScopeNeeded,
  testDatabaseVendor,
  usingDatabase,
} from "../src/index.js";

const Item = defineModel("replicas.Item", {
  fields: { name: CharField({ maxLength: 50 }), qty: IntegerField({ default: 0 }) },
  meta: { ordering: ["id"] },
});

/** A database of its own under `alias`: a temp SQLite file, or a private PostgreSQL schema. */
async function makeDb(alias: string): Promise<{ db: Database; drop(): Promise<void> }> {
  let db: Database;
  let drop = async () => {};
  if (testDatabaseVendor() === "sqlite") {
    db = createDatabase(`sqlite:${join(dir, `${alias}.sqlite3`)}`, { alias });
  } else {
    const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `replicas_${alias}_${process.pid}_${randomBytes(3).toString("hex")}`;
    const admin = createDatabase(base);
    await admin.execute(`CREATE SCHEMA "${schema}"`);
    db = createDatabase(`${base}${base.includes("?") ? "&" : "?"}schema=${schema}`, { alias });
    drop = async () => {
      await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
    };
  }
  await createTables([Item], db);
  return {
    db,
    async drop() {
      await db.close();
      await drop();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "x-replicas-"));
let made: Awaited<ReturnType<typeof makeDb>>[] = [];
let routed: ReplicatedDatabase;

beforeAll(async () => {
  made = [await makeDb("primary"), await makeDb("replica0"), await makeDb("replica1")];
  routed = new ReplicatedDatabase(made[0]!.db, [made[1]!.db, made[2]!.db]);
});
afterAll(async () => {
  for (const m of made) await m.drop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // A fresh round-robin, and each database holding one different row: a read's result says where it ran.
  routed = new ReplicatedDatabase(routed.primary, routed.replicas);
  configureDatabase(routed);
  for (const { db } of made) {
    await db.execute(`DELETE FROM "replicas_item"`);
    await db.execute(`INSERT INTO "replicas_item" ("name", "qty") VALUES ('on ${db.alias}', 0)`);
  }
});

const names = async () => (await Item.objects.all()).map((i) => i.name);

describe("routing", () => {
  it("reads go to the replicas round-robin, writes to the primary", async () => {
    expect(getDatabase()).toBe(routed);
    const { queries } = await captureQueries(async () => {
      expect(await names()).toEqual(["on replica0"]);
      expect(await names()).toEqual(["on replica1"]);
      expect(await Item.objects.count()).toBe(1);
      await Item.objects.create({ name: "written" });
      await Item.objects.filter({ name: "written" }).update({ qty: 2 });
    });
    expect(queries.map((q) => q.alias)).toEqual(["replica0", "replica1", "replica0", "primary", "primary"]);
    expect(
      (await routed.primary.execute(`SELECT "qty" FROM "replicas_item" WHERE "name" = 'written'`)).rows,
    ).toEqual([{ qty: 2 }]);
  });

  it("routingScopeNeeded() says whether a web app must wrap each request in routingScope()", async () => {
    expect(routingScopeNeeded()).toBe(true);
    expect(routingScopeNeeded(routed)).toBe(true);
    // One database (or a primary configured without replica URLs): nothing to route, no scope.
    expect(routingScopeNeeded(routed.primary)).toBe(false);
    const single = createReplicatedDatabase({ default: "sqlite::memory:", replicas: [] });
    expect(routingScopeNeeded(single)).toBe(false);
    await single.close();
  });

  it("a unit of work that wrote reads its own writes from the primary; the next one starts on a replica", async () => {
    const first = await captureQueries(() =>
      routingScope(async () => {
        expect(await names()).toEqual(["on replica0"]);
        await Item.objects.create({ name: "mine" });
        expect(await names()).toEqual(["on primary", "mine"]);
        expect(await Item.objects.filter({ name: "mine" }).exists()).toBe(true);
      }),
    );
    expect(first.queries.map((q) => q.alias)).toEqual(["replica0", "primary", "primary", "primary"]);
    const next = await captureQueries(() => routingScope(() => names()));
    expect(next.queries.map((q) => q.alias)).toEqual(["replica1"]);
    // Concurrent units of work do not pin each other.
    const [a, b] = await Promise.all([
      captureQueries(() =>
        routingScope(async () => {
          await Item.objects.create({ name: "a" });
          await new Promise((r) => setTimeout(r, 5));
          return names();
        }),
      ),
      captureQueries(() =>
        routingScope(async () => {
          await new Promise((r) => setTimeout(r, 5));
          return names();
        }),
      ),
    ]);
    expect(a.result).toContain("a");
    expect(b.result[0]).toMatch(/^on replica/);
  });

  it("everything inside atomic() runs on the primary, and pins the unit of work", async () => {
    const { queries } = await captureQueries(() =>
      routingScope(async () => {
        await atomic(async () => {
          expect(await names()).toEqual(["on primary"]);
          await Item.objects.create({ name: "in tx" });
        });
        expect(await names()).toEqual(["on primary", "in tx"]);
      }),
    );
    expect(new Set(queries.map((q) => q.alias))).toEqual(new Set(["primary"]));
    expect(queries.map((q) => q.sql)).toContain(routed.beginSql);
  });

  it("usingDatabase() picks the connection, as Django's using()", async () => {
    const { queries } = await captureQueries(async () => {
      expect(await usingDatabase("primary", names)).toEqual(["on primary"]);
      expect(await usingDatabase("replica1", names)).toEqual(["on replica1"]);
      expect(await usingDatabase("replica", names)).toEqual(["on replica0"]);
      // A write pins the enclosing unit of work even when it was sent explicitly.
      await routingScope(async () => {
        await usingDatabase("primary", () => Item.objects.create({ name: "x" }));
        await names();
      });
    });
    expect(queries.map((q) => q.alias)).toEqual(["primary", "replica1", "replica0", "primary", "primary"]);
    await expect(usingDatabase("replica7", names)).rejects.toThrow(
      'No database "replica7": use one of primary, replica, replica0, replica1',
    );
  });

  it("database routers pick the alias of a read; writes and pinned scopes ignore them", async () => {
    // Django's db_for_read: here, counting always on the primary, everything else by default.
    const counting = new ReplicatedDatabase(routed.primary, routed.replicas, [
      { dbForRead: () => undefined },
      { dbForRead: (sql) => (/\bcount\(/i.test(sql) ? "primary" : undefined) },
    ]);
    configureDatabase(counting);
    const { queries } = await captureQueries(async () => {
      expect(await Item.objects.count()).toBe(1);
      expect(await names()).toEqual(["on replica0"]);
      await routingScope(async () => {
        await Item.objects.create({ name: "w" });
        await names();
      });
    });
    expect(queries.map((q) => q.alias)).toEqual(["primary", "replica0", "primary", "primary"]);
  });

  it("classifies statements conservatively", () => {
    for (const sql of [
      `SELECT "a" FROM "t" WHERE "b" = $1`,
      `  select count(*) from t`,
      `WITH x AS (SELECT 1) SELECT * FROM x`,
      `SELECT "updated_at", "deleted" FROM "t"`,
    ])
      expect(isReadOnlySql(sql), sql).toBe(true);
    for (const sql of [
      `INSERT INTO t VALUES (1)`,
      `UPDATE t SET a = 1`,
      `SELECT * FROM t FOR UPDATE`,
      `SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED`,
      `SELECT setval(pg_get_serial_sequence('t', 'id'), 1, false)`,
      `SELECT nextval('s')`,
      `SELECT pg_advisory_lock(1)`,
      `WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d`,
      `SELECT 1; DELETE FROM t`,
      `BEGIN`,
      `PRAGMA foreign_keys = ON`,
      `CREATE TABLE t (a int)`,
    ])
      expect(isReadOnlySql(sql), sql).toBe(false);
  });
});

describe("configuration", () => {
  it("without replica URLs the primary is a plain database", () => {
    const db = createReplicatedDatabase({ default: "sqlite::memory:", replicas: [] });
    expect(db).not.toBeInstanceOf(ReplicatedDatabase);
    expect(db.alias).toBe("default");
  });

  it("refuses replicas on SQLite with a clear error", () => {
    expect(() =>
      configureDatabase({ default: "sqlite:./db.sqlite3", replicas: ["sqlite:./replica.sqlite3"] }),
    ).toThrow(ImproperlyConfigured);
    expect(() =>
      createReplicatedDatabase({ default: "sqlite::memory:", replicas: ["postgres://h/db"] }),
    ).toThrow(/Read replicas need PostgreSQL/);
  });

  it("names a PostgreSQL primary and its replicas", async () => {
    const db = createReplicatedDatabase({
      default: "postgres://postgres@127.0.0.1:5432/test?pool_size=2",
      replicas: ["postgres://postgres@127.0.0.1:5432/test", "postgres://postgres@127.0.0.1:5432/test"],
    }) as ReplicatedDatabase;
    expect(db).toBeInstanceOf(ReplicatedDatabase);
    expect([db.primary.alias, ...db.replicas.map((r) => r.alias)]).toEqual([
      "primary",
      "replica0",
      "replica1",
    ]);
    expect(db.vendor).toBe("postgresql");
    await db.close(); // never connected: closing is a no-op
  });
});
