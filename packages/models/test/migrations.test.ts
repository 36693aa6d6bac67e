import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/db/database.js";
import {
  createDatabase,
  defineMigration,
  type FieldState,
  formatShowMigrations,
  IrreversibleError,
  MIGRATIONS_TABLE,
  type Migration,
  type ModelState,
  migrate,
  operations as ops,
  showMigrations,
  sqlMigrate,
} from "../src/index.js";
import { columnsOf, indexExists, openDatabase, sql, tableExists } from "./migrations-db.js";

// Field states as makemigrations writes them.
const auto = (): FieldState => ({
  type: "AutoField",
  storage: "auto",
  column: "id",
  null: false,
  unique: false,
  primaryKey: true,
  dbIndex: false,
});
const char = (column: string, maxLength: number, extra: Partial<FieldState> = {}): FieldState => ({
  type: "CharField",
  storage: "string",
  column,
  null: false,
  unique: false,
  primaryKey: false,
  dbIndex: false,
  maxLength,
  ...extra,
});
const decimalField = (column: string): FieldState => ({
  type: "DecimalField",
  storage: "decimal",
  column,
  null: false,
  unique: false,
  primaryKey: false,
  dbIndex: false,
  maxDigits: 10,
  decimalPlaces: 2,
});
const integer = (column: string, extra: Partial<FieldState> = {}): FieldState => ({
  type: "IntegerField",
  storage: "integer",
  column,
  null: false,
  unique: false,
  primaryKey: false,
  dbIndex: false,
  ...extra,
});
const fk = (column: string, to: string, extra: Partial<FieldState> = {}): FieldState => ({
  type: "ForeignKey",
  storage: "relation",
  column,
  null: false,
  unique: false,
  primaryKey: false,
  dbIndex: true,
  to,
  onDelete: "CASCADE",
  ...extra,
});
const model = (
  label: string,
  table: string,
  fields: [string, FieldState][],
  extra: Partial<ModelState> = {},
): ModelState => ({
  label,
  app: label.split(".")[0]!,
  table,
  fields,
  indexes: [],
  uniqueTogether: [],
  constraints: [],
  ...extra,
});

const authInitial = defineMigration({
  app: "accounts",
  name: "0001_initial",
  dependencies: [],
  operations: [
    ops.CreateModel({
      model: model("accounts.user", "accounts_user", [
        ["id", auto()],
        ["username", char("username", 150, { unique: true })],
      ]),
    }),
  ],
});

const shopInitial = defineMigration({
  app: "shop",
  name: "0001_initial",
  dependencies: [["accounts", "0001_initial"]],
  operations: [
    ops.CreateModel({
      model: model("shop.category", "shop_category", [
        ["id", auto()],
        ["name", char("name", 50)],
      ]),
    }),
    ops.CreateModel({
      model: model(
        "shop.product",
        "shop_product",
        [
          ["id", auto()],
          ["name", char("name", 100)],
          ["slug", char("slug", 50, { unique: true })],
          ["price", decimalField("price")],
          ["category", fk("category_id", "shop.category")],
          ["owner", fk("owner_id", "accounts.user", { null: true, onDelete: "SET_NULL" })],
        ],
        { uniqueTogether: [["category", "name"]] },
      ),
    }),
  ],
});

const shopSecond = defineMigration({
  app: "shop",
  name: "0002_product_stock",
  dependencies: [["shop", "0001_initial"]],
  operations: [
    ops.AddField({ model: "shop.product", name: "stock", field: integer("stock", { default: 0 }) }),
    ops.AlterField({
      model: "shop.product",
      name: "name",
      field: char("name", 200),
      oldField: char("name", 100),
    }),
    ops.AddIndex({ model: "shop.product", index: { name: "shop_product_price_idx", fields: ["-price"] } }),
    // The removed field's definition is kept, with a default for rows when it comes back.
    ops.RemoveField({
      model: "shop.category",
      name: "name",
      field: char("name", 50, { default: "restored" }),
    }),
    ops.AddField({
      model: "shop.category",
      name: "title",
      field: char("title", 80, { default: "untitled" }),
    }),
  ],
});

