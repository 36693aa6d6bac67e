import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BooleanField,
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DateField,
  DateTimeField,
  DecimalField,
  DurationField,
  defineModel,
  dumpData,
  FixtureError,
  ForeignKey,
  IntegerField,
  JSONField,
  loadData,
  ManyToManyField,
  postSave,
  preSave,
  SET_NULL,
  SlugField,
  type TestDatabase,
} from "../src/index.js";

const Permission = defineModel("fxauth.Permission", {
  fields: {
    codename: CharField({ maxLength: 100 }),
    app_label: CharField({ maxLength: 100 }),
    model: CharField({ maxLength: 100 }),
  },
  meta: { uniqueTogether: [["codename", "app_label", "model"]] },
  querySet: {
    // Django's natural-key hook: the manager resolves [codename, app_label, model].
    getByNaturalKey(codename: string, appLabel: string, model: string) {
      return this.get({ codename, app_label: appLabel, model });
    },
  },
  methods: {
    naturalKey() {
      return [this.codename, this.app_label, this.model];
    },
  },
});

const Group = defineModel("fxauth.Group", {
  fields: {
    name: CharField({ maxLength: 150, unique: true }),
    permissions: ManyToManyField(() => Permission, { blank: true }),
  },
});

const Category = defineModel("fxshop.Category", {
  fields: {
    name: CharField({ maxLength: 50 }),
    slug: SlugField({ unique: true, maxLength: 50 }),
    parent: ForeignKey("self", { onDelete: SET_NULL, null: true }),
  },
});

const Product = defineModel("fxshop.Product", {
  fields: {
    name: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
    category: ForeignKey(() => Category, { onDelete: CASCADE, relatedName: "products" }),
    stock: IntegerField({ default: 0 }),
    is_active: BooleanField({ default: true }),
    metadata: JSONField({ default: () => ({}) }),
    released: DateField({ null: true }),
    warranty: DurationField({ null: true }),
    created_at: DateTimeField({ autoNowAdd: true }),
    favorited_by: ManyToManyField(() => Group, { blank: true, relatedName: "favorites" }),
  },
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Permission, Group, Category, Product] });
});
beforeEach(async () => {
  await tdb.reset();
});
afterAll(async () => {
  await tdb.close();
});

const permissions = [
  {
    model: "fxauth.permission",
    pk: 1,
    fields: { codename: "add_product", app_label: "fxshop", model: "product" },
  },
  {
    model: "fxauth.permission",
    pk: 2,
    fields: { codename: "view_product", app_label: "fxshop", model: "product" },
  },
];

const shop = [
  ...permissions,
  {
    model: "fxauth.group",
    pk: 1,
    fields: {
      name: "Managers",
      permissions: [
        ["add_product", "fxshop", "product"],
        ["view_product", "fxshop", "product"],
      ],
    },
  },
  // A child before its parent: references are checked for the whole fixture, not row by row.
  { model: "fxshop.category", pk: 2, fields: { name: "Phones", slug: "phones", parent: 1 } },
  { model: "fxshop.category", pk: 1, fields: { name: "Electronics", slug: "electronics", parent: null } },
  {
    model: "fxshop.product",
    pk: 10,
    fields: {
      name: "Phone",
      price: "199.90",
      category: 2,
      stock: 3,
      is_active: true,
      metadata: { color: "black", sizes: [1, 2] },
      released: "2026-01-15",
      warranty: "P365DT00H00M00S",
      created_at: "2026-01-01T10:00:00Z",
      favorited_by: [1],
    },
  },
  {
    model: "fxshop.product",
    pk: 11,
    fields: { name: "Case", price: "0.10", category: 2, created_at: "2026-01-02T10:00:00.250Z" },
  },
];

