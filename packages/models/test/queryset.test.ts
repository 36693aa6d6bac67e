import { describe, expect, it } from "vitest";
import {
  Concat,
  captureQueries,
  F,
  FieldError,
  Length,
  Lower,
  MultipleObjectsReturned,
  NotSupportedError,
  nullsFirst,
  ObjectDoesNotExist,
  Q,
  Upper,
  ValidationError,
  Value,
} from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { Author, allModels, Book, Category, Product } from "./support/shop.js";

const tdb = useTestDatabase(allModels);

async function products() {
  const phones = await Category.objects.create({ name: "Phones" });
  const books = await Category.objects.create({ name: "Books" });
  await Product.objects.bulkCreate([
    new Product({
      name: "École Phone",
      slug: "ecole",
      price: "199.99",
      stock: 5,
      category: phones,
      tags: ["fr", "sale"],
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
    new Product({ name: "small book", slug: "small-book", price: "12.10", stock: 7, category: null }),
  ]);
  return { phones, books };
}

const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();

describe("lookups", () => {
  it("exact / iexact / contains / icontains fold non-ASCII case only for i-lookups", async () => {
    await products();
    expect(names(await Product.objects.filter({ name: "Big Book" }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ name__exact: "big book" }))).toEqual([]);
    expect(names(await Product.objects.filter({ name__iexact: "BIG book" }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ name__contains: "Book" }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ name__contains: "book" }))).toEqual(["small book"]);
    expect(names(await Product.objects.filter({ name__icontains: "book" }))).toEqual([
      "Big Book",
      "small book",
    ]);
    expect(names(await Product.objects.filter({ name__icontains: "école" }))).toEqual([
      "ÉCOLE Case",
      "École Phone",
    ]);
    expect(names(await Product.objects.filter({ name__contains: "École" }))).toEqual(["École Phone"]);
  });

  it("startswith / endswith are case-sensitive; i-variants are not", async () => {
    await products();
    expect(names(await Product.objects.filter({ name__startswith: "big" }))).toEqual([]);
    expect(names(await Product.objects.filter({ name__startswith: "Big" }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ name__istartswith: "éco" }))).toEqual([
      "ÉCOLE Case",
      "École Phone",
    ]);
    expect(names(await Product.objects.filter({ name__endswith: "book" }))).toEqual(["small book"]);
    expect(names(await Product.objects.filter({ name__iendswith: "BOOK" }))).toEqual([
      "Big Book",
      "small book",
    ]);
    expect(names(await Product.objects.filter({ name__endswith: "" }))).toHaveLength(4);
  });

  it("in / gt / gte / lt / lte / range on decimals and integers", async () => {
    await products();
    expect(names(await Product.objects.filter({ price__gt: "100" }))).toEqual(["École Phone"]);
    expect(names(await Product.objects.filter({ price__gte: "100.00" }))).toEqual([
      "Big Book",
      "École Phone",
    ]);
    expect(names(await Product.objects.filter({ price__lt: "12.10" }))).toEqual(["ÉCOLE Case"]);
    expect(names(await Product.objects.filter({ price__lte: "12.1" }))).toEqual(["small book", "ÉCOLE Case"]);
    expect(names(await Product.objects.filter({ price__range: ["10", "100"] }))).toEqual([
      "Big Book",
      "small book",
    ]);
    expect(names(await Product.objects.filter({ stock__in: [0, 7] }))).toEqual(["small book", "ÉCOLE Case"]);
    expect(await Product.objects.filter({ stock__in: [] }).count()).toBe(0);
    expect(
      names(
        await Product.objects.filter({
          slug__in: Product.objects.filter({ stock: 2 }).valuesList("slug", { flat: true }),
        }),
      ),
    ).toEqual(["Big Book"]);
  });

  it("isnull, exact null and exclude keep NULL rows like Django", async () => {
    await products();
    expect(names(await Product.objects.filter({ category__isnull: true }))).toEqual(["small book"]);
    expect(names(await Product.objects.filter({ category: null }))).toEqual(["small book"]);
    expect(await Product.objects.filter({ category__isnull: false }).count()).toBe(3);
    expect(names(await Product.objects.exclude({ category__name: "Phones" }))).toEqual([
      "Big Book",
      "small book",
    ]);
  });

  it("year / month / day on datetimes and dates, with comparisons", async () => {
    const a = await Author.objects.create({ name: "A" });
    await Book.objects.create({ title: "Old", author: a, published: "1999-12-31" });
    await Book.objects.create({ title: "New", author: a, published: "2024-02-29" });
    expect((await Book.objects.filter({ published__year: 2024 })).map((b) => b.title)).toEqual(["New"]);
    expect((await Book.objects.filter({ published__month: 12 })).map((b) => b.title)).toEqual(["Old"]);
    expect((await Book.objects.filter({ published__day: 29 })).map((b) => b.title)).toEqual(["New"]);
    expect((await Book.objects.filter({ published__year__lt: 2000 })).map((b) => b.title)).toEqual(["Old"]);
    expect((await Book.objects.filter({ published__gte: "2000-01-01" })).map((b) => b.title)).toEqual([
      "New",
    ]);
    await products();
    const year = new Date().getUTCFullYear();
    expect(await Product.objects.filter({ created_at__year: year }).count()).toBe(4);
    expect(await Product.objects.filter({ created_at__year__gt: year }).count()).toBe(0);
  });

  it("regex uses one dialect (the common subset of JS and POSIX ERE)", async () => {
    await products();
    expect(names(await Product.objects.filter({ slug__regex: "^(big|small)-book$" }))).toEqual([
      "Big Book",
      "small book",
    ]);
    expect(names(await Product.objects.filter({ name__regex: "^[a-z]+ book$" }))).toEqual(["small book"]);
    expect(names(await Product.objects.filter({ name__iregex: "^[a-z]+ book$" }))).toEqual([
      "Big Book",
      "small book",
    ]);
  });

  it("array contains and JSON key lookups behave the same on both databases", async () => {
    await products();
    expect(names(await Product.objects.filter({ tags__contains: ["fr"] }))).toEqual([
      "ÉCOLE Case",
      "École Phone",
    ]);
    expect(names(await Product.objects.filter({ tags__contains: ["fr", "sale"] }))).toEqual(["École Phone"]);
    expect(names(await Product.objects.filter({ metadata__contains: { lang: "en" } }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ metadata__lang: "en" }))).toEqual(["Big Book"]);
    expect(names(await Product.objects.filter({ metadata__pages: 300 }))).toEqual(["Big Book"]);
  });

  it("lookups across relations", async () => {
    await products();
    expect(names(await Product.objects.filter({ category__name__icontains: "phone" }))).toEqual([
      "ÉCOLE Case",
      "École Phone",
    ]);
    expect(names(await Category.objects.filter({ products__stock__gt: 4 }))).toEqual(["Phones"]);
    // multi-valued relations never duplicate rows
    expect(await Category.objects.filter({ products__price__gt: "1" }).count()).toBe(2);
  });

  it("unknown fields and lookups raise FieldError naming the model and the choices", async () => {
    await expect(Product.objects.filter({ nmae: "x" } as never).count()).rejects.toThrow(FieldError);
    await expect(Product.objects.filter({ nmae: "x" } as never).count()).rejects.toThrow(
      /Cannot resolve keyword 'nmae' into field of model shop\.Product\. Choices are: .*name/,
    );
    await expect(Product.objects.filter({ name__foo: "x" } as never).count()).rejects.toThrow(
      /Unsupported lookup 'foo'/,
    );
  });
});

