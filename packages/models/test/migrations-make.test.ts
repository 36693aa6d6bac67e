import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BooleanField,
  CASCADE,
  CharField,
  configureDatabase,
  createTables,
  type Database,
  DecimalField,
  defineModel,
  ForeignKey,
  IntegerField,
  IntegrityError,
  ManyToManyField,
  makeMigrations,
  migrate,
  runMigrationCommand,
  SlugField,
  showMigrations,
} from "../src/index.js";
import { columnsOf, indexExists, openDatabase, tableExists } from "./migrations-db.js";

// Two apps: "mkusers" (its own migrations) and "mkshop" pointing at it.
const User = defineModel("mkusers.User", {
  fields: { username: CharField({ maxLength: 150, unique: true }) },
});
const Category = defineModel("mkshop.Category", {
  fields: { name: CharField({ maxLength: 100 }), slug: SlugField({ unique: true, maxLength: 50 }) },
  meta: { dbTable: "mk_category" },
});
const Product = defineModel("mkshop.Product", {
  fields: {
    name: CharField({ maxLength: 200, dbIndex: true }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    category: ForeignKey(() => Category, { onDelete: CASCADE, relatedName: "products" }),
    owner: ForeignKey(() => User, { onDelete: CASCADE, null: true }),
    fans: ManyToManyField(() => User, { blank: true, relatedName: "liked" }),
  },
  meta: {
    dbTable: "mk_product",
    indexes: [{ fields: ["-price"], name: "mk_product_price_desc" }],
    uniqueTogether: [["category", "name"]],
    constraints: [{ kind: "check", check: { price__gte: "0" }, name: "mk_price_gte_0" }],
  },
});

const insertNegative = (db: Database) =>
  db.execute(
    db.vendor === "sqlite"
      ? 'INSERT INTO "mk_product" ("name", "price", "category_id") VALUES (?, ?, ?)'
      : 'INSERT INTO "mk_product" ("name", "price", "category_id") VALUES ($1, $2, $3)',
    ["neg", db.vendor === "sqlite" ? -100 : "-1.00", 1],
  );

let root: string;
let dirs: Record<string, string>;
let db: Database;
let close: () => Promise<void>;

beforeEach(async () => {
  // Inside the package, so generated TypeScript can import "@x/models".
  root = await mkdtemp(join(import.meta.dirname, ".tmp-migrations-"));
  dirs = { mkusers: join(root, "mkusers"), mkshop: join(root, "mkshop") };
  ({ db, close } = await openDatabase());
  configureDatabase(db);
});
afterEach(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

describe("makemigrations", () => {
  it("writes initial migrations with cross-app dependencies, which migrate builds and the ORM uses", async () => {
    const written = await makeMigrations({ dirs, models: [User, Category, Product] });
    expect(written.map((w) => `${w.migration.app}.${w.migration.name}`)).toEqual([
      "mkshop.0001_initial",
      "mkusers.0001_initial",
    ]);
    const shop = written.find((w) => w.migration.app === "mkshop")!;
    expect(shop.migration.dependencies).toEqual([["mkusers", "0001_initial"]]);
    expect(
      shop.migration.operations.map((op) => `${op.op} ${op.op === "CreateModel" ? op.model.label : ""}`),
    ).toEqual([
      "CreateModel mkshop.category",
      "CreateModel mkshop.product",
      "CreateModel mkshop.product_fans",
    ]);
    expect(await readdir(dirs.mkshop!)).toEqual(["0001_initial.ts"]);
    expect(shop.text).toContain('import { defineMigration, operations as ops } from "@x/models";');

    const applied = await migrate({ migrations: [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }] });
    expect(applied.applied).toEqual(["mkusers.0001_initial", "mkshop.0001_initial"]);
    expect(await columnsOf(db, "mk_product")).toEqual(["id", "name", "price", "category_id", "owner_id"]);
    expect(await tableExists(db, "mk_product_fans")).toBe(true);
    expect(await indexExists(db, "mk_product_price_desc")).toBe(true);

    // The ORM works on the migrated schema.
    const user = await User.objects.create({ username: "ann" });
    const cat = await Category.objects.create({ name: "Books", slug: "books" });
    const p = await Product.objects.create({ name: "Dune", price: "9.99", category: cat, owner: user });
    await p.related<typeof User>("fans").add(user);
    const again = await Product.objects.selectRelated("category").get({ fans__username: "ann" });
    expect(again.category.name).toBe("Books");
    expect(again.price).toBe("9.99");

    // The check constraint is in the migrated table.
    await expect(Product.objects.create({ name: "Bad", price: "-1.00", category: cat })).rejects.toThrow(
      IntegrityError,
    );
    expect(shop.text).toContain('"name": "mk_price_gte_0"');

    // Nothing changed: nothing to write.
    expect(await makeMigrations({ dirs, models: [User, Category, Product] })).toEqual([]);
  });

  it("detects changes, writes a reversible migration, and migrates both ways", async () => {
    await makeMigrations({ dirs, models: [User, Category, Product] });
    await migrate({ migrations: [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }] });
    await Category.objects.create({ name: "Books", slug: "books" });

    // The next version of the models: a new field with a default, a changed max_length, a removed field.
    const Category2 = defineModel("mkshop.Category", {
      fields: {
        name: CharField({ maxLength: 150 }),
        slug: SlugField({ unique: true, maxLength: 50 }),
        featured: BooleanField({ default: false }),
      },
      meta: { dbTable: "mk_category" },
    });
    const Product2 = defineModel("mkshop.Product", {
      fields: {
        name: CharField({ maxLength: 200, dbIndex: true }),
        price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
        category: ForeignKey(() => Category2, { onDelete: CASCADE, relatedName: "products" }),
        fans: ManyToManyField(() => User, { blank: true, relatedName: "liked" }),
      },
      meta: {
        dbTable: "mk_product",
        indexes: [{ fields: ["-price"], name: "mk_product_price_desc" }],
        uniqueTogether: [["category", "name"]],
      },
    });
    const preview = await makeMigrations({ dirs, models: [User, Category2, Product2], dryRun: true });
    // Too many operations for a descriptive name: Django's auto_<timestamp>.
    expect(preview[0]!.migration.name).toMatch(/^0002_auto_\d{8}_\d{4}$/);
    expect(await readdir(dirs.mkshop!)).toEqual(["0001_initial.ts"]); // dry run wrote nothing
    const written = await makeMigrations({
      dirs,
      models: [User, Category2, Product2],
      format: "json",
      name: "catalog",
    });
    expect(written).toHaveLength(1);
    const [second] = written;
    expect(second!.migration.name).toBe("0002_catalog");
    expect(second!.migration.dependencies).toEqual([["mkshop", "0001_initial"]]);
    expect(second!.migration.operations.map((op) => op.op)).toEqual([
      "RemoveConstraint",
      "RemoveField",
      "AlterField",
      "AddField",
    ]);
    expect(JSON.parse(await readFile(second!.path, "utf8")).operations[1]).toMatchObject({
      op: "RemoveField",
      model: "mkshop.product",
      name: "owner",
      field: { type: "ForeignKey", to: "mkusers.user", null: true },
    });

    const sources = [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }];
    await migrate({ migrations: sources });
    expect(await columnsOf(db, "mk_category")).toEqual(["id", "name", "slug", "featured"]);
    expect(await columnsOf(db, "mk_product")).not.toContain("owner_id");
    // The dropped check constraint no longer applies; migrating back restores it.
    await insertNegative(db);
    await db.execute('DELETE FROM "mk_product"');
    const featured = await db.execute('SELECT "featured" FROM "mk_category"');
    expect(featured.rows.map((r) => Boolean(r.featured))).toEqual([false]);

    const back = await migrate({ migrations: sources, target: ["mkshop", "0001_initial"] });
    expect(back.unapplied).toEqual(["mkshop.0002_catalog"]);
    expect(await columnsOf(db, "mk_category")).toEqual(["id", "name", "slug"]);
    expect(await columnsOf(db, "mk_product")).toContain("owner_id");
    await expect(insertNegative(db)).rejects.toThrow();
    expect(
      (await showMigrations({ migrations: sources })).map((e) => `${e.app}.${e.name}:${e.applied}`),
    ).toEqual(["mkshop.0001_initial:true", "mkshop.0002_catalog:false", "mkusers.0001_initial:true"]);
  });
});

