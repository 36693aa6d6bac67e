import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertNumQueries,
  atomic,
  captureQueries,
  configureStorage,
  createTestDatabase,
  decimal,
  FileSystemStorage,
  type TestDatabase,
} from "@x/models";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  CharField,
  CurrentUserDefault,
  HiddenField,
  HyperlinkedModelSerializer,
  HyperlinkedRelatedField,
  IntegerField,
  ModelSerializer,
  PrimaryKeyRelatedField,
  ReadOnlyField,
  type Reverse,
  type SerializerContext,
  SerializerMethodField,
  SlugRelatedField,
  StringRelatedField,
  ValidationError,
} from "../src/index.js";
import {
  Article,
  allModels,
  Category,
  Order,
  OrderItem,
  Product,
  Profile,
  Review,
  Tag,
  User,
} from "./shop-models.js";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: allModels });
});
beforeEach(async () => {
  await tdb.reset();
});
afterAll(async () => {
  await tdb.close();
});

const makeCategory = (slug = "books") => Category.objects.create({ name: slug.toUpperCase(), slug });
const makeProduct = (slug: string, extra: Record<string, unknown> = {}) =>
  Product.objects.create({ name: slug, slug, price: "10.00", ...extra });

class ProductSerializer extends ModelSerializer.of({
  model: Product,
  fields: ["id", "name", "price", "stock", "created_at"],
  readOnlyFields: ["id", "created_at"],
}) {}

describe("ModelSerializer (handbook: basic)", () => {
  it("derives fields, types and required-ness from the model", async () => {
    const s = new ProductSerializer({ data: { name: "Pen", price: "1.5" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ name: "Pen", price: "1.50" });
    expectTypeOf(s.validatedData).toEqualTypeOf<{ name: string; price: string; stock?: number }>();
    const missing = new ProductSerializer({ data: { stock: "x" } });
    await missing.isValid();
    expect(missing.errors).toEqual({
      name: ["This field is required."],
      price: ["This field is required."],
      stock: ["A valid integer is required."],
    });
  });

  it("creates the row and renders it", async () => {
    const s = new ProductSerializer({ data: { name: "Pen", price: "1.50", stock: 3 } });
    await s.isValid({ raiseException: true });
    const saved = await s.save({ slug: "pen" });
    const row = await Product.objects.get({ slug: "pen" });
    expect(row.price).toBe("1.50");
    expect(row.stock).toBe(3);
    expect(saved.pk).toBe(row.pk);
    const data = await s.data;
    expectTypeOf(data).toEqualTypeOf<{
      id: number;
      name: string;
      price: string;
      stock: number;
      created_at: string;
    }>();
    expect(data).toEqual({
      id: row.id,
      name: "Pen",
      price: "1.50",
      stock: 3,
      created_at: expect.stringMatching(/Z$/),
    });
  });

  it("updates, partially", async () => {
    const p = await makeProduct("pen");
    const s = new ProductSerializer({ instance: p, data: { stock: 9 }, partial: true });
    await s.isValid({ raiseException: true });
    await s.save();
    expect((await Product.objects.get({ pk: p.pk })).stock).toBe(9);
    expect((await s.data).stock).toBe(9);
  });

  it("checks model limits: max_length, decimal digits, choices, model validators", async () => {
    class S extends ModelSerializer.of({
      model: Product,
      fields: ["name", "slug", "price", "discount_percentage", "status"],
    }) {}
    const s = new S({
      data: { name: "x".repeat(201), slug: "a b", price: "-1", discount_percentage: 101, status: "gone" },
    });
    await s.isValid();
    expect(s.errors).toEqual({
      name: ["Ensure this field has no more than 200 characters."],
      slug: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'],
      price: ["Ensure this value is greater than or equal to 0."],
      discount_percentage: ["Ensure this value is less than or equal to 100."],
      status: ['"gone" is not a valid choice.'],
    });
    const digits = new S({ data: { name: "a", slug: "a", price: "123456789.0" } });
    await digits.isValid();
    expect(digits.errors).toEqual({
      price: ["Ensure that there are no more than 8 digits before the decimal point."],
    });
  });

  it("unique fields get a UniqueValidator that ignores the instance being updated", async () => {
    class S extends ModelSerializer.of({ model: Product, fields: ["name", "slug", "price"] }) {}
    const p = await makeProduct("pen");
    const dup = new S({ data: { name: "x", slug: "pen", price: "1" } });
    await dup.isValid();
    expect(dup.errors).toEqual({ slug: ["product with this slug already exists."] });
    const self = new S({ instance: p, data: { name: "y", slug: "pen", price: "1" } });
    expect(await self.isValid()).toBe(true);
  });

  it("unique_together gets a UniqueTogetherValidator (non-field error); save(extra) fills the rest", async () => {
    const user = await User.objects.create({ username: "ann" });
    const product = await makeProduct("pen");
    class ReviewSerializer extends ModelSerializer.of({
      model: Review,
      fields: ["id", "user", "product", "rating"],
    }) {}
    const first = new ReviewSerializer({ data: { user: user.pk, product: product.pk, rating: 5 } });
    await first.isValid({ raiseException: true });
    await first.save();
    const again = new ReviewSerializer({ data: { user: user.pk, product: product.pk, rating: 4 } });
    await again.isValid();
    expect(again.errors).toEqual({ non_field_errors: ["The fields user, product must make a unique set."] });
    expect(
      (
        (await again.isValid({ raiseException: true }).catch((e: unknown) => e)) as ValidationError
      ).getCodes(),
    ).toEqual({ non_field_errors: ["unique"] });

    class AddReview extends ModelSerializer.of({ model: Review, fields: ["rating", "comment"] }) {}
    const add = new AddReview({ data: { rating: 3 } });
    await add.isValid({ raiseException: true });
    const other = await User.objects.create({ username: "bob" });
    const review = await add.save({ user: other, product });
    expect(review.user_id).toBe(other.pk);
    expect(await Review.objects.count()).toBe(2);
  });

  it("'__all__', exclude and dynamic fields at construction", async () => {
    class All extends ModelSerializer.of({ model: Category, fields: "__all__" }) {}
    const c = await makeCategory();
    expect(await new All({ instance: c }).data).toEqual({
      id: c.id,
      name: "BOOKS",
      slug: "books",
      description: "",
    });
    class Ex extends ModelSerializer.of({ model: Category, exclude: ["description"] }) {}
    expect(await new Ex({ instance: c }).data).toEqual({ id: c.id, name: "BOOKS", slug: "books" });
    expect(await new All({ instance: [c], many: true, fields: ["id", "name"] }).data).toEqual([
      { id: c.id, name: "BOOKS" },
    ]);
  });

  it("rejects a field name the model does not have", () => {
    class Bad extends ModelSerializer.of({ model: Category, fields: ["nope"] }) {}
    expect(() => Bad.getPlan()).toThrow("Field name `nope` is not valid for model `Category`.");
  });

  it("many=True bulk create in one transaction", async () => {
    class C extends ModelSerializer.of({ model: Category, fields: ["name", "slug"] }) {}
    const s = new C({
      data: [
        { name: "A", slug: "a" },
        { name: "B", slug: "b" },
      ],
      many: true,
    });
    await s.isValid({ raiseException: true });
    const made = await s.save();
    expect(made).toHaveLength(2);
    expect(await Category.objects.count()).toBe(2);
  });

  it("write schema: required fields from the model", () => {
    expect(ProductSerializer.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: {
        name: { type: "string", maxLength: 200, minLength: 1 },
        price: {
          type: ["string", "number"],
          format: "decimal",
          pattern: "^-?\\d{0,8}(?:\\.\\d{0,2})?$",
        },
        stock: { type: "integer", minimum: -2147483648, maximum: 2147483647 },
      },
      required: ["name", "price"],
    });
  });
});