describe("loadData", () => {
  it("installs objects with FKs, M2M lists, natural keys, dates, decimals and JSON", async () => {
    const result = await loadData(shop);
    expect(result).toEqual({
      objectCount: 7,
      fixtureCount: 1,
      models: ["fxauth.Permission", "fxauth.Group", "fxshop.Category", "fxshop.Product"],
    });
    const phone = await Product.objects.get({ pk: 10 });
    expect(phone.price).toBe("199.90");
    expect(phone.category_id).toBe(2);
    expect(phone.metadata).toEqual({ color: "black", sizes: [1, 2] });
    expect(phone.released).toBe("2026-01-15");
    expect(phone.warranty).toBe(365 * 86_400_000);
    expect(phone.created_at).toEqual(new Date("2026-01-01T10:00:00Z"));
    const kase = await Product.objects.get({ pk: 11 });
    expect(kase.stock).toBe(0); // missing field: the model default
    expect(kase.is_active).toBe(true);
    expect(kase.price).toBe("0.10");
    const managers = await Group.objects.get({ name: "Managers" });
    const codenames = await Permission.objects
      .filter({ group__id: managers.id })
      .orderBy("codename")
      .valuesList("codename", { flat: true });
    expect(codenames).toEqual(["add_product", "view_product"]);
    expect(await Product.objects.filter({ favorited_by__name: "Managers" }).count()).toBe(1);
    expect((await Category.objects.get({ pk: 2 })).parent_id).toBe(1);
  });

  it("reads fixture files and several fixtures at once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "x-fixtures-"));
    try {
      const first = join(dir, "perms.json");
      await writeFile(first, JSON.stringify(permissions));
      const result = await loadData([first, shop.slice(2)]);
      expect(result.fixtureCount).toBe(2);
      expect(result.objectCount).toBe(7);
      expect(await Product.objects.count()).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("upserts by pk: loading again updates rows instead of duplicating them", async () => {
    await loadData(shop);
    const changed = shop.map((o) =>
      o.pk === 11 && o.model === "fxshop.product" ? { ...o, fields: { ...o.fields, name: "Case v2" } } : o,
    );
    await loadData(changed);
    expect(await Product.objects.count()).toBe(2);
    expect((await Product.objects.get({ pk: 11 })).name).toBe("Case v2");
    expect(await Group.objects.count()).toBe(1);
  });

  it("resets sequences so the next insert gets max(pk) + 1", async () => {
    await loadData(shop);
    const made = await Category.objects.create({ name: "Books", slug: "books" });
    expect(made.id).toBe(3);
    const product = await Product.objects.create({ name: "New", price: "1.00", category_id: 1 });
    expect(product.id).toBe(12);
  });

  it("assigns pks to objects without one", async () => {
    await loadData([{ model: "fxshop.category", fields: { name: "Auto", slug: "auto" } }]);
    const rows = await Category.objects.all();
    expect(rows.map((c) => c.slug)).toEqual(["auto"]);
    expect(typeof rows[0]!.id).toBe("number");
  });

  it("sends pre_save/post_save with raw: true and created", async () => {
    const seen: string[] = [];
    const offPre = preSave.connect(({ instance, raw }) => void seen.push(`pre ${instance.slug} raw=${raw}`), {
      sender: Category,
    });
    const offPost = postSave.connect(
      ({ instance, raw, created }) => void seen.push(`post ${instance.slug} raw=${raw} created=${created}`),
      { sender: Category },
    );
    try {
      await loadData([{ model: "fxshop.category", pk: 1, fields: { name: "E", slug: "e" } }]);
      await loadData([{ model: "fxshop.category", pk: 1, fields: { name: "E2", slug: "e" } }]);
    } finally {
      offPre();
      offPost();
    }
    expect(seen).toEqual([
      "pre e raw=true",
      "post e raw=true created=true",
      "pre e raw=true",
      "post e raw=true created=false",
    ]);
  });

  it("runs a constant number of queries per model, not per row", async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      model: "fxshop.category",
      pk: i + 1,
      fields: { name: `C${i}`, slug: `c${i}`, parent: i === 0 ? null : 1 },
    }));
    const { queries } = await captureQueries(() => loadData(many));
    expect(queries.length).toBeLessThanOrEqual(8);
    expect(await Category.objects.count()).toBe(50);
  });
});