describe("QuerySets are lazy and immutable", () => {
  it("building runs no query; every method returns a new QuerySet", async () => {
    await products();
    const { result: qs, queries } = await captureQueries(() => {
      const base = Product.objects.filter({ stock__gt: 0 });
      const narrowed = base.filter({ price__lt: "100" }).orderBy("-price").slice(0, 1);
      return { base, narrowed };
    });
    expect(queries).toHaveLength(0);
    expect(qs.narrowed).not.toBe(qs.base);
    expect(await qs.base.count()).toBe(3);
    expect((await qs.narrowed).map((p) => p.slug)).toEqual(["small-book"]);
    expect(await qs.base.count()).toBe(3);
  });
});

describe("bad input", () => {
  it("is a ValidationError before it reaches the driver, on both databases", async () => {
    await products();
    for (const qs of [
      Product.objects.filter({ id: "abc" as never }),
      Product.objects.filter({ category: "x" as never }),
      Product.objects.filter({ price__gt: "12,5" }),
      Product.objects.filter({ pk__in: [1, "two"] as never }),
      Book.objects.filter({ published: "2024-13-45" }),
      Product.objects.filter({ created_at__gte: "yesterday" as never }),
    ]) {
      await expect(qs.count()).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await Product.objects.filter({ id: "1" as never }).count()).toBe(1);
    await expect(Product.objects.update({ name: F("category__name") })).rejects.toBeInstanceOf(FieldError);
  });

  it("an integer past the column's range matches nothing (no PostgreSQL out-of-range error)", async () => {
    await products();
    expect(await Product.objects.filter({ id: 2147483648 }).count()).toBe(0);
    expect(await Product.objects.filter({ pk__in: [1, 9007199254740991] }).count()).toBe(1);
    expect(await Product.objects.filter({ stock__lt: 2147483648 }).count()).toBe(4);
  });
});

