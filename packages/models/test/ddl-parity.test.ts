// Test databases (createTables) and production databases (makeMigrations + migrate) must hold the
// same schema: the same tables, columns, types, nullability, defaults, indexes and constraint names.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AnyModel,
  ArrayField,
  BigAutoField,
  BigIntegerField,
  BooleanField,
  CASCADE,
  CharField,
  columnSql,
  columnType,
  createModelSql,
  createTables,
  DateField,
  DateTimeField,
  DecimalField,
  DurationField,
  defineChild,
  defineModel,
  EmailField,
  FileField,
  FloatField,
  ForeignKey,
  ImageField,
  IntegerField,
  JSONField,
  ManyToManyField,
  makeMigrations,
  migrate,
  OneToOneField,
  PositiveBigIntegerField,
  PositiveIntegerField,
  PositiveSmallIntegerField,
  SET_NULL,
  SlugField,
  SmallAutoField,
  SmallIntegerField,
  TextField,
  TimeField,
  URLField,
  UUIDField,
} from "../src/index.js";
import { openDatabase } from "./migrations-db.js";
import { introspect } from "./support/introspect.js";
import { allModels, Product } from "./support/shop.js";

// Multi-table inheritance: the child's table holds its own fields and the link to the parent.
const DigitalProduct = defineChild("shop.DigitalProduct", Product, {
  fields: { download_url: URLField({ maxLength: 300 }) },
});
const handbookModels = [...allModels, DigitalProduct];

// Every field type and table option, with names long enough to be shortened.
const Owner = defineModel("ddlall.Owner", {
  fields: {
    id: SmallAutoField({ primaryKey: true }),
    name: CharField({ maxLength: 50, unique: true }),
    // closes a cycle with Item: migrations add it after both tables exist
    favourite: ForeignKey("ddlall.Item", { onDelete: SET_NULL, null: true, relatedName: "favourite_of" }),
  },
});

const Keyed = defineModel("ddlall.Keyed", {
  fields: {
    key: UUIDField({ primaryKey: true, default: () => crypto.randomUUID() }),
    label: CharField({ maxLength: 10, dbIndex: true }),
  },
  meta: { dbTable: "ddl_keyed" },
});

const Tag = defineModel("ddlall.Tag", {
  fields: { label: SlugField({ maxLength: 30, unique: true }) },
});

const Item = defineModel("ddlall.Item", {
  fields: {
    id: BigAutoField({ primaryKey: true }),
    name: CharField({ maxLength: 100 }),
    body: TextField({ blank: true, default: "" }),
    slug: SlugField({ maxLength: 40 }),
    email: EmailField({ blank: true }),
    site: URLField({ null: true }),
    token: UUIDField({ default: () => crypto.randomUUID() }),
    count: IntegerField({ default: 0 }),
    big: BigIntegerField({ null: true }),
    small: SmallIntegerField({ default: 1 }),
    positive: PositiveIntegerField({ default: 0 }),
    positive_small: PositiveSmallIntegerField({ null: true }),
    positive_big: PositiveBigIntegerField({ null: true }),
    ratio: FloatField({ null: true }),
    price: DecimalField({ maxDigits: 12, decimalPlaces: 3, default: "0.000" }),
    flag: BooleanField({ default: false }),
    maybe: BooleanField({ null: true }),
    day: DateField({ null: true }),
    at: DateTimeField({ autoNowAdd: true }),
    clock: TimeField({ null: true }),
    span: DurationField({ null: true }),
    data: JSONField({ default: () => ({}) }),
    numbers: ArrayField(IntegerField(), { default: () => [] as number[] }),
    words: ArrayField(CharField({ maxLength: 20 }), { null: true }),
    attachment: FileField({ uploadTo: "files/", blank: true }),
    picture: ImageField({ uploadTo: "pictures/%Y/", blank: true, null: true }),
    owner: ForeignKey(() => Owner, { onDelete: CASCADE, dbColumn: "owner_ref", relatedName: "items" }),
    parent: ForeignKey("self", { onDelete: CASCADE, null: true, relatedName: "children" }),
    keyed: ForeignKey(() => Keyed, { onDelete: CASCADE, null: true, relatedName: "items" }),
    twin: OneToOneField(() => Keyed, { onDelete: CASCADE, null: true, relatedName: "twin_item" }),
    tags: ManyToManyField(() => Tag, { blank: true, relatedName: "items" }),
    a_rather_long_column_name_to_push_identifiers: CharField({ maxLength: 10, dbColumn: "long_col_x" }),
  },
  meta: {
    dbTable: "ddl_items_with_a_table_name_long_enough_to_need_hashing",
    uniqueTogether: [["owner", "slug"]],
    constraints: [
      { kind: "unique", fields: ["name", "keyed"], name: "ddl_item_name_keyed_uniq" },
      { kind: "check", check: { count__gte: 0 }, name: "ddl_item_count_gte_0" },
      { kind: "check", check: { price__lte: "1000.000" }, name: "ddl_item_price_lte" },
    ],
    indexes: [
      { fields: ["name"] },
      // same columns as the automatic index of a foreign key
      { fields: ["owner"] },
      { fields: ["-at", "id"] },
      { fields: ["slug", "a_rather_long_column_name_to_push_identifiers", "email", "site"] },
      { fields: ["count"], name: "ddl_item_count_named" },
    ],
  },
});

