// A QuerySet's SQL is compiled once per shape and reused with new parameters: the same query
// with other values must give the same SQL text, the new values' rows, and the same errors.
import { describe, expect, it } from "vitest";
import { Count, captureQueries, F, FieldError, Q, ValidationError, Value } from "../src/index.js";
import { initialState } from "../src/query/state.js";
import { shapeOf } from "../src/query/template.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Category, Product } from "./support/shop.js";

useTestDatabase(allModels);
const pg = process.env.TEST_DB === "postgres";

async function products() {
  const phones = await Category.objects.create({ name: "Phones" });
  const books = await Category.objects.create({ name: "Books" });
  await Product.objects.bulkCreate([
    new Product({
      name: "École Phone",
      slug: "ecole",
      price: "199.99",
      cost: "150.00",
      stock: 5,
      category: phones,
    }),
    new Product({
      name: "ÉCOLE Case",
      slug: "case",
      price: "9.50",
      stock: 0,
      category: phones,
      tags: ["fr"],
    }),
    new Product({
      name: "Big Book",
      slug: "big-book",
      price: "100.00",
      stock: 2,
      category: books,
      metadata: { pages: 300, lang: "en" },
    }),
    new Product({ name: "small book", slug: "small-book", price: "-0.05", stock: 7, category: null }),
  ]);
  return { phones, books };
}

const sorted = (xs: string[]) => [...xs].sort();
const names = (rows: { name: string }[]) => sorted(rows.map((r) => r.name));

/** Runs each query; returns their names and the one statement each ran. */
async function run(queries: (() => PromiseLike<{ name: string }[]>)[]) {
  const out: { names: string[]; sql: string; params: readonly unknown[] }[] = [];
  for (const q of queries) {
    const { result, queries: ran } = await captureQueries(q);
    expect(ran).toHaveLength(1);
    out.push({ names: names(result), sql: ran[0]!.sql, params: ran[0]!.params });
  }
  return out;
}