describe("relations on the database", () => {
  it("foreign keys are primary keys by default; DRF's messages; no query to render them", async () => {
    const c = await makeCategory();
    class S extends ModelSerializer.of({
      model: Product,
      fields: ["id", "name", "slug", "price", "category"],
    }) {}
    const bad = new S({ data: { name: "a", slug: "a", price: "1", category: 999 } });
    await bad.isValid();
    expect(bad.errors).toEqual({ category: ['Invalid pk "999" - object does not exist.'] });
    const wrong = new S({ data: { name: "a", slug: "a", price: "1", category: "x" } });
    await wrong.isValid();
    expect(wrong.errors).toEqual({ category: ["Incorrect type. Expected pk value, received str."] });
    const ok = new S({ data: { name: "a", slug: "a", price: "1", category: String(c.pk) } });
    await ok.isValid({ raiseException: true });
    const p = await ok.save();
    expect(p.category_id).toBe(c.pk);
    const rows = await Product.objects.all();
    const { queries, result } = await captureQueries(() => new S({ instance: rows, many: true }).data);
    expect(queries).toHaveLength(0);
    expect(result).toEqual([{ id: p.pk, name: "a", slug: "a", price: "1.00", category: c.pk }]);
  });

  it("handbook BookSerializer: PrimaryKeyRelatedField / SlugRelatedField / StringRelatedField with a source", async () => {
    const books = await makeCategory("books");
    const toys = await makeCategory("toys");
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "name", "category_id", "category_slug", "category_name"] },
      {
        category_id: new PrimaryKeyRelatedField({ queryset: Category.objects.all(), source: "category" }),
        category_slug: new SlugRelatedField({
          slugField: "slug",
          queryset: Category.objects.all(),
          source: "category",
        }),
        category_name: new StringRelatedField({ source: "category" }),
      },
    ) {}
    const p = await makeProduct("pen", { category: books });
    const [row] = await Product.objects.selectRelated(...S.queryPlan().selectRelated).filter({ pk: p.pk });
    // only(): the product's own columns it renders, the category whole (toString() reads any of it)
    expect(S.queryPlan()).toEqual({
      selectRelated: ["category"],
      prefetchRelated: [],
      only: ["id", "name", "category"],
      model: Product,
    });
    expect(await new S({ instance: row }).data).toEqual({
      id: p.pk,
      name: "pen",
      category_id: books.pk,
      category_slug: "books",
      category_name: "BOOKS",
    });
    const s = new S({ instance: row, data: { category_slug: "toys" }, partial: true });
    await s.isValid({ raiseException: true });
    await s.save();
    expect((await Product.objects.get({ pk: p.pk })).category_id).toBe(toys.pk);
    const missing = new S({ instance: row, data: { category_slug: "games" }, partial: true });
    await missing.isValid();
    expect(missing.errors).toEqual({ category_slug: ["Object with slug=games does not exist."] });
  });

  it("`<fk>_id` in fields writes the relation (handbook ProductCreateSerializer)", async () => {
    const c = await makeCategory();
    class Create extends ModelSerializer.of({
      model: Product,
      fields: ["name", "slug", "price", "category_id"],
    }) {}
    const s = new Create({ data: { name: "a", slug: "a", price: "2", category_id: c.pk } });
    await s.isValid({ raiseException: true });
    const p = await s.save();
    expect(p.category_id).toBe(c.pk);
    expect(await s.data).toEqual({ name: "a", slug: "a", price: "2.00", category_id: c.pk });
  });

  it("many-to-many fields write through the relation manager", async () => {
    const [a, b] = [await Tag.objects.create({ name: "a" }), await Tag.objects.create({ name: "b" })];
    class S extends ModelSerializer.of({ model: Article, fields: ["id", "title", "tags"] }) {}
    const s = new S({ data: { title: "t", tags: [a.pk, b.pk] } });
    await s.isValid({ raiseException: true });
    const art = await s.save();
    const [row] = await Article.objects
      .prefetchRelated(...S.queryPlan().prefetchRelated)
      .filter({ pk: art.pk });
    expect(S.queryPlan().prefetchRelated).toEqual(["tags"]);
    expect(await new S({ instance: row }).data).toEqual({ id: art.pk, title: "t", tags: [a.pk, b.pk] });
  });

  it("HyperlinkedModelSerializer with a stub reverse (handbook)", async () => {
    const c = await makeCategory();
    const reverse: Reverse = (view, kwargs) => `http://testserver/${view}/${String(kwargs?.pk)}/`;
    class S extends HyperlinkedModelSerializer.of(
      {
        model: Product,
        fields: ["url", "id", "name", "price", "category"],
        extraKwargs: { url: { viewName: "product-detail" } },
      },
      { category: new HyperlinkedRelatedField({ viewName: "category-detail", readOnly: true }) },
    ) {}
    const p = await makeProduct("pen", { category: c });
    expect(await new S({ instance: p, context: { reverse } }).data).toEqual({
      url: `http://testserver/product-detail/${p.pk}/`,
      id: p.pk,
      name: "pen",
      price: "10.00",
      category: `http://testserver/category-detail/${c.pk}/`,
    });
  });
});