const everyOption = [Owner, Keyed, Tag, Item];

async function viaCreateTables(models: readonly AnyModel[]) {
  const { db, close } = await openDatabase();
  try {
    await createTables(models, db);
    return await introspect(db);
  } finally {
    await close();
  }
}

async function viaMigrations(models: readonly AnyModel[]) {
  const apps = [...new Set(models.map((m) => m.meta.appLabel))];
  const root = await mkdtemp(join(tmpdir(), "ddl-parity-"));
  const { db, close } = await openDatabase();
  try {
    const dirs = Object.fromEntries(apps.map((app) => [app, join(root, app)]));
    await makeMigrations({ dirs, models, format: "json" });
    await migrate({ migrations: apps.map((app) => ({ dir: dirs[app]! })), database: db });
    return await introspect(db);
  } finally {
    await close();
    await rm(root, { recursive: true, force: true });
  }
}

describe("createTables builds the schema migrations build", () => {
  it("for the handbook models (FKs, self FK, one-to-one, M2M with and without through, indexes, a multi-table child)", async () => {
    const created = await viaCreateTables(handbookModels);
    const migrated = await viaMigrations(handbookModels);
    expect(Object.keys(created).length).toBeGreaterThan(10);
    expect(created).toEqual(migrated);
  });

  it("for every field type, unique_together, UniqueConstraint, CheckConstraint, Meta.indexes, db_column, db_table", async () => {
    const created = await viaCreateTables(everyOption);
    const migrated = await viaMigrations(everyOption);
    expect(Object.keys(created).sort()).toEqual([
      "ddl_items_with_a_table_name_long_enough_to_need_hashing",
      "ddl_items_with_a_table_name_long_enough_to_need_hashing_tags",
      "ddl_keyed",
      "ddlall_owner",
      "ddlall_tag",
    ]);
    expect(created).toEqual(migrated);
  });
});

describe("the DDL helpers render what createTables runs", () => {
  it("createModelSql, columnSql and columnType (the README's example)", () => {
    expect(columnSql(Product.meta.getField("name"), "sqlite")).toBe(
      '"name" text NOT NULL CHECK (length("name") <= 200)',
    );
    expect(columnSql(Product.meta.getField("name"), "postgresql")).toBe('"name" varchar(200) NOT NULL');
    expect(columnType(Product.meta.getField("price"), "postgresql")).toBe("numeric(10, 2)");
    expect(columnType(Product.meta.getField("category"), "postgresql")).toBe("integer");
    const pg = createModelSql(Product.meta, "postgresql");
    expect(pg.table[0]).toContain('CONSTRAINT "products_slug_uniq" UNIQUE ("slug")');
    expect(pg.table[0]).not.toContain("FOREIGN KEY");
    expect(pg.foreignKeys).toEqual([
      'ALTER TABLE "products" ADD CONSTRAINT "products_category_id_fk" FOREIGN KEY ("category_id") REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED',
    ]);
    expect(pg.table.slice(1)).toEqual([
      'CREATE INDEX "products_name_idx" ON "products" ("name")',
      'CREATE INDEX "products_category_id_idx" ON "products" ("category_id")',
      'CREATE INDEX "products_name_b06893_idx" ON "products" ("name")',
      'CREATE INDEX "products_created_at_idx" ON "products" ("created_at" DESC)',
    ]);
    const lite = createModelSql(Product.meta, "sqlite");
    expect(lite.table[0]).toContain(
      'CONSTRAINT "products_category_id_fk" FOREIGN KEY ("category_id") REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED',
    );
    expect(lite.foreignKeys).toEqual([]);
  });
});