const shopData = defineMigration({
  app: "shop",
  name: "0003_restock",
  dependencies: [["shop", "0002_product_stock"]],
  operations: [
    ops.RunCode({
      description: "give every product 5 items",
      code: async ({ database, state }) => {
        // The state gives the table as the migrations so far define it.
        const table = state.get("shop.product")!.table;
        await database.execute(`UPDATE "${table}" SET "stock" = "stock" + 5`);
      },
      reverseCode: async ({ database }) => {
        await database.execute('UPDATE "shop_product" SET "stock" = "stock" - 5');
      },
    }),
  ],
});

let db: Database;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ db, close } = await openDatabase());
});
afterEach(async () => {
  await close();
});

async function insertProduct(slug: string, price: string): Promise<void> {
  const label = (await columnsOf(db, "shop_category")).includes("title") ? "title" : "name";
  await db.execute(
    sql(db, `INSERT INTO "shop_category" ("id", "${label}") VALUES (?, ?) ON CONFLICT DO NOTHING`),
    [1, "Books"],
  );
  const value = db.vendor === "sqlite" ? Math.round(Number(price) * 100) : price;
  // Like Django, the database has no column defaults: the ORM supplies them.
  const withStock = (await columnsOf(db, "shop_product")).includes("stock");
  await db.execute(
    sql(
      db,
      `INSERT INTO "shop_product" ("name", "slug", "price", "category_id"${withStock ? ', "stock"' : ""}) VALUES (?, ?, ?, ?${withStock ? ", ?" : ""})`,
    ),
    [slug, slug, value, 1, ...(withStock ? [0] : [])],
  );
}