describe("nested serializers on the database", () => {
  class CategorySerializer extends ModelSerializer.of({
    model: Category,
    fields: ["id", "name", "slug", "description"],
  }) {}
  class ReviewSerializer extends ModelSerializer.of({
    model: Review,
    fields: ["id", "user", "rating", "comment"],
  }) {}

  class ProductDetailSerializer extends ModelSerializer.of(
    { model: Product, fields: ["id", "name", "price", "category", "reviews", "review_count", "is_in_stock"] },
    {
      category: new CategorySerializer({ readOnly: true }),
      reviews: new ReviewSerializer({ many: true, readOnly: true }),
      review_count: new SerializerMethodField(v.number(), { reads: { prefetch: ["reviews"] } }),
    },
  ) {
    async get_review_count(p: { reviews: { all(): PromiseLike<unknown[]> } }) {
      return (await p.reviews.all()).length;
    }
  }

  it("renders a page in a constant number of queries with queryPlan()", async () => {
    const c = await makeCategory();
    const users = [
      await User.objects.create({ username: "u1" }),
      await User.objects.create({ username: "u2" }),
    ];
    for (let i = 0; i < 5; i++) {
      const p = await makeProduct(`p${i}`, { category: c, stock: i });
      for (const u of users) await Review.objects.create({ product: p, user: u, rating: 4 });
    }
    const plan = ProductDetailSerializer.queryPlan();
    expect(plan).toEqual({ selectRelated: ["category"], prefetchRelated: ["reviews"], model: Product });
    const data = await assertNumQueries(2, async () => {
      const rows = await Product.objects
        .selectRelated(...plan.selectRelated)
        .prefetchRelated(...plan.prefetchRelated);
      return ProductDetailSerializer.many({ instance: rows }).data;
    });
    expect(data).toHaveLength(5);
    expect(data[1]).toEqual({
      id: expect.any(Number),
      name: "p1",
      price: "10.00",
      category: { id: c.pk, name: "BOOKS", slug: "books", description: "" },
      reviews: [
        { id: expect.any(Number), user: users[0]!.pk, rating: 4, comment: "" },
        { id: expect.any(Number), user: users[1]!.pk, rating: 4, comment: "" },
      ],
      review_count: 2,
      is_in_stock: true,
    });
  });

  it("depth nests related objects read-only", async () => {
    const c = await makeCategory();
    class Deep extends ModelSerializer.of({ model: Product, fields: ["id", "category"], depth: 1 }) {}
    const p = await makeProduct("pen", { category: c });
    const [row] = await Product.objects.selectRelated("category").filter({ pk: p.pk });
    expect(await new Deep({ instance: row }).data).toEqual({
      id: p.pk,
      category: { id: c.pk, name: "BOOKS", slug: "books", description: "" },
    });
  });

  class OrderItemSerializer extends ModelSerializer.of({
    model: OrderItem,
    fields: ["product_id", "quantity", "price"],
  }) {}

  it("writable nested create: parent and children in one transaction, errors aligned with the items", async () => {
    const user = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    class OrderSerializer extends ModelSerializer.of(
      { model: Order, fields: ["id", "user", "status", "items"] },
      { items: OrderItemSerializer.many({ allowEmpty: false }) },
    ) {}
    const bad = new OrderSerializer({
      data: {
        user: user.pk,
        items: [
          { product_id: p.pk, quantity: 1, price: "1" },
          { product_id: 999, quantity: 0 },
        ],
      },
    });
    await bad.isValid();
    expect(bad.errors).toEqual({
      items: [
        {},
        {
          product_id: ['Invalid pk "999" - object does not exist.'],
          price: ["This field is required."],
        },
      ],
    });
    const empty = new OrderSerializer({ data: { user: user.pk, items: [] } });
    await empty.isValid();
    expect(empty.errors).toEqual({ items: { non_field_errors: ["This list may not be empty."] } });

    const s = new OrderSerializer({
      data: { user: user.pk, status: "pending", items: [{ product_id: p.pk, quantity: 2, price: "10.00" }] },
    });
    await s.isValid({ raiseException: true });
    const order = await s.save();
    const items = await OrderItem.objects.filter({ order: order.pk });
    expect(items.map((i) => [i.product_id, i.quantity, i.price])).toEqual([[p.pk, 2, "10.00"]]);
    const [row] = await Order.objects.prefetchRelated("items").filter({ pk: order.pk });
    expect(await new OrderSerializer({ instance: row }).data).toEqual({
      id: order.pk,
      user: user.pk,
      status: "pending",
      items: [{ product_id: p.pk, quantity: 2, price: "10.00" }],
    });

    // update replaces the nested list
    const upd = new OrderSerializer({
      instance: order,
      data: { items: [{ product_id: p.pk, quantity: 5, price: "9.00" }] },
      partial: true,
    });
    await upd.isValid({ raiseException: true });
    await upd.save();
    expect((await OrderItem.objects.filter({ order: order.pk })).map((i) => i.quantity)).toEqual([5]);
  });

  it("a failing nested write rolls the whole save back", async () => {
    const user = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    class FailingItem extends ModelSerializer.of({
      model: OrderItem,
      fields: ["product_id", "quantity", "price"],
    }) {
      override create(data: this["validatedData"]): never {
        throw new Error(`cannot create ${String(data.quantity)}`);
      }
    }
    class OrderSerializer extends ModelSerializer.of(
      { model: Order, fields: ["user", "items"] },
      { items: new FailingItem({ many: true }) },
    ) {}
    const s = new OrderSerializer({
      data: { user: user.pk, items: [{ product_id: p.pk, quantity: 1, price: "1" }] },
    });
    await s.isValid({ raiseException: true });
    await expect(s.save()).rejects.toThrow("cannot create 1");
    expect(await Order.objects.count()).toBe(0);
  });

  it("the handbook's hand-written OrderSerializer create/update", async () => {
    const user = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    class OrderSerializer extends ModelSerializer.of(
      { model: Order, fields: ["id", "user", "status", "items"] },
      { items: OrderItemSerializer.many() },
    ) {
      override async create({ items, ...data }: this["validatedData"]) {
        return atomic(async () => {
          const order = await Order.objects.create(data as { user: typeof user });
          for (const item of items ?? [])
            await OrderItem.objects.create({ order, ...(item as object) } as never);
          return order;
        });
      }
      override async update(instance: InstanceType<typeof Order>, { items, ...data }: this["validatedData"]) {
        instance.status = data.status ?? instance.status;
        await instance.save();
        if (items !== undefined) {
          await OrderItem.objects.filter({ order: instance }).delete();
          for (const item of items)
            await OrderItem.objects.create({ order: instance, ...(item as object) } as never);
        }
        return instance;
      }
    }
    const s = new OrderSerializer({
      data: { user: user.pk, items: [{ product_id: p.pk, quantity: 1, price: "3.00" }] },
    });
    await s.isValid({ raiseException: true });
    const order = await s.save();
    expect(await OrderItem.objects.filter({ order }).count()).toBe(1);
    const u = new OrderSerializer({ instance: order, data: { status: "completed" }, partial: true });
    await u.isValid({ raiseException: true });
    await u.save();
    expect((await Order.objects.get({ pk: order.pk })).status).toBe("completed");
  });

  it("writable nested reverse one-to-one (PATCH users/me with profile.bio)", async () => {
    class ProfileSerializer extends ModelSerializer.of({ model: Profile, fields: ["bio"] }) {}
    class MeSerializer extends ModelSerializer.of(
      { model: User, fields: ["id", "username", "first_name", "profile"], readOnlyFields: ["username"] },
      { profile: new ProfileSerializer() },
    ) {}
    const user = await User.objects.create({ username: "ann" });
    await Profile.objects.create({ user, bio: "old" });
    const s = new MeSerializer({
      instance: user,
      data: { first_name: "Ann", profile: { bio: "new" } },
      partial: true,
    });
    await s.isValid({ raiseException: true });
    await s.save();
    const [row] = await User.objects.selectRelated("profile").filter({ pk: user.pk });
    expect(await new MeSerializer({ instance: row }).data).toEqual({
      id: user.pk,
      username: "ann",
      first_name: "Ann",
      profile: { bio: "new" },
    });
    expect(await Profile.objects.count()).toBe(1);
  });

  it("nested serializer declared with IntegerField write-only id (handbook BookSerializer)", async () => {
    const c = await makeCategory();
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "name", "category", "category_id"] },
      {
        category: new CategorySerializer({ readOnly: true }),
        category_id: new IntegerField({ writeOnly: true }),
      },
    ) {}
    const s = new S({ data: { name: "pen", category_id: c.pk } });
    await s.isValid({ raiseException: true });
    expect(s.validatedData).toEqual({ name: "pen", category_id: c.pk });
    const p = await s.save({ slug: "pen", price: "1.00" });
    const [row] = await Product.objects.selectRelated("category").filter({ pk: p.pk });
    expect(await new S({ instance: row }).data).toEqual({
      id: p.pk,
      name: "pen",
      category: { id: c.pk, name: "BOOKS", slug: "books", description: "" },
    });
  });
});

