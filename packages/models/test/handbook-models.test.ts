import { describe, expect, it } from "vitest";
import { F, FieldError, IntegrityError, ProtectedError, ValidationError } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Category, CategoryChoices, Customer, Order, OrderItem, Product } from "./support/shop.js";

useTestDatabase(allModels);

describe("abstract bases: TimeStamped + SoftDelete", () => {
  it("sets created_at on insert and updated_at on every save", async () => {
    const p = await Product.objects.create({ name: "Phone", slug: "phone", price: "199.00" });
    expect(p.created_at).toBeInstanceOf(Date);
    expect(p.updated_at).toBeInstanceOf(Date);
    const created = p.created_at.getTime();
    await new Promise((r) => setTimeout(r, 5));
    p.stock = 3;
    await p.save();
    const fresh = await Product.objects.get({ pk: p.id });
    expect(fresh.created_at.getTime()).toBe(created);
    expect(fresh.updated_at.getTime()).toBeGreaterThan(created);
    expect(fresh.stock).toBe(3);
  });

  it("inherits the base ordering (-created_at)", async () => {
    const a = await Product.objects.create({ name: "A", slug: "a", price: "1.00" });
    await new Promise((r) => setTimeout(r, 5));
    const b = await Product.objects.create({ name: "B", slug: "b", price: "1.00" });
    expect(Product.meta.ordering).toEqual(["-created_at"]);
    expect((await Product.objects.all()).map((p) => p.id)).toEqual([b.id, a.id]);
  });

  it("soft-deletes through the overridden delete() and really deletes with hardDelete()", async () => {
    const p = await Product.objects.create({ name: "Old", slug: "old", price: "5.00" });
    await Product.objects.create({ name: "New", slug: "new", price: "5.00" });
    await p.delete();
    expect(p.is_deleted).toBe(true);
    expect(p.deleted_at).toBeInstanceOf(Date);
    expect(await Product.objects.count()).toBe(2);
    expect((await Product.active.all()).map((x) => x.slug)).toEqual(["new"]);
    await p.hardDelete();
    expect(await Product.objects.filter({ slug: "old" }).exists()).toBe(false);
  });
});

describe("managers and custom QuerySet methods", () => {
  it("Product.active filters, custom methods chain from managers and querysets", async () => {
    await Product.objects.create({ name: "A", slug: "a", price: "1.00", stock: 2 });
    await Product.objects.create({ name: "B", slug: "b", price: "1.00", stock: 0 });
    await Product.objects.create({ name: "C", slug: "c", price: "1.00", stock: 5, is_deleted: true });
    expect(await Product.active.count()).toBe(2);
    expect((await Product.active.inStock()).map((p) => p.slug)).toEqual(["a"]);
    expect((await Product.objects.inStock().orderBy("name")).map((p) => p.slug)).toEqual(["a", "c"]);
    expect((await Product.objects.orderBy("name").inStock().filter({ slug: "c" })).length).toBe(1);
  });
});

describe("Product with every field kind", () => {
  it("round-trips arrays, JSON, choices, decimals and defaults", async () => {
    const cat = await Category.objects.create({ name: "Phones" });
    const p = await Product.objects.create({
      name: "Phone",
      slug: "phone",
      price: "616.5",
      tags: ["new", "sale"],
      metadata: { color: "black", sizes: [1, 2] },
      kind: CategoryChoices.BOOKS,
      category: cat,
      image: "products/2024/01/02/p.png",
    });
    const got = await Product.objects.get({ slug: "phone" });
    expect(got.price).toBe("616.50");
    expect(got.cost).toBe("0.00");
    expect(got.tags).toEqual(["new", "sale"]);
    expect(got.metadata).toEqual({ color: "black", sizes: [1, 2] });
    expect(got.kind).toBe("BOOK");
    expect(got.getDisplay("kind")).toBe("Books");
    expect(got.category_id).toBe(cat.id);
    expect(got.discount_percentage).toBe(0);
    expect(got.image).toBe("products/2024/01/02/p.png");
    expect(String(got)).toBe("Phone");
    expect(p.is_in_stock).toBe(false);
    got.stock = 2;
    expect(got.is_in_stock).toBe(true);
  });

  it("describes every field in meta", () => {
    const price = Product.meta.getField("price");
    expect(price.type).toBe("DecimalField");
    expect(price.maxDigits).toBe(10);
    expect(price.decimalPlaces).toBe(2);
    expect(Product.meta.getField("name").helpText).toBe("Product name");
    expect(Product.meta.getField("name").maxLength).toBe(200);
    expect(Product.meta.getField("slug").unique).toBe(true);
    expect(Product.meta.getField("created_at").autoNowAdd).toBe(true);
    expect(Product.meta.getField("created_at").editable).toBe(false);
    expect(Product.meta.getField("stock").hasDefault).toBe(true);
    expect(Product.meta.getField("stock").getDefault()).toBe(0);
    expect(Product.meta.getField("tags").getDefault()).toEqual([]);
    expect(Product.meta.getField("kind").choices).toEqual([
      ["ELEC", "Electronics"],
      ["CLTH", "Clothing"],
      ["BOOK", "Books"],
    ]);
    const category = Product.meta.getField("category");
    expect(category.type).toBe("ForeignKey");
    expect(category.attname).toBe("category_id");
    expect(category.column).toBe("category_id");
    expect(category.relatedModel?.()).toBe(Category);
    expect(category.relatedName).toBe("products");
    expect(category.onDelete).toBe("PROTECT");
    expect(Product.meta.pk.name).toBe("id");
    expect(Product.meta.dbTable).toBe("products");
    expect(Product.meta.label).toBe("shop.Product");
    expect(Category.meta.verboseNamePlural).toBe("categories");
    expect(() => Product.meta.getField("nope")).toThrow(FieldError);
    expect(() => Product.meta.getField("nope")).toThrow(/Choices are: .*price/);
  });

  it("rejects unknown constructor arguments", () => {
    expect(() => new Product({ nme: "x" } as never)).toThrow(/unexpected keyword argument 'nme'/);
  });
});