describe("one compiled statement per shape", () => {
  it("the same filters with other values: same SQL, the new values' parameters and rows", async () => {
    const { phones, books } = await products();
    const [a, b, c] = await run([
      () => Product.objects.filter({ stock__gt: 1, category: phones }).orderBy("name"),
      () => Product.objects.filter({ stock__gt: 1, category: books }).orderBy("name"),
      () => Product.objects.filter({ stock__gt: -1, category: phones.pk }).orderBy("name"),
    ]);
    expect(a!.names).toEqual(sorted(["École Phone"]));
    expect(b!.names).toEqual(sorted(["Big Book"]));
    expect(c!.names).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(b!.sql).toBe(a!.sql);
    expect(c!.sql).toBe(a!.sql);
    expect(a!.params).toEqual([1, phones.pk]);
    expect(b!.params).toEqual([1, books.pk]);
    expect(c!.params).toEqual([-1, phones.pk]);
  });

  it("toSql() shows one statement for two QuerySets of one shape (the README's example)", () => {
    const a = Product.objects.filter({ category: 1, stock__gt: 0 }).orderBy("name").toSql();
    const b = Product.objects.filter({ category: 2, stock__gt: 5 }).orderBy("name").toSql();
    expect(b.sql).toBe(a.sql);
    expect(a.params).toEqual([1, 0]);
    expect(b.params).toEqual([2, 5]);
    const none = Product.objects.filter({ category: null }).toSql();
    expect(none.sql).toMatch(/"category_id" IS NULL/);
    expect(none.params).toEqual([]);
  });

  it("values that change the SQL get their own statement: NULL, isnull, list lengths, NULLs in a list", async () => {
    const { phones, books } = await products();
    const [isNull, isPhones, isnullT, isnullF] = await run([
      () => Product.objects.filter({ category: null }),
      () => Product.objects.filter({ category: phones }),
      () => Product.objects.filter({ category__isnull: true }),
      () => Product.objects.filter({ category__isnull: false }),
    ]);
    expect(isNull!.names).toEqual(sorted(["small book"]));
    expect(isNull!.sql).toContain("IS NULL");
    expect(isPhones!.names).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(isnullT!.names).toEqual(sorted(["small book"]));
    expect(isnullF!.names).toEqual(sorted(["Big Book", "École Phone", "ÉCOLE Case"]));

    const [one, two, withNull, set, none] = await run([
      () => Product.objects.filter({ category__in: [books.pk] }),
      () => Product.objects.filter({ category__in: [books.pk, phones.pk] }),
      () => Product.objects.filter({ category__in: [null, phones.pk] }),
      () => Product.objects.filter({ category__in: new Set([books]) }),
      () => Product.objects.filter({ category__in: [null] }),
    ]);
    expect(one!.names).toEqual(sorted(["Big Book"]));
    expect(two!.names).toEqual(sorted(["Big Book", "École Phone", "ÉCOLE Case"]));
    expect(withNull!.names).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(withNull!.params).toEqual([phones.pk]);
    expect(set!.names).toEqual(sorted(["Big Book"]));
    expect(none!.names).toEqual(sorted([]));
    expect(two!.sql).not.toBe(one!.sql);
    // a list longer than a shape takes (100 items) is compiled each time, with the same result
    const many = (extra: number) => [...Array.from({ length: 150 }, (_, i) => 10_000 + i), extra];
    expect(names(await Product.objects.filter({ category__in: many(books.pk) }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ category__in: many(phones.pk) }))).toEqual(
      sorted(["École Phone", "ÉCOLE Case"]),
    );
  });

  it("a boolean is written into SQLite's SQL (a statement per value: it stays prepared), bound on PostgreSQL", async () => {
    await products();
    await Product.objects.filter({ slug: "case" }).update({ is_deleted: true });
    const [live, deleted, liveAgain] = await run([
      () => Product.objects.filter({ is_deleted: false }),
      () => Product.objects.filter({ is_deleted: true }),
      () => Product.objects.filter({ is_deleted: false }),
    ]);
    expect(live!.names).toEqual(["Big Book", "small book", "École Phone"]);
    expect(deleted!.names).toEqual(["ÉCOLE Case"]);
    expect(liveAgain).toEqual(live);
    if (pg) {
      expect(deleted!.sql).toBe(live!.sql);
      expect(live!.params).toEqual([false]);
    } else {
      // SQLite re-prepares a statement whose bound value could change its plan (an indexed
      // column once ANALYZE sampled it): a literal keeps it prepared
      expect(live!.sql).toContain('"is_deleted" = 0');
      expect(deleted!.sql).toContain('"is_deleted" = 1');
      expect(live!.params).toEqual([]);
    }
    // negated, in a Q tree, with another value bound beside it
    const rows = await Product.objects
      .filter(Q({ is_deleted: true }).or(Q({ stock: 7 })))
      .exclude({ is_deleted: false, stock: 2 });
    expect(names(rows)).toEqual(["small book", "ÉCOLE Case"]);
  });

  it("text, range, JSON key and F() filters bind their new values", async () => {
    await products();
    const [ecole, book, endsE, endsK] = await run([
      () => Product.objects.filter({ name__icontains: "école" }),
      () => Product.objects.filter({ name__icontains: "BOOK" }),
      () => Product.objects.filter({ name__iendswith: "E" }),
      () => Product.objects.filter({ name__iendswith: "K" }),
    ]);
    expect(ecole!.names).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(book!.names).toEqual(sorted(["Big Book", "small book"]));
    expect(book!.sql).toBe(ecole!.sql);
    expect(endsE!.names).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(endsK!.names).toEqual(sorted(["Big Book", "small book"]));

    const [low, high, pages, lang, margin] = await run([
      () => Product.objects.filter({ price__range: ["-1.00", "10.00"] }),
      () => Product.objects.filter({ price__range: ["99.99", "200"] }),
      () => Product.objects.filter({ metadata__pages: 300 }),
      () => Product.objects.filter({ metadata__lang: "en" }),
      () => Product.objects.filter({ price__gt: F("cost").add(Value("40.00")) }),
    ]);
    expect(low!.names).toEqual(sorted(["small book", "ÉCOLE Case"]));
    expect(high!.names).toEqual(sorted(["Big Book", "École Phone"]));
    expect(high!.sql).toBe(low!.sql);
    expect(pages!.names).toEqual(sorted(["Big Book"]));
    expect(lang!.names).toEqual(sorted(["Big Book"]));
    expect(margin!.names).toEqual(sorted(["Big Book", "École Phone"]));
    const [tighter] = await run([() => Product.objects.filter({ price__gt: F("cost").add(Value("50.00")) })]);
    expect(tighter!.names).toEqual(["Big Book"]);
  });

  it("Q trees, exclude() and one filter dict used twice", async () => {
    await products();
    const inStock = { stock__gt: 0 };
    const [nothing, either, either2] = await run([
      () => Product.objects.filter(inStock).exclude(inStock),
      () => Product.objects.filter(Q({ stock: 0 }).or(Q({ name__startswith: "Big" }))),
      () => Product.objects.filter(Q({ stock: 7 }).or(Q({ name__startswith: "É" }))),
    ]);
    expect(nothing!.names).toEqual(sorted([]));
    expect(either!.names).toEqual(sorted(["Big Book", "ÉCOLE Case"]));
    expect(either2!.names).toEqual(sorted(["École Phone", "ÉCOLE Case", "small book"]));
    expect(either2!.sql).toBe(either!.sql);
  });

  it("count(), exists(), get() and annotations reuse their statements with new values", async () => {
    const { phones, books } = await products();
    expect(await Product.objects.filter({ category: phones }).count()).toBe(2);
    expect(await Product.objects.filter({ category: books }).count()).toBe(1);
    expect(await Product.objects.filter({ stock__gte: 2 }).slice(0, 2).count()).toBe(2);
    expect(await Product.objects.filter({ stock__gte: 6 }).slice(0, 2).count()).toBe(1);
    expect(await Product.objects.filter({ name: "Big Book" }).exists()).toBe(true);
    expect(await Product.objects.filter({ name: "Nope" }).exists()).toBe(false);
    expect((await Product.objects.get({ slug: "case" })).name).toBe("ÉCOLE Case");
    expect((await Product.objects.get({ slug: "ecole" })).name).toBe("École Phone");
    const counts = async (min: number) =>
      (
        await Category.objects
          .annotate({ n: Count("products") })
          .filter({ n__gte: min })
          .orderBy("name")
      ).map((c) => [c.name, c.n]);
    expect(await counts(1)).toEqual([
      ["Books", 1],
      ["Phones", 2],
    ]);
    expect(await counts(2)).toEqual([["Phones", 2]]);
  });

  it("a bad value is the same error whether its statement was compiled before or not", async () => {
    await products();
    for (let i = 0; i < 2; i++) {
      await expect(Product.objects.filter({ stock: "many" as never })).rejects.toThrow(ValidationError);
      expect(await Product.objects.filter({ stock: 5 })).toHaveLength(1);
      await expect(Product.objects.filter({ name__icontains: { a: 1 } as never })).rejects.toThrow(
        FieldError,
      );
      await expect(Product.objects.filter({ stock__in: "5" as never })).rejects.toThrow(FieldError);
      await expect(Product.objects.filter({ stock__in: [5, "x" as never] })).rejects.toThrow(ValidationError);
    }
  });

  it("an integer past int4 matches nothing, before and after the same filter with a small value", async () => {
    await products();
    for (const stock of [5, 3_000_000_000, 5, -3_000_000_000, 7]) {
      const rows = await Product.objects.filter({ stock });
      expect(rows.map((r) => r.stock)).toEqual(stock === 5 || stock === 7 ? [stock] : []);
    }
    if (pg) {
      const { queries } = await captureQueries(() => Product.objects.filter({ stock: 3_000_000_000 }));
      expect(queries[0]!.sql).toContain("AS bigint");
    }
  });

  it("subqueries are compiled each time with their own values", async () => {
    const { phones, books } = await products();
    const inCategory = (c: number) =>
      Product.objects.filter({ pk__in: Product.objects.filter({ category: c }).values("pk") });
    expect(names(await inCategory(phones.pk))).toEqual(sorted(["École Phone", "ÉCOLE Case"]));
    expect(names(await inCategory(books.pk))).toEqual(sorted(["Big Book"]));
  });

  it("rows decode the same: decimals (negative, below one), booleans, JSON, arrays, related rows", async () => {
    await products();
    const rows = await Product.objects.selectRelated("category").orderBy("slug");
    expect(
      rows.map((r) => [r.slug, r.price, r.cost, r.is_deleted, r.tags, r.category?.name ?? null]),
    ).toEqual([
      ["big-book", "100.00", "0.00", false, [], "Books"],
      ["case", "9.50", "0.00", false, ["fr"], "Phones"],
      ["ecole", "199.99", "150.00", false, [], "Phones"],
      ["small-book", "-0.05", "0.00", false, [], null],
    ]);
    expect(rows[0]!.metadata).toEqual({ pages: 300, lang: "en" });
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
    expect(await Product.objects.orderBy("price").valuesList("price", { flat: true })).toEqual([
      "-0.05",
      "9.50",
      "100.00",
      "199.99",
    ]);
    expect(await Product.objects.filter({ slug: "case" }).valuesList("slug", "stock")).toEqual([["case", 0]]);
    expect(await Product.objects.filter({ slug: "case" }).values("slug", "category__name")).toEqual([
      { slug: "case", category__name: "Phones" },
    ]);
  });

  it("update() reuses its statement with new values, across joins and with F() expressions", async () => {
    const { phones, books } = await products();
    const first = await captureQueries(() =>
      Product.objects.filter({ category: phones }).update({ stock: 10, metadata: { a: 1 } }),
    );
    const second = await captureQueries(() =>
      Product.objects.filter({ category: books }).update({ stock: 20, metadata: { b: 2 } }),
    );
    expect(first.result).toBe(2);
    expect(second.result).toBe(1);
    expect(second.queries[0]!.sql).toBe(first.queries[0]!.sql);
    expect(await Product.objects.orderBy("slug").valuesList("slug", "stock")).toEqual([
      ["big-book", 20],
      ["case", 10],
      ["ecole", 10],
      ["small-book", 7],
    ]);
    expect((await Product.objects.get({ slug: "big-book" })).metadata).toEqual({ b: 2 });
    // a condition across a relation runs as pk IN (subquery), with its own values each time
    expect(
      await Product.objects.filter({ category__name: "Phones" }).update({ stock: F("stock").sub(3) }),
    ).toBe(2);
    expect(
      await Product.objects.filter({ category__name: "Books" }).update({ stock: F("stock").sub(3) }),
    ).toBe(1);
    expect(await Product.objects.filter({ slug: "small-book" }).update({ category: books })).toBe(1);
    expect(await Product.objects.filter({ slug: "case" }).update({ category: null })).toBe(1);
    expect(await Product.objects.orderBy("slug").valuesList("slug", "stock", "category_id")).toEqual([
      ["big-book", 17, books.pk],
      ["case", 7, null],
      ["ecole", 7, phones.pk],
      ["small-book", 7, books.pk],
    ]);
    await expect(Product.objects.filter({ slug: "case" }).update({ stock: "lots" as never })).rejects.toThrow(
      ValidationError,
    );
  });

  it("save() of loaded instances reuses one UPDATE per column list; F() values still compile", async () => {
    await products();
    const [a, b] = await Product.objects.filter({ slug__in: ["case", "ecole"] }).orderBy("slug");
    a!.stock = 11;
    b!.stock = 12;
    const first = await captureQueries(() => a!.save({ updateFields: ["stock"] }));
    const second = await captureQueries(() => b!.save({ updateFields: ["stock"] }));
    expect(second.queries[0]!.sql).toBe(first.queries[0]!.sql);
    expect(second.queries[0]!.params).toEqual([12, b!.pk]);
    b!.name = "Renamed";
    await b!.save();
    b!.stock = F("stock").add(5) as never;
    await b!.save({ updateFields: ["stock"] });
    expect(
      await Product.objects
        .orderBy("slug")
        .filter({ slug__in: ["case", "ecole"] })
        .valuesList("name", "stock"),
    ).toEqual([
      ["ÉCOLE Case", 11],
      ["Renamed", 17],
    ]);
  });

  it("bulkCreate() binds each batch into one statement per row count", async () => {
    const cats = await Category.objects.bulkCreate([
      new Category({ name: "A" }),
      new Category({ name: "B" }),
    ]);
    const more = await Category.objects.bulkCreate([
      new Category({ name: "C" }),
      new Category({ name: "D" }),
    ]);
    expect([...cats, ...more].map((c) => typeof c.pk)).toEqual(["number", "number", "number", "number"]);
    const { queries } = await captureQueries(() =>
      Category.objects.bulkCreate([new Category({ name: "A" }), new Category({ name: "E" })], {
        ignoreConflicts: true,
      }),
    );
    expect(queries.some((q) => q.sql.includes("ON CONFLICT DO NOTHING"))).toBe(true);
    expect(await Category.objects.orderBy("name").valuesList("name", { flat: true })).toEqual([
      "A",
      "B",
      "C",
      "D",
      "E",
    ]);
  });

  it("statements of one base QuerySet that differ in slicing, ordering or columns never share SQL", async () => {
    await products();
    // One base: every derived QuerySet shares its arrays (joins, columns), so the shapes are told
    // apart by their other parts; more of them than a base remembers (8), then the first again.
    const base = Product.objects.selectRelated("category");
    const ordered = base.orderBy("price");
    const prices = ["-0.05", "9.50", "100.00", "199.99"];
    for (const n of [1, 2, 3, 4, 1, 2, 3, 4, 1]) {
      expect((await ordered.slice(0, n)).map((r) => r.price)).toEqual(prices.slice(0, n));
    }
    for (const n of [0, 1, 2, 3, 0]) {
      expect((await ordered.slice(n, n + 1)).map((r) => r.price)).toEqual([prices[n]]);
    }
    expect((await ordered.reverse().slice(0, 2)).map((r) => r.price)).toEqual(["199.99", "100.00"]);
    expect((await ordered.slice(0, 2)).map((r) => r.price)).toEqual(["-0.05", "9.50"]);
    expect(await ordered.distinct().count()).toBe(4);
    expect((await ordered.distinct()).map((r) => r.price)).toEqual(prices);
    expect((await base.only("name").get({ slug: "case" })).name).toBe("ÉCOLE Case");
    expect((await base.defer("description").get({ slug: "case" })).name).toBe("ÉCOLE Case");
    const { queries } = await captureQueries(async () => {
      await base.get({ slug: "case" });
      await base.filter({ slug: "ecole" }).exists();
      await base.count();
    });
    expect(queries[0]!.sql).not.toMatch(/ORDER BY/);
    expect(queries[0]!.sql).toMatch(/LIMIT 21/);
    expect(queries[1]!.sql).toMatch(/LIMIT 1/);
    expect(queries[2]!.sql).toMatch(/COUNT\(\*\)/);
    expect(queries[2]!.sql).not.toMatch(/JOIN/);
  });

  it("a shape's head names its vendor, statement kind and every part it was made from", () => {
    const state = initialState();
    const heads = [
      shapeOf(state, "sqlite", "select")?.head,
      shapeOf(state, "sqlite", "count")?.head,
      shapeOf(state, "postgresql", "select")?.head,
      shapeOf({ ...state, distinct: true }, "sqlite", "select")?.head,
      shapeOf({ ...state, limit: 5 }, "sqlite", "select")?.head,
      shapeOf({ ...state, limit: 5, offset: 5 }, "sqlite", "select")?.head,
      shapeOf({ ...state, reversed: true }, "sqlite", "select")?.head,
      shapeOf({ ...state, selectRelated: ["category"] }, "sqlite", "select")?.head,
      shapeOf({ ...state, only: ["name"] }, "sqlite", "select")?.head,
      shapeOf({ ...state, defer: ["name"] }, "sqlite", "select")?.head,
      shapeOf({ ...state, order: ["name"] }, "sqlite", "select")?.head,
      shapeOf({ ...state, values: { fields: ["name"], mode: "flat" } }, "sqlite", "select")?.head,
    ];
    expect(new Set(heads).size).toBe(heads.length);
    // asked again with the same parts: the very same string (made once), also for lists of the
    // same names made afresh (a QuerySet chain built per request)
    expect(shapeOf(state, "sqlite", "count")?.head).toBe(heads[1]);
    expect(shapeOf({ ...state, selectRelated: ["category"] }, "sqlite", "select")?.head).toBe(heads[7]);
    expect(shapeOf({ ...state, order: ["-name"] }, "sqlite", "select")?.head).not.toBe(heads[10]);
  });
});