describe("handbook Part 3 on the database", () => {
  it("SerializerMethodField and source='get_status_display' (OrderSerializer)", async () => {
    const user = await User.objects.create({ username: "ann", first_name: "Ann", last_name: "Lee" });
    const p = await makeProduct("pen");
    const order = await Order.objects.create({ user, status: "completed" });
    await OrderItem.objects.create({ order, product: p, quantity: 2, price: "1.25" });
    await OrderItem.objects.create({ order, product: p, quantity: 1, price: "0.50" });
    class OrderSerializer extends ModelSerializer.of(
      { model: Order, fields: ["id", "customer_name", "status", "status_display", "total_amount"] },
      {
        total_amount: new SerializerMethodField(v.string(), { reads: { prefetch: ["items"] } }),
        customer_name: new SerializerMethodField(v.string(), { reads: { select: ["user"] } }),
        status_display: new CharField({ source: "get_status_display", readOnly: true }),
      },
    ) {
      async get_total_amount(o: InstanceType<typeof Order>) {
        const items = await o.related<typeof OrderItem>("items").all();
        return decimalSum(items.map((i) => decimalMul(i.price, i.quantity)));
      }
      get_customer_name(o: InstanceType<typeof Order>) {
        return (o.user as unknown as { get_full_name(): string }).get_full_name();
      }
    }
    const plan = OrderSerializer.queryPlan();
    expect(plan).toEqual({ selectRelated: ["user"], prefetchRelated: ["items"], model: Order });
    const data = await assertNumQueries(2, async () => {
      const rows = await Order.objects
        .selectRelated(...plan.selectRelated)
        .prefetchRelated(...plan.prefetchRelated);
      return OrderSerializer.many({ instance: rows }).data;
    });
    expect(data).toEqual([
      {
        id: order.pk,
        customer_name: "Ann Lee",
        status: "completed",
        status_display: "Completed",
        total_amount: "3.00",
      },
    ]);
  });

  it("validate_<field> querying the database, and validate(attrs) (field- and object-level validation)", async () => {
    await makeProduct("Pen");
    class S extends ModelSerializer.of({ model: Product, fields: ["name", "price", "cost", "stock"] }) {
      validate_price(value: string) {
        if (Number(value) <= 0) throw new ValidationError("Price must be positive");
        if (Number(value) > 1000000) throw new ValidationError("Price too high");
        return value;
      }
      async validate_name(value: string) {
        if (await Product.objects.filter({ name__iexact: value }).exists())
          throw new ValidationError("Product with this name already exists");
        return value;
      }
      override validate(data: this["validatedData"]) {
        if (Number(data.price ?? 0) < Number(data.cost ?? 0))
          throw new ValidationError({ price: "Price cannot be less than cost" });
        return data;
      }
    }
    const dup = new S({ data: { name: "PEN", price: "0" } });
    await dup.isValid();
    expect(dup.errors).toEqual({
      name: ["Product with this name already exists"],
      price: ["Price must be positive"],
    });
    const cheap = new S({ data: { name: "Cup", price: "1", cost: "2" } });
    await cheap.isValid();
    expect(cheap.errors).toEqual({ price: ["Price cannot be less than cost"] });
  });

  it("context and request access (is_favorited / can_edit)", async () => {
    const ann = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    await Review.objects.create({ product: p, user: ann, rating: 5 });
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "name", "is_reviewed", "can_edit"] },
      {
        is_reviewed: new SerializerMethodField(v.boolean()),
        can_edit: new SerializerMethodField(v.boolean()),
      },
    ) {
      async get_is_reviewed(obj: InstanceType<typeof Product>) {
        const user = this.context.request?.user as { pk: number } | undefined;
        if (!user) return false;
        return obj.related<typeof Review>("reviews").filter({ user: user.pk }).exists();
      }
      get_can_edit() {
        return (this.context.request?.user as { is_staff?: boolean } | undefined)?.is_staff === true;
      }
    }
    expect(await new S({ instance: p, context: { request: { user: ann } } }).data).toEqual({
      id: p.pk,
      name: "pen",
      is_reviewed: true,
      can_edit: false,
    });
    expect(await new S({ instance: p }).data).toEqual({
      id: p.pk,
      name: "pen",
      is_reviewed: false,
      can_edit: false,
    });
  });

  it("toRepresentation can be overridden (to_representation optimisation)", async () => {
    const p = await makeProduct("pen");
    class S extends ModelSerializer.of({ model: Product, fields: ["id", "name"] }) {
      override async toRepresentation(instance: unknown, context?: SerializerContext) {
        const base = await super.toRepresentation(instance, context);
        return { ...base, name: base.name.toUpperCase() };
      }
    }
    expect(await new S({ instance: p }).data).toEqual({ id: p.pk, name: "PEN" });
    expect(await S.many({ instance: [p] }).data).toEqual([{ id: p.pk, name: "PEN" }]);
  });

  it("array fields key child errors by index; JSON fields take any JSON", async () => {
    class S extends ModelSerializer.of({
      model: Product,
      fields: ["name", "slug", "price", "tags", "metadata"],
    }) {}
    const bad = new S({ data: { name: "a", slug: "a", price: "1", tags: ["ok", "x".repeat(51)] } });
    await bad.isValid();
    expect(bad.errors).toEqual({ tags: { "1": ["Ensure this field has no more than 50 characters."] } });
    const ok = new S({
      data: { name: "a", slug: "a", price: "1", tags: ["red", "blue"], metadata: { a: [1] } },
    });
    await ok.isValid({ raiseException: true });
    const p = await ok.save();
    const row = await Product.objects.get({ pk: p.pk });
    expect(row.tags).toEqual(["red", "blue"]);
    expect(await new S({ instance: row }).data).toEqual({
      name: "a",
      slug: "a",
      price: "1.00",
      tags: ["red", "blue"],
      metadata: { a: [1] },
    });
  });

  it("image uploads are checked, stored through the storage and rendered as URLs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ser-"));
    configureStorage(new FileSystemStorage({ location: dir, baseUrl: "/media/" }));
    class S extends ModelSerializer.of({
      model: Product,
      fields: ["id", "name", "slug", "price", "image"],
    }) {}
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    const bad = new S({
      data: {
        name: "a",
        slug: "a",
        price: "1",
        image: { name: "a.txt", size: 2, bytes: new Uint8Array([1, 2]) },
      },
    });
    await bad.isValid();
    expect(bad.errors).toEqual({
      image: ["Upload a valid image. The file you uploaded was either not an image or a corrupted image."],
    });
    const s = new S({
      data: { name: "a", slug: "a", price: "1", image: { name: "photo.png", size: 6, bytes: png } },
    });
    await s.isValid({ raiseException: true });
    const p = await s.save();
    expect(p.image).toBe("products/photo.png");
    expect(await readFile(join(dir, "products/photo.png"))).toEqual(Buffer.from(png));
    expect((await new S({ instance: p }).data).image).toBe("/media/products/photo.png");
  });
});