describe("migrate", () => {
  it("applies pending migrations in dependency order, records them, and is idempotent", async () => {
    const lines: string[] = [];
    const result = await migrate({
      database: db,
      migrations: [shopInitial, authInitial],
      log: (l) => lines.push(l),
    });
    expect(result.applied).toEqual(["accounts.0001_initial", "shop.0001_initial"]);
    expect(lines).toEqual(["Applying accounts.0001_initial... OK", "Applying shop.0001_initial... OK"]);
    expect(await columnsOf(db, "shop_product")).toEqual([
      "id",
      "name",
      "slug",
      "price",
      "category_id",
      "owner_id",
    ]);
    const recorded = await db.execute(`SELECT "app", "name" FROM "${MIGRATIONS_TABLE}" ORDER BY "id"`);
    expect(recorded.rows.map((r) => `${r.app}.${r.name}`)).toEqual([
      "accounts.0001_initial",
      "shop.0001_initial",
    ]);

    const again = await migrate({ database: db, migrations: [shopInitial, authInitial] });
    expect(again).toEqual({ applied: [], unapplied: [] });
  });

  it("creates working constraints: unique, unique_together, foreign keys", async () => {
    await migrate({ database: db, migrations: [authInitial, shopInitial] });
    await insertProduct("a", "1.00");
    await expect(insertProduct("a", "2.00")).rejects.toThrow(); // unique slug
    await expect(
      db.execute(
        sql(db, 'INSERT INTO "shop_product" ("name", "slug", "price", "category_id") VALUES (?, ?, ?, ?)'),
        ["a", "b", 1, 1],
      ),
    ).rejects.toThrow(); // unique (category, name)
    await expect(
      db.execute(
        sql(db, 'INSERT INTO "shop_product" ("name", "slug", "price", "category_id") VALUES (?, ?, ?, ?)'),
        ["x", "x", 1, 99],
      ),
    ).rejects.toThrow(); // no category 99 (checked at commit: autocommit statement)
  });

  it("adds, alters and removes fields and indexes, filling existing rows with the default", async () => {
    await migrate({ database: db, migrations: [authInitial, shopInitial] });
    await insertProduct("p1", "12.50");
    await migrate({ database: db, migrations: [authInitial, shopInitial, shopSecond] });
    expect(await columnsOf(db, "shop_product")).toEqual([
      "id",
      "name",
      "slug",
      "price",
      "category_id",
      "owner_id",
      "stock",
    ]);
    expect(await columnsOf(db, "shop_category")).toEqual(["id", "title"]);
    expect(await indexExists(db, "shop_product_price_idx")).toBe(true);
    const rows = await db.execute('SELECT "slug", "stock" FROM "shop_product"');
    expect(rows.rows.map((r) => [r.slug, Number(r.stock)])).toEqual([["p1", 0]]);
    const cat = await db.execute('SELECT "title" FROM "shop_category"');
    expect(cat.rows[0]?.title).toBe("untitled");
    // The longer name fits now (PostgreSQL varchar(200); SQLite length check 200).
    await db.execute(sql(db, 'UPDATE "shop_product" SET "name" = ?'), ["n".repeat(150)]);
  });

  it("migrates backwards to a target, reversing each operation, and forwards again", async () => {
    const all = [authInitial, shopInitial, shopSecond, shopData];
    await migrate({ database: db, migrations: all, target: ["shop", "0002_product_stock"] });
    await insertProduct("p1", "3.00");
    await migrate({ database: db, migrations: all });
    const stock = async () => Number((await db.execute('SELECT "stock" FROM "shop_product"')).rows[0]?.stock);
    expect(await stock()).toBe(5);

    const back = await migrate({ database: db, migrations: all, target: ["shop", "0001_initial"] });
    expect(back.unapplied).toEqual(["shop.0003_restock", "shop.0002_product_stock"]);
    expect(await columnsOf(db, "shop_product")).toEqual([
      "id",
      "name",
      "slug",
      "price",
      "category_id",
      "owner_id",
    ]);
    expect(await columnsOf(db, "shop_category")).toEqual(["id", "name"]);
    expect(await indexExists(db, "shop_product_price_idx")).toBe(false);
    const kept = await db.execute('SELECT "slug", "category_id" FROM "shop_product"');
    expect(kept.rows.map((r) => [r.slug, Number(r.category_id)])).toEqual([["p1", 1]]);
    expect((await db.execute('SELECT "name" FROM "shop_category"')).rows).toEqual([{ name: "restored" }]);

    await migrate({ database: db, migrations: all });
    expect(await stock()).toBe(5); // stock re-added with default 0, then RunCode +5
  });

  it("unapplies dependents first when an app goes to zero", async () => {
    const all = [authInitial, shopInitial, shopSecond];
    await migrate({ database: db, migrations: all });
    const result = await migrate({ database: db, migrations: all, target: ["accounts", "zero"] });
    expect(result.unapplied).toEqual([
      "shop.0002_product_stock",
      "shop.0001_initial",
      "accounts.0001_initial",
    ]);
    for (const table of ["shop_product", "shop_category", "accounts_user"])
      expect(await tableExists(db, table)).toBe(false);
    // A forward target applies only what it needs.
    const partial = await migrate({ database: db, migrations: all, target: ["accounts", "0001_initial"] });
    expect(partial.applied).toEqual(["accounts.0001_initial"]);
  });

  it("refuses to reverse an operation without a reverse, changing nothing", async () => {
    const raw: Migration = {
      app: "shop",
      name: "0003_raw",
      dependencies: [["shop", "0002_product_stock"]],
      operations: [ops.RunSQL({ sql: 'UPDATE "shop_product" SET "stock" = 1' })],
    };
    const all = [authInitial, shopInitial, shopSecond, raw];
    await migrate({ database: db, migrations: all });
    const attempt = migrate({ database: db, migrations: all, target: ["shop", "0001_initial"] });
    await expect(attempt).rejects.toThrow(IrreversibleError);
    await expect(
      migrate({ database: db, migrations: all, target: ["shop", "0001_initial"] }),
    ).rejects.toThrow(
      "Migration shop.0003_raw is not reversible: operation 0 (Raw SQL operation): RunSQL has no reverseSql",
    );
    expect((await showMigrations({ database: db, migrations: all })).every((e) => e.applied)).toBe(true);
  });

  it("runs per-dialect SQL with a reverse", async () => {
    const custom: Migration = {
      app: "shop",
      name: "0003_view",
      dependencies: [["shop", "0002_product_stock"]],
      operations: [
        ops.RunSQL({
          sql: {
            sqlite: 'CREATE VIEW "cheap" AS SELECT * FROM "shop_product" WHERE "price" < 1000',
            postgresql: 'CREATE VIEW "cheap" AS SELECT * FROM "shop_product" WHERE "price" < 10',
          },
          reverseSql: 'DROP VIEW "cheap"',
        }),
      ],
    };
    const all = [authInitial, shopInitial, shopSecond, custom];
    await migrate({ database: db, migrations: all });
    await insertProduct("cheap1", "9.99");
    await insertProduct("dear", "10.00");
    const cheap = await db.execute('SELECT "slug" FROM "cheap"');
    expect(cheap.rows.map((r) => r.slug)).toEqual(["cheap1"]);
    await migrate({ database: db, migrations: all, target: ["shop", "0002_product_stock"] });
    await expect(db.execute('SELECT * FROM "cheap"')).rejects.toThrow();
  });

  it("rolls a failing migration back entirely", async () => {
    const broken: Migration = {
      app: "shop",
      name: "0003_broken",
      dependencies: [["shop", "0002_product_stock"]],
      operations: [
        ops.AddField({ model: "shop.product", name: "weight", field: integer("weight", { null: true }) }),
        ops.RunSQL({ sql: "THIS IS NOT SQL" }),
      ],
    };
    const all = [authInitial, shopInitial, shopSecond, broken];
    await expect(migrate({ database: db, migrations: all })).rejects.toThrow();
    expect(await columnsOf(db, "shop_product")).not.toContain("weight");
    const entries = await showMigrations({ database: db, migrations: all });
    expect(entries.find((e) => e.name === "0003_broken")?.applied).toBe(false);
    expect(entries.find((e) => e.name === "0002_product_stock")?.applied).toBe(true);
  });

  it("reports unknown targets, missing dependencies and conflicts", async () => {
    await expect(
      migrate({ database: db, migrations: [authInitial], target: ["accounts", "0009_nope"] }),
    ).rejects.toThrow("Cannot find migration '0009_nope' in app 'accounts' (known: 0001_initial)");
    await expect(migrate({ database: db, migrations: [shopInitial] })).rejects.toThrow(
      "Migration shop.0001_initial depends on accounts.0001_initial, which does not exist",
    );
    const rival: Migration = {
      app: "shop",
      name: "0002_other",
      dependencies: [["shop", "0001_initial"]],
      operations: [],
    };
    await expect(
      migrate({ database: db, migrations: [authInitial, shopInitial, shopSecond, rival] }),
    ).rejects.toThrow("Conflicting migrations in app 'shop': 0002_other, 0002_product_stock");
  });
});

