import { describe, expect, it } from "vitest";
import { defineChild, defineProxy, URLField } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Category, Product } from "./support/shop.js";

const CheapProduct = defineProxy("shop.CheapProduct", Product, {
  meta: { ordering: ["price"] },
  managers: { bargains: (qs) => qs.filter({ price__lt: "10.00" }) },
  methods: {
    label(): string {
      return `${this.name} (${this.price})`;
    },
  },
});

const DigitalProduct = defineChild("shop.DigitalProduct", Product, {
  fields: { download_url: URLField({ maxLength: 300 }) },
});

useTestDatabase([...allModels, DigitalProduct]);

describe("proxy models", () => {
  it("share the parent's table, add managers, ordering and methods", async () => {
    await Product.objects.create({ name: "a", slug: "a", price: "20.00", stock: 1 });
    await Product.objects.create({ name: "b", slug: "b", price: "5.00" });
    expect(CheapProduct.meta.dbTable).toBe("products");
    expect(CheapProduct.meta.proxy).toBe(true);
    expect(CheapProduct.meta.label).toBe("shop.CheapProduct");
    expect((await CheapProduct.objects.all()).map((p) => p.slug)).toEqual(["b", "a"]);
    const [bargain] = await CheapProduct.bargains;
    expect(bargain!.label()).toBe("b (5.00)");
    expect(bargain).toBeInstanceOf(Product);
    expect(bargain!.is_in_stock).toBe(false);
    expect((await CheapProduct.objects.inStock()).map((p) => p.slug)).toEqual(["a"]);
    const c = await CheapProduct.objects.create({ name: "c", slug: "c", price: "1.00" });
    expect(await Product.objects.filter({ pk: c.id }).exists()).toBe(true);
    await expect(CheapProduct.objects.get({ slug: "zz" })).rejects.toBeInstanceOf(Product.DoesNotExist);
  });
});

describe("multi-table inheritance", () => {
  it("stores parent fields in the parent table, reads and filters them from the child", async () => {
    const cat = await Category.objects.create({ name: "ebooks" });
    const e = await DigitalProduct.objects.create({
      name: "E-book",
      slug: "ebook",
      price: "9.99",
      category: cat,
      download_url: "https://example.com/e.pdf",
    });
    expect(e.pk).toBe(e.id);
    expect((e as unknown as Record<string, unknown>).product_ptr_id).toBe(e.id);
    // the parent row exists and is a plain Product
    const asProduct = await Product.objects.get({ slug: "ebook" });
    expect(asProduct.price).toBe("9.99");
    const got = await DigitalProduct.objects
      .selectRelated("category")
      .get({ name__icontains: "e-book", price__lt: "10" });
    expect(got.download_url).toBe("https://example.com/e.pdf");
    expect(got.category?.name).toBe("ebooks");
    expect(got.is_in_stock).toBe(false);
    expect(got).toBeInstanceOf(Product);
    expect(await DigitalProduct.objects.orderBy("-price").values("slug", "download_url")).toEqual([
      { slug: "ebook", download_url: "https://example.com/e.pdf" },
    ]);
    got.price = "12.00";
    got.download_url = "https://example.com/v2.pdf";
    await got.save();
    const fresh = await DigitalProduct.objects.get({ pk: got.pk });
    expect([fresh.price, fresh.download_url]).toEqual(["12.00", "https://example.com/v2.pdf"]);
    expect(
      await DigitalProduct.objects.filter({ slug: "ebook" }).update({ stock: 4, download_url: "x" }),
    ).toBe(1);
    expect((await Product.objects.get({ slug: "ebook" })).stock).toBe(4);
    expect(await Product.objects.filter({ digitalproduct__download_url: "x" }).count()).toBe(1);
    await Product.objects.create({ name: "plain", slug: "plain", price: "1.00" });
    expect(await DigitalProduct.objects.count()).toBe(1);
    await fresh.hardDelete();
    expect(await Product.objects.count()).toBe(1);
    expect(await DigitalProduct.objects.count()).toBe(0);
  });

  it("deleting the parent deletes the child", async () => {
    const e = await DigitalProduct.objects.create({ name: "E", slug: "e", price: "1.00", download_url: "u" });
    const parent = await Product.objects.get({ pk: e.id });
    await parent.hardDelete();
    expect(await DigitalProduct.objects.count()).toBe(0);
  });
});