describe("Order methods and properties", () => {
  it("cancel() changes status and refuses completed orders", async () => {
    const u = await Customer.objects.create({ username: "ann" });
    const o = await Order.objects.create({ user: u });
    expect(o.getDisplay("status")).toBe("Pending");
    await o.cancel();
    expect((await Order.objects.get({ pk: o.id })).status).toBe("cancelled");
    const done = await Order.objects.create({ user: u, status: "completed" });
    await expect(done.cancel()).rejects.toThrow("Cannot cancel completed orders");
  });

  it("total_amount as a sum of item subtotals from prefetched items", async () => {
    const u = await Customer.objects.create({ username: "bob" });
    const p = await Product.objects.create({ name: "P", slug: "p", price: "10.00" });
    const o = await Order.objects.create({ user: u });
    await OrderItem.objects.create({ order: o, product: p, quantity: 2, price: "10.25" });
    await OrderItem.objects.create({ order: o, product: p, quantity: 1, price: "3.10" });
    const [loaded] = await Order.objects.prefetchRelated("items");
    const items = await loaded!.related<typeof OrderItem>("items").all();
    expect(items.map((i) => i.subtotal)).toEqual(["20.50", "3.10"]);
  });
});

describe("validation (full_clean)", () => {
  it("reports the handbook's price < cost error on the price field", async () => {
    const p = new Product({ name: "X", slug: "x", price: "5.00", cost: "7.00" });
    const err = await p.fullClean().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).messageDict).toEqual({ price: ["Price cannot be less than cost"] });
  });

  it("collects field errors: max_length, choices, validators, decimal digits, blank", async () => {
    const p = new Product({
      name: "x".repeat(201),
      slug: "not a slug",
      price: "123456789.00",
      discount_percentage: 150,
      kind: "NOPE",
    });
    const err = (await p.fullClean().catch((e: unknown) => e)) as ValidationError;
    expect(err.messageDict.name).toEqual(["Ensure this value has at most 200 characters (it has 201)."]);
    expect(err.messageDict.slug?.[0]).toMatch(/slug/);
    expect(err.messageDict.price).toEqual([
      "Ensure that there are no more than 8 digits before the decimal point.",
    ]);
    expect(err.messageDict.discount_percentage).toEqual(["Ensure this value is less than or equal to 100."]);
    expect(err.messageDict.kind).toEqual(['Value "NOPE" is not a valid choice.']);
    const blank = new Customer({ username: "" });
    const e2 = (await blank.fullClean().catch((e: unknown) => e)) as ValidationError;
    expect(e2.messageDict).toEqual({ username: ["This field cannot be blank."] });
  });

  it("validate_unique reports duplicates by field", async () => {
    await Product.objects.create({ name: "A", slug: "dup", price: "1.00" });
    const p = new Product({ name: "B", slug: "dup", price: "1.00" });
    const err = (await p.fullClean().catch((e: unknown) => e)) as ValidationError;
    expect(err.messageDict).toEqual({ slug: ["Product with this Slug already exists."] });
  });

  it("database constraints surface as IntegrityError", async () => {
    await Product.objects.create({ name: "A", slug: "same", price: "1.00" });
    const err = await Product.objects
      .create({ name: "B", slug: "same", price: "1.00" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).constraint).toMatch(/slug/);
  });
});

describe("save options", () => {
  it("update_fields writes only the named columns", async () => {
    const p = await Product.objects.create({ name: "A", slug: "a", price: "1.00" });
    await Product.objects.filter({ pk: p.id }).update({ stock: 9 });
    p.price = "2.00";
    await p.save({ updateFields: ["price"] });
    const fresh = await Product.objects.get({ pk: p.id });
    expect(fresh.price).toBe("2.00");
    expect(fresh.stock).toBe(9);
  });

  it("saving an F() expression updates in the database", async () => {
    const p = await Product.objects.create({ name: "A", slug: "a", price: "1.00", stock: 5 });
    (p as { stock: unknown }).stock = F("stock").add(2);
    await p.save({ updateFields: ["stock"] });
    await p.refreshFromDb();
    expect(p.stock).toBe(7);
  });

  it("PROTECT blocks deleting a category with products", async () => {
    const c = await Category.objects.create({ name: "C" });
    await Product.objects.create({ name: "A", slug: "a", price: "1.00", category: c });
    const err = await c.delete().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtectedError);
    expect((err as ProtectedError).protectedObjects).toHaveLength(1);
    expect(await Category.objects.count()).toBe(1);
  });
});