describe("RenameField", () => {
  it("renames the column (and a foreign key's _id column) and renames back", async () => {
    const rename: Migration = {
      app: "shop",
      name: "0003_rename",
      dependencies: [["shop", "0002_product_stock"]],
      operations: [
        ops.RenameField({ model: "shop.product", oldName: "name", newName: "title" }),
        ops.RenameField({ model: "shop.product", oldName: "category", newName: "section" }),
      ],
    };
    const all = [authInitial, shopInitial, shopSecond, rename];
    await migrate({ database: db, migrations: all, target: ["shop", "0002_product_stock"] });
    await insertProduct("p1", "1.00");
    await migrate({ database: db, migrations: all });
    expect(await columnsOf(db, "shop_product")).toEqual([
      "id",
      "title",
      "slug",
      "price",
      "section_id",
      "owner_id",
      "stock",
    ]);
    const row = await db.execute('SELECT "title", "section_id" FROM "shop_product"');
    expect(row.rows.map((r) => [r.title, Number(r.section_id)])).toEqual([["p1", 1]]);
    await migrate({ database: db, migrations: all, target: ["shop", "0002_product_stock"] });
    expect(await columnsOf(db, "shop_product")).toEqual([
      "id",
      "name",
      "slug",
      "price",
      "category_id",
      "owner_id",
      "stock",
    ]);
  });
});

