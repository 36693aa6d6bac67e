import { describe, expect, it } from "vitest";
import { defineProxy } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Product } from "./support/shop.js";

const CheapProduct = defineProxy("shop.CheapProduct", Product, {
  meta: { ordering: ["price"] },
  managers: { bargains: (qs) => qs.filter({ price__lt: "10.00" }) },
  methods: {
    label(): string {
      return `${this.name} (${this.price})`;
    },
  },
});

useTestDatabase(allModels);

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
