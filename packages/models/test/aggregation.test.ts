import { describe, expect, it } from "vitest";
import {
  Avg,
  assertNumQueries,
  Case,
  Coalesce,
  Count,
  Exists,
  F,
  Max,
  Min,
  OuterRef,
  Q,
  Subquery,
  Sum,
  Value,
  When,
} from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { Author, allModels, Book, Category, Customer, Order, OrderItem, Product } from "./support/shop.js";

useTestDatabase(allModels);

async function library() {
  const herbert = await Author.objects.create({ name: "Herbert" });
  const le = await Author.objects.create({ name: "Le Guin" });
  await Author.objects.create({ name: "Nobody" });
  await Book.objects.bulkCreate([
    new Book({ title: "Dune", author: herbert, sales: 100 }),
    new Book({ title: "Dune Messiah", author: herbert, sales: 40 }),
    new Book({ title: "Children of Dune", author: herbert, sales: 30 }),
    new Book({ title: "Earthsea", author: le, sales: 70 }),
  ]);
}

async function orders() {
  const u = await Customer.objects.create({ username: "ann" });
  const p1 = await Product.objects.create({ name: "p1", slug: "p1", price: "100.00" });
  const p2 = await Product.objects.create({ name: "p2", slug: "p2", price: "99.99" });
  const o1 = await Order.objects.create({ user: u, discount: 10 });
  const o2 = await Order.objects.create({ user: u, discount: 0 });
  await Order.objects.create({ user: u, discount: 0 });
  await OrderItem.objects.create({ order: o1, product: p1, quantity: 3, price: "123.45" });
  await OrderItem.objects.create({ order: o1, product: p2, quantity: 1, price: "246.23" });
  await OrderItem.objects.create({ order: o2, product: p2, quantity: 2, price: "0.10" });
  return { o1, o2 };
}

describe("aggregate", () => {
  it("Author.objects.aggregate(total_books=Count('books'))", async () => {
    await library();
    expect(await Author.objects.aggregate({ total_books: Count("books") })).toEqual({ total_books: 4 });
  });

  it("Sum/Avg/Min/Max of decimals stay exact strings with the field's places", async () => {
    await Product.objects.bulkCreate([
      new Product({ name: "a", slug: "a", price: "0.10" }),
      new Product({ name: "b", slug: "b", price: "0.20" }),
      new Product({ name: "c", slug: "c", price: "616.28" }),
    ]);
    expect(
      await Product.objects.aggregate({
        total: Sum("price"),
        avg: Avg("price"),
        low: Min("price"),
        high: Max("price"),
      }),
    ).toEqual({ total: "616.58", avg: "205.53", low: "0.10", high: "616.28" });
    expect(
      await Product.objects.filter({ slug: "none" }).aggregate({ total: Sum("price"), n: Count("id") }),
    ).toEqual({
      total: null,
      n: 0,
    });
    expect(
      await Product.objects.aggregate({ n: Count("*"), stock: Sum("stock"), avg: Avg("stock") }),
    ).toEqual({
      n: 3,
      stock: 0,
      avg: 0,
    });
  });

  it("conditional aggregation: expensive_count / cheap_count with Case/When and filter=Q", async () => {
    await Product.objects.bulkCreate([
      new Product({ name: "a", slug: "a", price: "150.00" }),
      new Product({ name: "b", slug: "b", price: "100.00" }),
      new Product({ name: "c", slug: "c", price: "99.99" }),
    ]);
    expect(
      await Product.objects.aggregate({
        expensive_count: Count(Case(When({ price__gte: "100" }, 1))),
        cheap_count: Count(Case(When({ price__lt: "100" }, 1))),
        filtered: Count("id", { filter: Q({ price__gte: "100" }) }),
      }),
    ).toEqual({ expensive_count: 2, cheap_count: 1, filtered: 2 });
  });
});