describe("existing databases and warnings", () => {
  it("--fake-initial records initial migrations whose tables already exist", async () => {
    await createTables([User, Category, Product], db);
    await makeMigrations({ dirs, models: [User, Category, Product] });
    const lines: string[] = [];
    const result = await migrate({
      migrations: [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }],
      fakeInitial: true,
      log: (l) => lines.push(l),
    });
    expect(result.applied).toEqual(["mkusers.0001_initial", "mkshop.0001_initial"]);
    expect(lines).toEqual([
      "Applying mkusers.0001_initial... FAKED",
      "Applying mkshop.0001_initial... FAKED",
    ]);
    // Later migrations work on those tables: dropping the unique constraint createTables made inline.
    const Category5 = defineModel("mkshop.Category", {
      fields: { name: CharField({ maxLength: 100 }), slug: SlugField({ maxLength: 50 }) },
      meta: { dbTable: "mk_category" },
    });
    await makeMigrations({ dirs, models: [User, Category5, Product], name: "slug_not_unique" });
    await migrate({ migrations: [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }] });
    await Category5.objects.create({ name: "A", slug: "same" });
    await Category5.objects.create({ name: "B", slug: "same" });
    expect(await Category5.objects.filter({ slug: "same" }).count()).toBe(2);
  });

  it("warns when a non-nullable field is added without a default", async () => {
    await makeMigrations({ dirs, models: [User, Category, Product] });
    const Category3 = defineModel("mkshop.Category", {
      fields: {
        name: CharField({ maxLength: 100 }),
        slug: SlugField({ unique: true, maxLength: 50 }),
        code: CharField({ maxLength: 10 }),
      },
      meta: { dbTable: "mk_category" },
    });
    const [written] = await makeMigrations({ dirs, models: [User, Category3, Product], dryRun: true });
    // Like Django's questioner: no explicit default, so existing rows would have no value.
    expect(written!.warnings).toHaveLength(1);
    expect(written!.warnings[0]).toMatch(/^AddField mkshop\.category\.code: non-nullable without a default/);
    const Category4 = defineModel("mkshop.Category", {
      fields: {
        name: CharField({ maxLength: 100 }),
        slug: SlugField({ unique: true, maxLength: 50 }),
        rank: IntegerField(),
      },
      meta: { dbTable: "mk_category" },
    });
    const [second] = await makeMigrations({ dirs, models: [User, Category4, Product], dryRun: true });
    expect(second!.warnings).toEqual([
      'AddField mkshop.category.rank: non-nullable without a default — migrate fails if the table has rows (AddField) or nulls (AlterField); give the field a default or null: true, or edit "default" into the migration',
    ]);
  });
});