const decimalMul = (a: string, n: number) => decimal.mul(a, n);
const decimalSum = (xs: string[]) => decimal.sum(xs, 2);

describe("hidden fields with model validators", () => {
  it("CurrentUserDefault fills the user of a unique_together pair", async () => {
    const ann = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    class AddReview extends ModelSerializer.of(
      { model: Review, fields: ["user", "product", "rating"] },
      { user: new HiddenField({ default: new CurrentUserDefault() }) },
    ) {}
    const context = { request: { user: ann } };
    const first = new AddReview({ data: { product: p.pk, rating: 5 }, context });
    await first.isValid({ raiseException: true });
    const review = await first.save();
    expect(review.user_id).toBe(ann.pk);
    expect(await first.data).toEqual({ product: p.pk, rating: 5 });
    const again = new AddReview({ data: { product: p.pk, rating: 1 }, context });
    await again.isValid();
    expect(again.errors).toEqual({ non_field_errors: ["The fields user, product must make a unique set."] });
  });
});

describe("writable nested forward relation", () => {
  class CategoryWrite extends ModelSerializer.of({ model: Category, fields: ["name", "slug"] }) {}
  class ProductWithCategory extends ModelSerializer.of(
    { model: Product, fields: ["id", "name", "slug", "price", "category"] },
    { category: new CategoryWrite() },
  ) {}

  it("creates the related object first, then updates it in place", async () => {
    await makeCategory("other"); // so the product's and the category's pks differ
    const s = new ProductWithCategory({
      data: { name: "pen", slug: "pen", price: "1", category: { name: "Office", slug: "office" } },
    });
    await s.isValid({ raiseException: true });
    const p = await s.save();
    const c = await Category.objects.get({ slug: "office" });
    expect(p.category_id).toBe(c.pk);
    const u = new ProductWithCategory({
      instance: p,
      data: { category: { name: "Desk", slug: "office" } },
      partial: true,
    });
    await u.isValid({ raiseException: true });
    await u.save();
    expect(await Category.objects.count()).toBe(2);
    expect((await Category.objects.get({ pk: c.pk })).name).toBe("Desk");
    const bad = new ProductWithCategory({
      data: { name: "a", slug: "a", price: "1", category: { name: "" } },
    });
    await bad.isValid();
    expect(bad.errors).toEqual({
      category: { name: ["This field may not be blank."], slug: ["This field is required."] },
    });
  });
});

