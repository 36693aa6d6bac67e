// Loads the real shared fixture (2,500 objects) through stand-in models with the shop's fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArrayField,
  BooleanField,
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DateTimeField,
  DecimalField,
  defineModel,
  dumpData,
  EmailField,
  ForeignKey,
  ImageField,
  IntegerField,
  JSONField,
  loadData,
  ManyToManyField,
  OneToOneField,
  PositiveIntegerField,
  SlugField,
  type TestDatabase,
  TextField,
} from "../src/index.js";

// The repository copy of the shared fixture (apps/shop-api loads the same file).
const SHOP_JSON = new URL("../../../apps/shop-api/fixtures/shop.json", import.meta.url).pathname;

const Permission = defineModel("auth.Permission", {
  fields: {
    codename: CharField({ maxLength: 100 }),
    app_label: CharField({ maxLength: 100 }),
    model: CharField({ maxLength: 100 }),
  },
  querySet: {
    getByNaturalKey(codename: string, appLabel: string, model: string) {
      return this.get({ codename, app_label: appLabel, model });
    },
  },
});
const Group = defineModel("auth.Group", {
  fields: {
    name: CharField({ maxLength: 150, unique: true }),
    permissions: ManyToManyField(() => Permission, { blank: true }),
  },
});
const User = defineModel("users.User", {
  fields: {
    password: CharField({ maxLength: 128 }),
    last_login: DateTimeField({ null: true }),
    is_superuser: BooleanField({ default: false }),
    username: CharField({ maxLength: 150, unique: true }),
    first_name: CharField({ maxLength: 150, blank: true }),
    last_name: CharField({ maxLength: 150, blank: true }),
    email: EmailField({ maxLength: 254, blank: true }),
    is_staff: BooleanField({ default: false }),
    is_active: BooleanField({ default: true }),
    date_joined: DateTimeField(),
    groups: ManyToManyField(() => Group, { blank: true }),
    user_permissions: ManyToManyField(() => Permission, { blank: true }),
  },
});
const Profile = defineModel("users.Profile", {
  fields: {
    user: OneToOneField(() => User, { onDelete: CASCADE }),
    bio: TextField({ blank: true }),
    avatar: ImageField({ null: true, blank: true }),
  },
});
const Category = defineModel("products.Category", {
  fields: {
    name: CharField({ maxLength: 100 }),
    slug: SlugField({ unique: true }),
    description: TextField({ blank: true }),
  },
});
const Product = defineModel("products.Product", {
  fields: {
    created_at: DateTimeField({ autoNowAdd: true }),
    updated_at: DateTimeField({ autoNow: true }),
    is_deleted: BooleanField({ default: false }),
    deleted_at: DateTimeField({ null: true }),
    name: CharField({ maxLength: 200 }),
    slug: SlugField({ maxLength: 200, unique: true }),
    description: TextField({ blank: true }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    cost: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    discount_percentage: IntegerField({ default: 0 }),
    stock: PositiveIntegerField({ default: 0 }),
    tags: ArrayField(CharField({ maxLength: 50 }), { default: () => [] }),
    metadata: JSONField({ default: () => ({}) }),
    category: ForeignKey(() => Category, { onDelete: CASCADE }),
    is_featured: BooleanField({ default: false }),
    created_by: ForeignKey(() => User, { onDelete: CASCADE, null: true, relatedName: "created_products" }),
    favorited_by: ManyToManyField(() => User, { blank: true, relatedName: "favorites" }),
  },
});
const Review = defineModel("products.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE }),
    user: ForeignKey(() => User, { onDelete: CASCADE }),
    rating: IntegerField(),
    comment: TextField({ blank: true }),
    created_at: DateTimeField({ autoNowAdd: true }),
  },
});
const Order = defineModel("orders.Order", {
  fields: {
    created_at: DateTimeField({ autoNowAdd: true }),
    updated_at: DateTimeField({ autoNow: true }),
    user: ForeignKey(() => User, { onDelete: CASCADE }),
    status: CharField({ maxLength: 20 }),
  },
});
const OrderItem = defineModel("orders.OrderItem", {
  fields: {
    order: ForeignKey(() => Order, { onDelete: CASCADE, relatedName: "items" }),
    product: ForeignKey(() => Product, { onDelete: CASCADE }),
    quantity: PositiveIntegerField(),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  },
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({
    models: [Permission, Group, User, Profile, Category, Product, Review, Order, OrderItem],
  });
  for (const action of ["add", "change", "delete", "view"]) {
    await Permission.objects.create({
      codename: `${action}_product`,
      app_label: "products",
      model: "product",
    });
  }
});
afterAll(async () => {
  await tdb.close();
});

describe("the shared shop fixture", () => {
  it("loads in one transaction with a bounded number of queries, and dumps back the same", async () => {
    const { result, queries } = await captureQueries(() => loadData(SHOP_JSON));
    expect(result.objectCount).toBe(2506);
    // Batched: the count depends on models and chunks, not on the 2,506 rows.
    expect(queries.length).toBeLessThan(80);
    expect(await Product.objects.count()).toBe(500);
    expect(await OrderItem.objects.count()).toBe(476);
    const manager = await User.objects.get({ username: "manager" });
    expect(await Group.objects.filter({ user__id: manager.id }).valuesList("name", { flat: true })).toEqual([
      "Catalog managers",
    ]);
    expect(await Permission.objects.filter({ group__name: "Catalog managers" }).count()).toBe(4);
    const first = await Product.objects.get({ pk: 1 });
    expect(first.price).toBe("292.01");
    expect(first.created_at).toEqual(new Date("2026-01-07T22:47:00Z"));
    // The next insert continues after the fixture's pks.
    const order = await Order.objects.create({ user: manager, status: "pending" });
    expect(order.id).toBe(201);

    const dumped = await dumpData(["products.category", "products.product"]);
    const original = (await import(SHOP_JSON, { with: { type: "json" } })).default as {
      model: string;
      pk: number;
      fields: Record<string, unknown>;
    }[];
    const originalProduct = original.find((o) => o.model === "products.product" && o.pk === 1)!;
    expect(dumped.find((o) => o.model === "products.product" && o.pk === 1)!.fields).toEqual(
      originalProduct.fields,
    );
  });
});
