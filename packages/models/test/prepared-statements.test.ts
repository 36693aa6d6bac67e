// PostgreSQL runs each compiled QuerySet shape as a named prepared statement: parsed and planned
// once per connection, then only bound and executed. Observed from the server's side
// (pg_prepared_statements of the very connection: a pool of one), across errors, transactions,
// a killed connection and replicas. Always against the real PostgreSQL (whatever TEST_DB says):
// SQLite caches its statements in-process (the SQLite side is query-templates.test.ts).
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerPreparedStatement } from "../src/db/prepared.js";
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
  IntegerField,
  IntegrityError,
  OperationalError,
  Sum,
  usingDatabase,
} from "../src/index.js";

const Item = defineModel("prepared.Item", {
  fields: { name: CharField({ maxLength: 50, unique: true }), qty: IntegerField({ default: 0 }) },
  meta: { ordering: ["id"] },
});

const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = createDatabase(base);
const schemas: string[] = [];
const open: Database[] = [];

/** A database on a private schema with one connection (so a query sees its own session's statements). */
async function database(params = "", alias?: string): Promise<Database> {
  const schema = `prepared_${process.pid}_${randomBytes(3).toString("hex")}`;
  schemas.push(schema);
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  const db = createDatabase(
    `${base}${base.includes("?") ? "&" : "?"}schema=${schema}&pool_size=1&pool_timeout=5${params}`,
    alias ? { alias } : {},
  );
  open.push(db);
  await createTables([Item], db);
  return db;
}

interface PreparedRow {
  statement: string;
  executions: number;
}

/** The named statements of `db`'s (only) connection, with how often each ran. */
async function prepared(db: Database): Promise<PreparedRow[]> {
  const { rows } = await db.execute(
    "SELECT statement, generic_plans + custom_plans AS executions FROM pg_prepared_statements WHERE name LIKE 'x\\_%' ORDER BY prepare_time",
  );
  return rows.map((r) => ({ statement: r.statement, executions: Number(r.executions) }));
}

async function backendPid(db: Database): Promise<number> {
  return (await db.execute("SELECT pg_backend_pid() AS pid")).rows[0].pid;
}

const lowStock = (max: number) => Item.objects.filter({ qty__lt: max }).valuesList("name", { flat: true });

beforeAll(async () => {
  await admin.execute("SELECT 1");
});

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

afterAll(async () => {
  for (const schema of schemas) await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
  await admin.close();
});