describe("sqlMigrate", () => {
  it("shows a migration's statements for a dialect, forwards and backwards, without running them", async () => {
    const forward = await sqlMigrate({
      migrations: [authInitial, shopInitial, shopSecond],
      app: "shop",
      name: "0002_product_stock",
      vendor: "postgresql",
    });
    expect(forward[0]).toBe('ALTER TABLE "shop_product" ADD COLUMN "stock" integer NULL;');
    expect(forward).toContain('UPDATE "shop_product" SET "stock" = $1; -- params: [0]');
    expect(forward).toContain('ALTER TABLE "shop_product" ALTER COLUMN "stock" SET NOT NULL;');
    expect(forward).toContain('CREATE INDEX "shop_product_price_idx" ON "shop_product" ("price" DESC);');
    const sqlite = await sqlMigrate({
      migrations: [authInitial, shopInitial, shopSecond],
      app: "shop",
      name: "0002_product_stock",
      vendor: "sqlite",
    });
    expect(sqlite.some((l) => l.startsWith('CREATE TABLE "new__shop_product"'))).toBe(true);
    const backwards = await sqlMigrate({
      migrations: [authInitial, shopInitial],
      app: "shop",
      name: "0001_initial",
      vendor: "postgresql",
      backwards: true,
    });
    expect(backwards).toEqual(['DROP TABLE "shop_product" CASCADE;', 'DROP TABLE "shop_category" CASCADE;']);
    expect(await tableExists(db, "shop_product")).toBe(false);
  });
});

describe("adding a required column", () => {
  it("refuses clearly when rows exist and there is no default", async () => {
    const required: Migration = {
      app: "shop",
      name: "0003_required",
      dependencies: [["shop", "0002_product_stock"]],
      operations: [ops.AddField({ model: "shop.product", name: "sku", field: char("sku", 20) })],
    };
    const all = [authInitial, shopInitial, shopSecond, required];
    await migrate({ database: db, migrations: all, target: ["shop", "0002_product_stock"] });
    await insertProduct("p1", "1.00");
    await expect(migrate({ database: db, migrations: all })).rejects.toThrow(
      'Cannot add the non-nullable field shop.product.sku without a default: table "shop_product" has rows.',
    );
    await db.execute('DELETE FROM "shop_product"');
    expect((await migrate({ database: db, migrations: all })).applied).toEqual(["shop.0003_required"]);
  });
});

describe("concurrent migrate", () => {
  it("applies each migration once when several processes migrate together", async () => {
    // Separate connections to the same database (PostgreSQL: pools; SQLite: the one connection).
    const all = [authInitial, shopInitial, shopSecond];
    const others = db.vendor === "postgresql" ? [createDatabase(db.url), createDatabase(db.url)] : [db, db];
    try {
      const results = await Promise.all(
        [db, ...others].map((database) => migrate({ database, migrations: all })),
      );
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(["accounts.0001_initial", "shop.0001_initial", "shop.0002_product_stock"]);
      const rows = await db.execute(`SELECT COUNT(*) AS n FROM "${MIGRATIONS_TABLE}"`);
      expect(Number(rows.rows[0]?.n)).toBe(3);
    } finally {
      if (db.vendor === "postgresql") for (const other of others) await other.close();
    }
  });
});

describe("showmigrations", () => {
  it("lists every migration with its state, as Django prints it", async () => {
    const all = [authInitial, shopInitial, shopSecond];
    await migrate({ database: db, migrations: all, target: ["shop", "0001_initial"] });
    const entries = await showMigrations({ database: db, migrations: all });
    expect(formatShowMigrations(entries)).toBe(
      ["accounts", " [X] 0001_initial", "shop", " [X] 0001_initial", " [ ] 0002_product_stock"].join("\n"),
    );
  });

  it("fakes applying when asked", async () => {
    const result = await migrate({ database: db, migrations: [authInitial], fake: true });
    expect(result.applied).toEqual(["accounts.0001_initial"]);
    expect(await tableExists(db, "accounts_user")).toBe(false);
  });
});