describe("related lookups are batched", () => {
  it("a list of items with a product pk each validates with one query", async () => {
    const products = [];
    for (let i = 0; i < 5; i++) products.push(await makeProduct(`p${i}`));
    class ItemSerializer extends ModelSerializer.of({
      model: OrderItem,
      fields: ["product", "quantity", "price"],
    }) {}
    const data = products.map((p) => ({ product: p.pk, quantity: 1, price: "1.00" }));
    data.push({ product: 999, quantity: 1, price: "1.00" });
    const s = ItemSerializer.many({ data });
    const { queries } = await captureQueries(() => s.isValid());
    expect(queries).toHaveLength(1);
    expect(s.errors).toEqual([
      {},
      {},
      {},
      {},
      {},
      { product: ['Invalid pk "999" - object does not exist.'] },
    ]);
  });
});

describe("Meta checks", () => {
  it("a declared field missing from `fields` is an error (DRF's assertion)", () => {
    class Forgot extends ModelSerializer.of(
      { model: Category, fields: ["id"] },
      { extra: new IntegerField({ readOnly: true }) },
    ) {}
    expect(() => Forgot.getPlan()).toThrow(
      "The field 'extra' was declared on serializer Forgot, but has not been included in the 'fields' option.",
    );
  });
});

describe("bulk create", () => {
  it("plain rows go in with one INSERT, with defaults and auto timestamps", async () => {
    const c = await makeCategory();
    class S extends ModelSerializer.of({
      model: Product,
      fields: ["id", "name", "slug", "price", "category", "created_at"],
    }) {}
    const s = S.many({
      data: [
        { name: "a", slug: "a", price: "1", category: c.pk },
        { name: "b", slug: "b", price: "2.5", category: null },
      ],
    });
    await s.isValid({ raiseException: true });
    const { queries, result } = await captureQueries(() => s.save());
    expect(queries.filter((q) => /^\s*insert/i.test(q.sql))).toHaveLength(1);
    expect(result.map((p) => p.pk)).toEqual([expect.any(Number), expect.any(Number)]);
    const rows = await Product.objects.orderBy("slug");
    expect(rows.map((p) => [p.slug, p.price, p.stock, p.category_id])).toEqual([
      ["a", "1.00", 0, c.pk],
      ["b", "2.50", 0, null],
    ]);
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
    const data = await s.data;
    expect(data[1]).toEqual({
      id: rows[1]!.pk,
      name: "b",
      slug: "b",
      price: "2.50",
      category: null,
      created_at: expect.stringMatching(/Z$/),
    });
  });
});