describe("compiled shapes on PostgreSQL", () => {
  it("are prepared once per connection and reused with new parameters; captured queries are unchanged", async () => {
    const db = configureDatabase(await database());
    await Item.objects.bulkCreate([new Item({ name: "a", qty: 1 }), new Item({ name: "b", qty: 5 })]);
    const pid = await backendPid(db);
    const { queries } = await captureQueries(async () => {
      expect(await lowStock(2)).toEqual(["a"]);
      expect(await lowStock(10)).toEqual(["a", "b"]);
      expect(await lowStock(0)).toEqual([]);
    });
    // the same text three times, each with its own parameters, on the default alias
    expect(queries.map((q) => [q.sql, q.params, q.alias])).toEqual([
      [queries[0]!.sql, [2], "default"],
      [queries[0]!.sql, [10], "default"],
      [queries[0]!.sql, [0], "default"],
    ]);
    expect(queries[0]!.sql).toBe(lowStock(2).toSql().sql);
    const mine = (await prepared(db)).filter((p) => p.statement === queries[0]!.sql);
    expect(mine).toEqual([{ statement: queries[0]!.sql, executions: 3 }]);
    expect(await backendPid(db)).toBe(pid);
  });

  it("are described once per connection: later executions bind and execute, read with the kept columns", async () => {
    configureDatabase(await database());
    await Item.objects.bulkCreate([new Item({ name: "a", qty: 1 }), new Item({ name: "b", qty: 5 })]);
    const Connection = createRequire(import.meta.url)("pg/lib/connection") as {
      prototype: { describe(this: unknown, ...args: unknown[]): void };
    };
    const describe = Connection.prototype.describe;
    let described = 0;
    Connection.prototype.describe = function (this: unknown, ...args: unknown[]) {
      described++;
      describe.apply(this, args);
    };
    try {
      expect(await lowStock(2)).toEqual(["a"]);
      expect(await lowStock(10)).toEqual(["a", "b"]);
      expect(await lowStock(0)).toEqual([]);
      const rows = async () => (await Item.objects.filter({ qty__gt: 0 })).map((i) => [i.name, i.qty]);
      expect(await rows()).toEqual([
        ["a", 1],
        ["b", 5],
      ]);
      expect(await rows()).toEqual([
        ["a", 1],
        ["b", 5],
      ]);
      expect(await atomic(rows)).toEqual([
        ["a", 1],
        ["b", 5],
      ]);
    } finally {
      Connection.prototype.describe = describe;
    }
    // one Describe per statement on this (only) connection: lowStock's and the instances' query
    expect(described).toBe(2);
  });

  it("leave one-off SQL, raw SQL and DDL unnamed", async () => {
    const db = configureDatabase(await database());
    await Item.objects.create({ name: "a", qty: 3 });
    await db.execute("SELECT name FROM prepared_item WHERE qty > $1", [0]);
    await db.execute("CREATE INDEX prepared_item_qty ON prepared_item (qty)");
    // aggregate() compiles its SQL each time (no shape)
    expect(await Item.objects.aggregate({ total: Sum("qty") })).toEqual({ total: 3 });
    const statements = (await prepared(db)).map((p) => p.statement);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^insert into "prepared_item"/i);
  });

  it("are not prepared with ?prepared_statements=false (a transaction-pooling PgBouncer)", async () => {
    const db = configureDatabase(await database("&prepared_statements=false"));
    await Item.objects.create({ name: "a", qty: 3 });
    expect(await lowStock(5)).toEqual(["a"]);
    expect(await prepared(db)).toEqual([]);
  });

  it("keep errors mapped: a unique violation through the prepared INSERT names its constraint", async () => {
    const db = configureDatabase(await database());
    await Item.objects.create({ name: "a" });
    const error = await Item.objects.create({ name: "a" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).constraint).toMatch(/name/);
    // the connection (a new one if the pool dropped it) still runs the shape
    await Item.objects.create({ name: "b" });
    expect(await Item.objects.count()).toBe(2);
    expect((await prepared(db)).some((p) => /^insert/i.test(p.statement))).toBe(true);
  });

  it("survive a rolled-back transaction and savepoints: the statement stays prepared on the connection", async () => {
    const db = configureDatabase(await database());
    await Item.objects.create({ name: "a", qty: 1 });
    const pid = await backendPid(db);
    const rolledBack = await atomic(async () => {
      expect(await lowStock(2)).toEqual(["a"]);
      await atomic(async () => {
        await Item.objects.create({ name: "b", qty: 1 });
        throw new Error("inner");
      }).catch(() => undefined);
      throw new Error("outer");
    }).catch((e: Error) => e.message);
    expect(rolledBack).toBe("outer");
    // prepared inside the rolled-back transaction, run again after it on the same connection
    expect(await lowStock(2)).toEqual(["a"]);
    expect(await backendPid(db)).toBe(pid);
    const sql = lowStock(2).toSql().sql;
    expect((await prepared(db)).find((p) => p.statement === sql)?.executions).toBe(2);
  });

  it("are prepared again on the connection that replaces a killed one", async () => {
    const db = configureDatabase(await database());
    await Item.objects.create({ name: "a", qty: 1 });
    expect(await lowStock(2)).toEqual(["a"]);
    const pid = await backendPid(db);
    await admin.execute("SELECT pg_terminate_backend($1)", [pid]);
    // the pool drops the idle client when the server's FATAL arrives
    for (let i = 0; i < 50; i++) {
      const { rows } = await admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
      if (rows.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    // a stale belief that the new connection has the statement would fail: "prepared statement … does not exist"
    expect(await lowStock(2)).toEqual(["a"]);
    expect(await backendPid(db)).not.toBe(pid);
    const sql = lowStock(2).toSql().sql;
    expect((await prepared(db)).find((p) => p.statement === sql)?.executions).toBe(1);
  });

  it("fail once per connection after a migration changes their result type, then are prepared again", async () => {
    configureDatabase(await database());
    await Item.objects.create({ name: "a", qty: 1 });
    expect(await lowStock(2)).toEqual(["a"]);
    await atomic(async () => expect(await lowStock(2)).toEqual(["a"]));
    await admin.execute(`ALTER TABLE "${schemas.at(-1)}"."prepared_item" ALTER COLUMN "name" TYPE text`);
    // PostgreSQL refuses the prepared statement ("cached plan must not change result type"): an
    // OperationalError (the web layer's 503), and the connection is replaced, so the next
    // statement runs (and prepares) on a fresh one
    const stale = await atomic(async () => await lowStock(2)).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(OperationalError);
    expect(((stale as Error).cause as { code?: string }).code).toBe("0A000");
    expect(await atomic(async () => await lowStock(2))).toEqual(["a"]);
    await admin.execute(
      `ALTER TABLE "${schemas.at(-1)}"."prepared_item" ALTER COLUMN "name" TYPE varchar(50)`,
    );
    await expect(lowStock(2).then()).rejects.toThrow(/cached plan must not change result type/);
    expect(await lowStock(2)).toEqual(["a"]);
  });

  it("are prepared by each connection that runs them: primary and replica", async () => {
    const primary = await database();
    const replica = await database();
    const replicated = createReplicatedDatabase({
      default: primary.url,
      replicas: [replica.url],
    });
    open.push(replicated);
    configureDatabase(replicated);
    const { queries } = await captureQueries(async () => {
      await Item.objects.create({ name: "on-primary", qty: 1 });
      expect(await lowStock(2)).toEqual([]); // the replica's schema has no rows
      expect(
        await Item.objects.using("primary").filter({ qty__lt: 2 }).valuesList("name", { flat: true }),
      ).toEqual(["on-primary"]);
    });
    expect(queries.map((q) => q.alias)).toEqual(["primary", "replica0", "primary"]);
    const select = queries[1]!.sql;
    const onPrimary = await usingDatabase("primary", () => prepared(replicated));
    const onReplica = await usingDatabase("replica0", () => prepared(replicated));
    expect(onPrimary.find((p) => p.statement === select)?.executions).toBe(1);
    expect(onReplica.find((p) => p.statement === select)?.executions).toBe(1);
  });
});

describe("statement names", () => {
  it("are bounded: past 1000 texts, new shapes run unnamed (named ones keep their names)", async () => {
    const db = configureDatabase(await database());
    for (let i = 0; i < 1000; i++) registerPreparedStatement(`SELECT ${i} AS filler`);
    await Item.objects.create({ name: "a", qty: 1 }); // a shape named by the tests above
    const { queries } = await captureQueries(async () => {
      expect(await Item.objects.filter({ name__startswith: "a" }).count()).toBe(1);
    });
    expect(queries[0]!.sql).toMatch(/^select count/i);
    expect((await prepared(db)).map((p) => p.statement)).toEqual([
      'INSERT INTO "prepared_item" ("name", "qty") VALUES ($1, $2) RETURNING "id"',
    ]);
  });
});