describe("branches", () => {
  it("--merge writes a migration joining two branches, after which migrate runs both", async () => {
    await makeMigrations({ dirs, models: [User, Category, Product] });
    const branch = (name: string, column: string) =>
      JSON.stringify({
        app: "mkshop",
        name,
        dependencies: [["mkshop", "0001_initial"]],
        operations: [
          {
            op: "AddField",
            model: "mkshop.category",
            name: column,
            field: {
              type: "IntegerField",
              storage: "integer",
              column,
              null: true,
              unique: false,
              primaryKey: false,
              dbIndex: false,
            },
          },
        ],
      });
    await writeFile(join(dirs.mkshop!, "0002_a.json"), branch("0002_a", "a"));
    await writeFile(join(dirs.mkshop!, "0002_b.json"), branch("0002_b", "b"));
    const sources = [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }];
    await expect(migrate({ migrations: sources })).rejects.toThrow(
      "Conflicting migrations in app 'mkshop': 0002_a, 0002_b",
    );
    const [merge] = await makeMigrations({
      dirs,
      models: [User, Category, Product],
      merge: true,
      format: "json",
    });
    expect(merge!.migration).toMatchObject({
      name: "0003_merge_0002_a_0002_b",
      dependencies: [
        ["mkshop", "0002_a"],
        ["mkshop", "0002_b"],
      ],
      operations: [],
    });
    const result = await migrate({ migrations: sources });
    expect(result.applied).toContain("mkshop.0003_merge_0002_a_0002_b");
    expect(await columnsOf(db, "mk_category")).toEqual(["id", "name", "slug", "a", "b"]);
  });
});

describe("runMigrationCommand", () => {
  it("runs makemigrations / migrate / showmigrations as manage.py does", async () => {
    const lines: string[] = [];
    const config = { dirs, models: [User, Category, Product], out: (l: string) => lines.push(l) };
    expect(await runMigrationCommand(["makemigrations", "--check"], config)).toBe(1);
    expect(await runMigrationCommand(["makemigrations", "mkusers"], config)).toBe(0);
    expect(lines).toContain("Migrations for 'mkusers':");
    expect(await runMigrationCommand(["makemigrations"], config)).toBe(0);
    expect(await runMigrationCommand(["makemigrations", "--check"], config)).toBe(0);
    lines.length = 0;
    expect(await runMigrationCommand(["migrate", "mkusers"], config)).toBe(0);
    expect(lines).toEqual(["Applying mkusers.0001_initial... OK"]);
    lines.length = 0;
    await runMigrationCommand(["showmigrations"], config);
    expect(lines).toEqual(["mkshop\n [ ] 0001_initial\nmkusers\n [X] 0001_initial"]);
    lines.length = 0;
    await runMigrationCommand(["migrate"], config);
    await runMigrationCommand(["migrate", "mkusers", "zero"], config);
    expect(lines).toEqual([
      "Applying mkshop.0001_initial... OK",
      "Unapplying mkshop.0001_initial... OK",
      "Unapplying mkusers.0001_initial... OK",
    ]);
    await expect(runMigrationCommand(["migrat"], config)).rejects.toThrow("Unknown command 'migrat'");
  });
});