describe("writable nested list update (drf-writable-nested rules)", () => {
  it("items with an id update that row, items without are created, rows left out are deleted", async () => {
    const user = await User.objects.create({ username: "ann" });
    const p = await makeProduct("pen");
    class ItemSerializer extends ModelSerializer.of({
      model: OrderItem,
      fields: ["id", "product", "quantity", "price"],
      readOnlyFields: ["id"],
    }) {}
    class OrderSerializer extends ModelSerializer.of(
      { model: Order, fields: ["id", "user", "items"] },
      { items: ItemSerializer.many() },
    ) {}
    const order = await Order.objects.create({ user });
    const keep = await OrderItem.objects.create({ order, product: p, quantity: 1, price: "1.00" });
    const drop = await OrderItem.objects.create({ order, product: p, quantity: 2, price: "1.00" });
    const s = new OrderSerializer({
      instance: order,
      data: {
        items: [
          { id: keep.pk, product: p.pk, quantity: 7, price: "1.00" },
          { product: p.pk, quantity: 3, price: "2.00" },
        ],
      },
      partial: true,
    });
    await s.isValid({ raiseException: true });
    await s.save();
    const rows = await OrderItem.objects.filter({ order: order.pk }).orderBy("id");
    expect(rows.map((r) => [r.pk === keep.pk, r.quantity])).toEqual([
      [true, 7],
      [false, 3],
    ]);
    expect(await OrderItem.objects.filter({ pk: drop.pk }).exists()).toBe(false);

    const bad = new OrderSerializer({
      instance: order,
      data: { items: [{ id: 9999, product: p.pk, quantity: 1, price: "1.00" }] },
      partial: true,
    });
    await bad.isValid({ raiseException: true });
    const e = (await bad.save().catch((x: unknown) => x)) as ValidationError;
    expect(e.detail).toEqual({ items: ['Invalid pk "9999" - object does not exist.'] });
    expect(await OrderItem.objects.filter({ order: order.pk }).count()).toBe(2); // rolled back
  });
});