describe("loadData: a bad fixture loads nothing and names the row", () => {
  async function expectFailure(objects: unknown[], message: string | RegExp): Promise<FixtureError> {
    const error = await loadData(objects as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureError);
    expect((error as FixtureError).message).toMatch(message);
    expect(await Category.objects.count()).toBe(0);
    expect(await Permission.objects.count()).toBe(0);
    return error as FixtureError;
  }

  const ok = { model: "fxshop.category", pk: 1, fields: { name: "E", slug: "e" } };

  it("unknown model", async () => {
    const error = await expectFailure(
      [ok, { model: "fxshop.nope", pk: 3, fields: {} }],
      "object at index 1 (fxshop.nope pk=3): unknown model 'fxshop.nope'",
    );
    expect(error.index).toBe(1);
    expect(error.model).toBe("fxshop.nope");
    expect(error.pk).toBe(3);
  });

  it("unknown field, with the valid ones listed", async () => {
    await expectFailure(
      [ok, { model: "fxshop.category", pk: 2, fields: { name: "x", slug: "x", colour: "red" } }],
      "Problem installing fixture '<objects #0>': object at index 1 (fxshop.category pk=2): fxshop.Category has no field named 'colour' (fields: id, name, slug, parent)",
    );
  });

  it("broken foreign key and many-to-many references", async () => {
    await expectFailure(
      [ok, { model: "fxshop.category", pk: 2, fields: { name: "x", slug: "x", parent: 99 } }],
      "object at index 1 (fxshop.category pk=2): field 'parent' references fxshop.Category with pk=99, which does not exist",
    );
    await expectFailure(
      [...permissions, { model: "fxauth.group", pk: 1, fields: { name: "G", permissions: [1, 7] } }],
      "object at index 2 (fxauth.group pk=1): field 'permissions' references fxauth.Permission with pk=7, which does not exist",
    );
  });

  it("unknown natural key", async () => {
    await expectFailure(
      [
        ...permissions,
        {
          model: "fxauth.group",
          pk: 1,
          fields: { name: "G", permissions: [["delete_product", "fxshop", "product"]] },
        },
      ],
      'object at index 2 (fxauth.group pk=1): field \'permissions\' references fxauth.Permission with natural key ["delete_product","fxshop","product"], which does not exist',
    );
  });

  it("missing required field and invalid values", async () => {
    await expectFailure(
      [{ model: "fxshop.category", pk: 1, fields: { slug: "e", name: null } }],
      "field 'name' cannot be null",
    );
    await expectFailure(
      [ok, { model: "fxshop.product", pk: 1, fields: { name: "P", category: 1 } }],
      "object at index 1 (fxshop.product pk=1): required field 'price' is missing and has no default",
    );
    await expectFailure(
      [ok, { model: "fxshop.product", pk: 1, fields: { name: "P", category: 1, price: "12.345" } }],
      "field 'price': Ensure that there are no more than 2 decimal places.",
    );
    await expectFailure(
      [
        ok,
        {
          model: "fxshop.product",
          pk: 1,
          fields: { name: "P", category: 1, price: "1.00", created_at: "yesterday" },
        },
      ],
      "field 'created_at' expects an ISO 8601 datetime",
    );
    await expectFailure(
      [{ model: "fxshop.category", pk: "x", fields: { slug: "e", name: "n" } }],
      "invalid pk",
    );
    await expectFailure([{ pk: 1, fields: {} }], "object at index 0 (? pk=1)");
  });

  it("a constraint violation rolls everything back", async () => {
    const dup = [ok, { model: "fxshop.category", pk: 2, fields: { name: "x", slug: "e" } }];
    await expect(loadData(dup)).rejects.toThrow();
    expect(await Category.objects.count()).toBe(0);
  });

  it("bad files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "x-fixtures-"));
    try {
      await writeFile(join(dir, "broken.json"), "[{");
      await expect(loadData(join(dir, "broken.json"))).rejects.toThrow(
        "Problem installing fixture 'broken.json': invalid JSON",
      );
      await writeFile(join(dir, "object.json"), "{}");
      await expect(loadData(join(dir, "object.json"))).rejects.toThrow(
        "the top level must be a list of objects",
      );
      await expect(loadData(join(dir, "missing.json"))).rejects.toThrow("Cannot read fixture");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("dumpData", () => {
  it("writes Django's format and round-trips through loadData", async () => {
    await loadData(shop);
    const dumped = await dumpData(["fxshop", "fxauth"]);
    expect(dumped.map((o) => `${o.model}:${o.pk}`)).toEqual([
      "fxauth.permission:1",
      "fxauth.permission:2",
      "fxauth.group:1",
      "fxshop.category:1",
      "fxshop.category:2",
      "fxshop.product:10",
      "fxshop.product:11",
    ]);
    const phone = dumped.find((o) => o.model === "fxshop.product" && o.pk === 10)!;
    expect(phone.fields).toEqual({
      name: "Phone",
      price: "199.90",
      category: 2,
      stock: 3,
      is_active: true,
      metadata: { color: "black", sizes: [1, 2] },
      released: "2026-01-15",
      warranty: "P365DT00H00M00S",
      created_at: "2026-01-01T10:00:00Z",
      favorited_by: [1],
    });
    expect(dumped.find((o) => o.pk === 11 && o.model === "fxshop.product")!.fields.created_at).toBe(
      "2026-01-02T10:00:00.250Z",
    );
    expect(dumped.find((o) => o.model === "fxauth.group")!.fields.permissions).toEqual([1, 2]);

    await tdb.reset();
    await loadData(dumped);
    expect(await dumpData(["fxshop", "fxauth"])).toEqual(dumped);
  });

  it("selects by app or model label, excludes, uses natural keys, and writes a file", async () => {
    await loadData(shop);
    expect((await dumpData(["fxshop.Category"])).map((o) => o.pk)).toEqual([1, 2]);
    expect(
      (await dumpData(["fxshop"], { exclude: ["fxshop.product"] })).every(
        (o) => o.model === "fxshop.category",
      ),
    ).toBe(true);
    const natural = await dumpData(["fxauth.group"], { useNaturalForeignKeys: true });
    expect(natural[0]!.fields.permissions).toEqual([
      ["add_product", "fxshop", "product"],
      ["view_product", "fxshop", "product"],
    ]);
    await expect(dumpData(["nope"])).rejects.toThrow("Unknown app or model label 'nope'");
    const dir = await mkdtemp(join(tmpdir(), "x-fixtures-"));
    try {
      const output = join(dir, "out.json");
      await dumpData(["fxshop.category"], { output, indent: 1 });
      expect(JSON.parse(await readFile(output, "utf8"))).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs one query per model plus one per many-to-many field", async () => {
    await loadData(shop);
    const { queries } = await captureQueries(() => dumpData(["fxshop"]));
    expect(queries).toHaveLength(3);
  });
});
