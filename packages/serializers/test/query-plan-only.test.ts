// queryPlan().only: a list fetches the columns its serializer renders, and renders the same bytes.
import { Count, captureQueries, createTestDatabase, type TestDatabase } from "@x/models";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CharField,
  HyperlinkedIdentityField,
  ModelSerializer,
  type QueryPlan,
  ReadOnlyField,
  type Reverse,
  SerializerMethodField,
  SlugRelatedField,
  StringRelatedField,
} from "../src/index.js";
import { allModels, Category, Order, Product, Review, User } from "./shop-models.js";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: allModels });
});
beforeEach(async () => {
  await tdb.reset();
  const c = await Category.objects.create({ name: "Books", slug: "books", description: "long text" });
  const ann = await User.objects.create({ username: "ann", first_name: "Ann", email: "ann@example.com" });
  for (let i = 0; i < 3; i++) {
    const p = await Product.objects.create({
      name: `p${i}`,
      slug: `p${i}`,
      price: "10.00",
      stock: i,
      discount_percentage: 10 * i,
      status: i ? "live" : "draft",
      description: "x".repeat(100),
      metadata: { big: "y".repeat(100) },
      category: c,
    });
    await Review.objects.create({ product: p, user: ann, rating: 4 });
  }
  await Order.objects.create({ user: ann, status: "completed" });
});
afterAll(async () => {
  await tdb.close();
});

const reverse: Reverse = (view, kwargs) => `http://t/${view}/${String(kwargs?.pk ?? kwargs?.slug)}/`;

/** The columns a SELECT reads, per table alias: `{ t0: ["id", "name"], t1: [...] }`. */
function selected(sql: string): Record<string, string[]> {
  const list = /^SELECT (?:DISTINCT )?(.*?) FROM "/.exec(sql)![1]!;
  const out: Record<string, string[]> = {};
  for (const col of list.split(", ")) {
    if (!/^"t\d+"\."\w+"$/.test(col)) continue; // an annotation's expression
    const [alias, name] = col.split(".").map((x) => x.replaceAll('"', ""));
    out[alias!] ??= [];
    out[alias!]!.push(name!);
  }
  return out;
}

type Render = (rows: never[]) => Promise<unknown[]>;

/** A page the way a generic view fetches it: the plan applied, then rendered. */
async function listPage(render: Render, plan: QueryPlan) {
  let qs = Product.objects
    .annotate({ review_count: Count("reviews") })
    .selectRelated(...plan.selectRelated)
    .prefetchRelated(...plan.prefetchRelated);
  if (plan.only) qs = qs.only(...plan.only);
  const { result: rows, queries } = await captureQueries(() => qs.orderBy("id"));
  const data = await render(rows as never[]);
  // the same serializer on whole rows renders the same JSON
  const whole = await Product.objects
    .annotate({ review_count: Count("reviews") })
    .selectRelated(...plan.selectRelated)
    .prefetchRelated(...plan.prefetchRelated)
    .orderBy("id");
  expect(JSON.stringify(data)).toBe(JSON.stringify(await render(whole as never[])));
  return { data, queries: queries.map((q) => q.sql) };
}