describe("dotted sources", () => {
  it("a writable dotted source needs an explicit create() (DRF's assertion)", async () => {
    class S extends ModelSerializer.of(
      { model: Product, fields: ["name", "slug", "price", "category_name"] },
      { category_name: new CharField({ source: "category.name" }) },
    ) {}
    const s = new S({ data: { name: "a", slug: "a", price: "1", category_name: "X" } });
    await s.isValid({ raiseException: true });
    expect(s.validatedData).toEqual({ name: "a", slug: "a", price: "1.00", category: { name: "X" } });
    await expect(s.save()).rejects.toThrow("does not support writable dotted-source fields");
  });
});

describe("relation fields with many=True on the database", () => {
  it("slug, string and hyperlinked lists read a prefetched relation", async () => {
    const c = await makeCategory();
    await makeProduct("pen", { category: c });
    await makeProduct("cup", { category: c });
    const reverse: Reverse = (view, kwargs) => `http://t/${view}/${String(kwargs?.pk)}/`;
    class S extends ModelSerializer.of(
      { model: Category, fields: ["slug", "product_slugs", "product_names", "product_urls"] },
      {
        product_slugs: new SlugRelatedField({
          slugField: "slug",
          many: true,
          readOnly: true,
          source: "products",
        }),
        product_names: new StringRelatedField({ many: true, source: "products" }),
        product_urls: new HyperlinkedRelatedField({
          viewName: "product-detail",
          many: true,
          readOnly: true,
          source: "products",
        }),
      },
    ) {}
    expect(S.queryPlan()).toEqual({
      selectRelated: [],
      prefetchRelated: ["products"],
      only: ["id", "slug"],
      model: Category,
    });
    const data = await assertNumQueries(2, async () => {
      const rows = await Category.objects.prefetchRelated(...S.queryPlan().prefetchRelated);
      return S.many({ instance: rows, context: { reverse } }).data;
    });
    const ids = (await Product.objects.orderBy("id")).map((p) => p.pk);
    expect(data).toEqual([
      {
        slug: "books",
        product_slugs: ["pen", "cup"],
        product_names: ["pen", "cup"],
        product_urls: ids.map((id) => `http://t/product-detail/${id}/`),
      },
    ]);
    expect(S.jsonSchema({ mode: "read" })).toEqual({
      type: "object",
      properties: {
        slug: { type: "string", pattern: "^[-a-zA-Z0-9_]+$", minLength: 1, maxLength: 50 },
        product_slugs: { type: "array", items: { type: "string" }, readOnly: true },
        product_names: { type: "array", items: { type: "string" }, readOnly: true },
        product_urls: { type: "array", items: { type: "string", format: "uri" }, readOnly: true },
      },
      required: ["slug", "product_slugs", "product_names", "product_urls"],
    });
  });
});

describe("types flow from the model", () => {
  it("validatedData is the model's create input for the listed fields (no casts)", async () => {
    class S extends ModelSerializer.of({ model: Category, fields: ["id", "name", "slug", "description"] }) {
      override create(data: this["validatedData"]) {
        return Category.objects.create(data);
      }
    }
    const s = new S({ data: { name: "Books", slug: "books" } });
    await s.isValid({ raiseException: true });
    expectTypeOf(s.validatedData).toEqualTypeOf<{ name: string; slug: string; description?: string }>();
    const c = await s.save();
    expectTypeOf(c).toEqualTypeOf<InstanceType<typeof Category>>();
    expect((await Category.objects.get({ pk: c.pk })).name).toBe("Books");
  });
});

describe("unique checks are batched on create", () => {
  it("a list of new rows checks a unique field with one query", async () => {
    await makeCategory("taken");
    class C extends ModelSerializer.of({ model: Category, fields: ["name", "slug"] }) {}
    const s = C.many({
      data: [
        { name: "A", slug: "a" },
        { name: "T", slug: "taken" },
        { name: "B", slug: "b" },
      ],
    });
    const { queries } = await captureQueries(() => s.isValid());
    expect(queries).toHaveLength(1);
    expect(s.errors).toEqual([{}, { slug: ["category with this slug already exists."] }, {}]);
  });
});

describe("read types of declared read-only fields", () => {
  it("an untyped ReadOnlyField takes the model attribute's type", async () => {
    class S extends ModelSerializer.of(
      { model: Product, fields: ["id", "is_in_stock", "stock"] },
      { is_in_stock: new ReadOnlyField() },
    ) {}
    const p = await makeProduct("pen", { stock: 2 });
    const data = await new S({ instance: p }).data;
    expectTypeOf(data).toEqualTypeOf<{ id: number; is_in_stock: boolean; stock: number }>();
    expect(data).toEqual({ id: p.pk, is_in_stock: true, stock: 2 });
  });
});