describe("Q and F", () => {
  it("combines Q with or / and / not", async () => {
    await products();
    const q = Q({ stock: 0 }).or(Q({ price__gt: "150" }));
    expect(names(await Product.objects.filter(q))).toEqual(["ÉCOLE Case", "École Phone"]);
    expect(names(await Product.objects.filter(q.not()))).toEqual(["Big Book", "small book"]);
    expect(names(await Product.objects.filter(Q({ stock__gt: 1 }).and({ price__lt: "150" })))).toEqual([
      "Big Book",
      "small book",
    ]);
  });

  it("F in filters, updates (exact decimals) and ordering", async () => {
    await products();
    expect(names(await Product.objects.filter({ stock__gt: F("discount_percentage").add(4) }))).toEqual([
      "small book",
      "École Phone",
    ]);
    const n = await Product.objects.filter({ slug: "case" }).update({ price: F("price").mul("1.1") });
    expect(n).toBe(1);
    expect((await Product.objects.get({ slug: "case" })).price).toBe("10.45");
    await Product.objects.update({ stock: F("stock").add(1) });
    expect((await Product.objects.orderBy(F("stock").desc())).map((p) => p.stock)).toEqual([8, 6, 3, 1]);
    await Product.objects.filter({ slug: "ecole" }).update({ price: F("price").add("0.01") });
    expect((await Product.objects.get({ slug: "ecole" })).price).toBe("200.00");
  });
});

describe("database functions", () => {
  it("Lower/Upper/Length/Concat behave the same on both databases (Unicode)", async () => {
    await products();
    const rows = await Product.objects
      .annotate({
        low: Lower("name"),
        up: Upper("name"),
        len: Length("name"),
        label: Concat("slug", Value(":"), "stock"),
      })
      .filter({ slug: "ecole" });
    expect(rows.map((r) => [r.low, r.up, r.len, r.label])).toEqual([
      ["école phone", "ÉCOLE PHONE", 11, "ecole:5"],
    ]);
    expect((await Product.objects.orderBy(Lower("name").asc())).map((p) => p.slug)).toEqual([
      "big-book",
      "small-book",
      "case",
      "ecole",
    ]);
    expect(
      await Product.objects
        .annotate({ low: Lower("name") })
        .filter({ low__startswith: "éc" })
        .count(),
    ).toBe(2);
  });
});

describe("ordering", () => {
  it("asc, desc, several fields and across relations", async () => {
    await products();
    expect((await Product.objects.orderBy("price")).map((p) => p.price)).toEqual([
      "9.50",
      "12.10",
      "100.00",
      "199.99",
    ]);
    expect((await Product.objects.orderBy("-price")).map((p) => p.price)).toEqual([
      "199.99",
      "100.00",
      "12.10",
      "9.50",
    ]);
    expect((await Product.objects.orderBy("category__name", "-price")).map((p) => p.slug)).toEqual([
      "big-book",
      "ecole",
      "case",
      "small-book",
    ]);
  });

  it("NULLs sort last ascending and first descending on both databases unless asked", async () => {
    await products();
    expect((await Product.objects.orderBy("category__name")).map((p) => p.slug).at(-1)).toBe("small-book");
    expect((await Product.objects.orderBy("-category__name")).map((p) => p.slug)[0]).toBe("small-book");
    expect((await Product.objects.orderBy(nullsFirst("category__name"), "slug")).map((p) => p.slug)[0]).toBe(
      "small-book",
    );
    expect(
      (await Product.objects.orderBy(F("category__name").desc({ nullsLast: true })))
        .map((p) => p.slug)
        .at(-1),
    ).toBe("small-book");
  });

  it("text ordering is by code point on both databases", async () => {
    await products();
    expect((await Product.objects.orderBy("name")).map((p) => p.name)).toEqual([
      "Big Book",
      "small book",
      "ÉCOLE Case",
      "École Phone",
    ]);
  });
});