describe("queryPlan().only", () => {
  class ProductListSerializer extends ModelSerializer.of(
    {
      model: Product,
      fields: [
        "id",
        "url",
        "name",
        "price",
        "category",
        "is_in_stock",
        "status_display",
        "sale",
        "reviews",
        "review_count",
      ],
    },
    {
      url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
      category: new SlugRelatedField({ slugField: "slug", readOnly: true }),
      is_in_stock: new ReadOnlyField({ requires: ["stock"] }),
      status_display: new CharField({ source: "get_status_display", readOnly: true }),
      sale: new SerializerMethodField(v.boolean(), { requires: ["discount_percentage"] }),
      review_count: new ReadOnlyField(), // an annotation: no column
    },
  ) {
    get_sale(p: InstanceType<typeof Product>) {
      return p.discount_percentage > 0;
    }
  }

  it("a list SELECT names only the columns the serializer renders (and the keys it joins by)", async () => {
    const plan = ProductListSerializer.queryPlan();
    expect(plan).toEqual({
      selectRelated: ["category"],
      prefetchRelated: ["reviews"],
      only: ["id", "name", "price", "category", "stock", "status", "discount_percentage", "category__slug"],
      model: Product,
    });
    const { data, queries } = await listPage(
      (rows) => ProductListSerializer.many({ instance: rows, context: { reverse } }).data,
      plan,
    );
    expect(queries).toHaveLength(2); // the page, then the reviews
    const cols = selected(queries[0]!);
    expect(Object.values(cols).map((c) => [...c].sort())).toEqual([
      ["category_id", "discount_percentage", "id", "name", "price", "status", "stock"],
      ["id", "slug"],
    ]);
    expect(queries[0]).not.toMatch(/"description"|"metadata"|"tags"/);
    expect(data[1]).toEqual({
      id: expect.any(Number),
      url: expect.stringMatching(/^http:\/\/t\/product-detail\/\d+\/$/),
      name: "p1",
      price: "10.00",
      category: "books",
      is_in_stock: true,
      status_display: "Live",
      sale: true,
      reviews: [expect.any(Number)],
      review_count: 1,
    });
  });

  it("the plan is computed once per class", () => {
    expect(ProductListSerializer.queryPlan()).toBe(ProductListSerializer.queryPlan());
  });

  it("a method field or model property without `requires` loads whole rows", async () => {
    class WithMethod extends ModelSerializer.of(
      { model: Product, fields: ["id", "name", "label"] },
      { label: new SerializerMethodField(v.string()) },
    ) {
      get_label(p: InstanceType<typeof Product>) {
        return `${p.name} (${p.stock})`;
      }
    }
    expect(WithMethod.queryPlan()).toEqual({ selectRelated: [], prefetchRelated: [], model: Product });
    class WithProperty extends ModelSerializer.of({ model: Product, fields: ["id", "is_in_stock"] }) {}
    expect(WithProperty.queryPlan().only).toBeUndefined();
    const { queries } = await listPage(
      (rows) => WithMethod.many({ instance: rows }).data,
      WithMethod.queryPlan(),
    );
    expect(queries[0]).toMatch(/"description"/);
  });

  it("a joined table is narrowed even when the model's own row loads whole", async () => {
    class CategoryName extends ModelSerializer.of({ model: Category, fields: ["name"] }) {}
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "is_in_stock", "category", "category_label"] },
      {
        category: new CategoryName({ readOnly: true }),
        category_label: new CharField({ source: "category.slug", readOnly: true }),
      },
    ) {}
    const plan = S.queryPlan();
    const own = Product.meta.fields.map((f) => f.name);
    expect(plan.only).toEqual([...own, "category__name", "category__slug"]);
    const { queries } = await listPage((rows) => S.many({ instance: rows }).data, plan);
    expect([...selected(queries[0]!).t1!].sort()).toEqual(["id", "name", "slug"]);
    expect(selected(queries[0]!).t0).toHaveLength(own.length);
  });

  it("toString() of a related object and a nested serializer of every column load that table whole", async () => {
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "name", "category"] },
      { category: new StringRelatedField() },
    ) {}
    expect(S.queryPlan()).toEqual({
      selectRelated: ["category"],
      prefetchRelated: [],
      only: ["id", "name", "category"],
      model: Product,
    });
    const { data, queries } = await listPage((rows) => S.many({ instance: rows }).data, S.queryPlan());
    expect(data[0]).toEqual({ id: expect.any(Number), name: "p0", category: "Books" });
    expect([...selected(queries[0]!).t1!].sort()).toEqual(["description", "id", "name", "slug"]);
  });

  it("a method field may name columns across a joined relation", async () => {
    class S extends ModelSerializer.of(
      { model: Order, fields: ["id", "customer"] },
      {
        customer: new SerializerMethodField(v.string(), {
          reads: { select: ["user"] },
          requires: ["user__first_name", "user__email"],
        }),
      },
    ) {
      get_customer(o: InstanceType<typeof Order>) {
        const u = o.user as unknown as { first_name: string; email: string };
        return `${u.first_name} <${u.email}>`;
      }
    }
    const plan = S.queryPlan();
    expect(plan).toEqual({
      selectRelated: ["user"],
      prefetchRelated: [],
      only: ["id", "user", "user__first_name", "user__email"],
      model: Order,
    });
    const { result: rows, queries } = await captureQueries(() =>
      Order.objects.selectRelated(...plan.selectRelated).only(...plan.only!),
    );
    expect(await S.many({ instance: rows }).data).toEqual([
      { id: expect.any(Number), customer: "Ann <ann@example.com>" },
    ]);
    expect(Object.values(selected(queries[0]!.sql)).map((c) => [...c].sort())).toEqual([
      ["id", "user_id"],
      ["email", "first_name", "id"],
    ]);
  });
});