describe("annotate", () => {
  it("book_count and total_sales, filtered on the annotation (HAVING) and ordered by it", async () => {
    await library();
    const authors = await assertNumQueries(1, () =>
      Author.objects
        .annotate({ book_count: Count("books"), total_sales: Sum("books__sales") })
        .filter({ book_count__gte: 1 })
        .orderBy("-book_count"),
    );
    expect(authors.map((a) => [a.name, a.book_count, a.total_sales])).toEqual([
      ["Herbert", 3, 170],
      ["Le Guin", 1, 70],
    ]);
    const all = await Author.objects.annotate({ n: Count("books", { distinct: true }) }).orderBy("name");
    expect(all.map((a) => a.n)).toEqual([3, 1, 0]);
    expect(
      await Author.objects
        .annotate({ book_count: Count("books") })
        .filter({ book_count__gte: 3 })
        .count(),
    ).toBe(1);
  });

  it("order totals: Sum(F(quantity) * F(price)) and a discounted total with Coalesce", async () => {
    const { o1 } = await orders();
    const rows = await Order.objects
      .annotate({
        item_count: Count("items"),
        total: Sum(F("items__quantity").mul(F("items__price"))),
        discounted_total: Coalesce(
          Sum(
            F("items__quantity")
              .mul(F("items__price"))
              .mul(Value(100).sub(F("discount")))
              .div(100),
          ),
          Value("0.00"),
        ),
      })
      .orderBy("id");
    expect(rows.map((o) => [o.item_count, o.total, o.discounted_total])).toEqual([
      [2, "616.58", "554.92"],
      [1, "0.20", "0.20"],
      [0, null, "0.00"],
    ]);
    expect(rows[0]!.id).toBe(o1.id);
  });

  it("values().annotate() groups by the values", async () => {
    await library();
    const rows = await Book.objects
      .values("author__name")
      .annotate({ n: Count("id"), total_sales: Sum("sales") })
      .orderBy("author__name");
    expect(rows).toEqual([
      { author__name: "Herbert", n: 3, total_sales: 170 },
      { author__name: "Le Guin", n: 1, total_sales: 70 },
    ]);
    const having = await Book.objects
      .values("author__name")
      .annotate({ n: Count("id") })
      .filter({ n__gt: 1 })
      .filter({ author__name__startswith: "H" });
    expect(having).toEqual([{ author__name: "Herbert", n: 3 }]);
  });

  it("F-expression update: price * 1.1 for every product stays exact", async () => {
    await Product.objects.bulkCreate([
      new Product({ name: "a", slug: "a", price: "10.00" }),
      new Product({ name: "b", slug: "b", price: "0.15" }),
    ]);
    await Product.objects.update({ price: F("price").mul("1.1") });
    expect((await Product.objects.orderBy("slug")).map((p) => p.price)).toEqual(["11.00", "0.17"]);
  });

  it("Subquery/OuterRef and Exists", async () => {
    await library();
    const newest = Book.objects
      .filter({ author: OuterRef("pk") })
      .orderBy("-sales")
      .values("title")
      .slice(0, 1);
    const rows = await Author.objects
      .annotate({
        best: Subquery(newest),
        has_books: Exists(Book.objects.filter({ author: OuterRef("pk") })),
      })
      .orderBy("name");
    expect(rows.map((a) => [a.name, a.best, Boolean(a.has_books)])).toEqual([
      ["Herbert", "Dune", true],
      ["Le Guin", "Earthsea", true],
      ["Nobody", null, false],
    ]);
    const withBooks = await Author.objects.filter({
      pk__in: Book.objects.filter({ sales__gt: 50 }).values("author"),
    });
    expect(withBooks.map((a) => a.name)).toEqual(["Herbert", "Le Guin"]);
  });

  it("Case/When annotations and categories with product counts", async () => {
    const c = await Category.objects.create({ name: "c" });
    await Product.objects.create({ name: "a", slug: "a", price: "150.00", category: c });
    await Product.objects.create({ name: "b", slug: "b", price: "50.00" });
    const rows = await Product.objects
      .annotate({ band: Case(When({ price__gte: "100" }, "high"), { default: "low" }) })
      .orderBy("slug");
    expect(rows.map((p) => p.band)).toEqual(["high", "low"]);
    const cats = await Category.objects.annotate({ n: Count("products") });
    expect(cats.map((x) => x.n)).toEqual([1]);
  });
});