describe("retrieval", () => {
  it("get raises DoesNotExist / MultipleObjectsReturned", async () => {
    await products();
    await expect(Product.objects.get({ slug: "nope" })).rejects.toBeInstanceOf(Product.DoesNotExist);
    await expect(Product.objects.get({ slug: "nope" })).rejects.toBeInstanceOf(ObjectDoesNotExist);
    await expect(Product.objects.get({ slug: "nope" })).rejects.toThrow(
      "Product matching query does not exist.",
    );
    await expect(Product.objects.get({ category__name: "Phones" })).rejects.toBeInstanceOf(
      MultipleObjectsReturned,
    );
    await expect(Product.objects.get({ category__name: "Phones" })).rejects.toThrow(
      "get() returned more than one Product -- it returned 2!",
    );
  });

  it("first / last / exists / count / slicing / distinct / none / inBulk / iteration", async () => {
    await products();
    expect((await Product.objects.orderBy("price").first())?.slug).toBe("case");
    expect((await Product.objects.orderBy("price").last())?.slug).toBe("ecole");
    expect(await Product.objects.filter({ slug: "x" }).first()).toBeNull();
    expect((await Product.objects.earliest("price")).slug).toBe("case");
    expect((await Product.objects.latest("price")).slug).toBe("ecole");
    await expect(Product.objects.filter({ slug: "x" }).latest("price")).rejects.toBeInstanceOf(
      Product.DoesNotExist,
    );
    expect(await Product.objects.filter({ stock: 0 }).exists()).toBe(true);
    expect(await Product.objects.filter({ stock: 99 }).exists()).toBe(false);
    const page = Product.objects.orderBy("price").slice(1, 3);
    expect((await page).map((p) => p.slug)).toEqual(["small-book", "big-book"]);
    expect(await page.count()).toBe(2);
    expect((await Product.objects.orderBy("price").slice(3)).map((p) => p.slug)).toEqual(["ecole"]);
    expect(await Category.objects.filter({ products__stock__gte: 0 }).distinct().count()).toBe(2);
    const { queries } = await captureQueries(async () => expect(await Product.objects.none()).toEqual([]));
    expect(queries).toHaveLength(0);
    const bulk = await Product.objects.inBulk([1, 2]);
    expect([...bulk.keys()].sort()).toEqual([1, 2]);
    const bySlug = await Product.objects.inBulk(["case"], { fieldName: "slug" });
    expect(bySlug.get("case")?.price).toBe("9.50");
    const seen: string[] = [];
    for await (const p of Product.objects.orderBy("slug")) seen.push(p.slug);
    expect(seen).toEqual(["big-book", "case", "ecole", "small-book"]);
  });

  it("values / valuesList / only / defer", async () => {
    await products();
    expect(
      await Product.objects.orderBy("price").values("slug", "price", "category__name").slice(0, 2),
    ).toEqual([
      { slug: "case", price: "9.50", category__name: "Phones" },
      { slug: "small-book", price: "12.10", category__name: null },
    ]);
    expect(await Product.objects.orderBy("price").valuesList("slug", { flat: true })).toEqual([
      "case",
      "small-book",
      "big-book",
      "ecole",
    ]);
    expect(await Product.objects.orderBy("price").valuesList("slug", "stock").slice(0, 1)).toEqual([
      ["case", 0],
    ]);
    const only = await Product.objects.only("id", "name").get({ slug: "case" });
    expect(only.name).toBe("ÉCOLE Case");
    expect((only as unknown as Record<string, unknown>).price).toBeUndefined();
    const { queries } = await captureQueries(() => Product.objects.defer("metadata", "description").first());
    expect(queries[0]!.sql).not.toMatch(/metadata/);
    await only.refreshFromDb();
    expect(only.price).toBe("9.50");
  });

  it("DISTINCT ON fields needs PostgreSQL", async () => {
    await products();
    const qs = Product.objects.orderBy("category", "-price").distinct("category");
    if (tdb.current.vendor === "sqlite") {
      await expect(qs.then((r) => r)).rejects.toBeInstanceOf(NotSupportedError);
    } else {
      expect((await qs).map((p) => p.slug)).toEqual(["ecole", "big-book", "small-book"]);
    }
  });
});

describe("writes", () => {
  it("getOrCreate / updateOrCreate", async () => {
    const [a, created] = await Category.objects.getOrCreate({ name: "X" });
    expect(created).toBe(true);
    const [b, created2] = await Category.objects.getOrCreate({ name: "X" });
    expect(created2).toBe(false);
    expect(b.id).toBe(a.id);
    const [p, made] = await Product.objects.updateOrCreate(
      { slug: "u" },
      { defaults: { name: "U", price: "1.00" } },
    );
    expect(made).toBe(true);
    const [p2, made2] = await Product.objects.updateOrCreate({ slug: "u" }, { defaults: { price: "2.00" } });
    expect(made2).toBe(false);
    expect(p2.id).toBe(p.id);
    expect((await Product.objects.get({ slug: "u" })).price).toBe("2.00");
  });

  it("bulkCreate returns primary keys, bulkUpdate writes chosen fields, update counts rows", async () => {
    const made = await Category.objects.bulkCreate([
      new Category({ name: "a" }),
      new Category({ name: "b" }),
    ]);
    expect(made.map((c) => c.id)).toEqual([1, 2]);
    made[0]!.name = "A";
    made[1]!.name = "B";
    expect(await Category.objects.bulkUpdate(made, ["name"])).toBe(2);
    expect((await Category.objects.all()).map((c) => c.name)).toEqual(["A", "B"]);
    expect(await Category.objects.filter({ name: "A" }).update({ name: "AA" })).toBe(1);
    const [total, per] = await Category.objects.filter({ name__in: ["AA", "B"] }).delete();
    expect(total).toBe(2);
    expect(per).toEqual({ "shop.Category": 2 });
  });
});
