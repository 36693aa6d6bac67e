// Type-level tests: tsc checks these (the package typecheck covers test/); the runtime part keeps vitest honest.
import { describe, expectTypeOf, it } from "vitest";
import type { CreateInput, FilterOf, InstanceOf, RowOf } from "../src/index.js";
import { type Author, type Book, Category, Product } from "./support/shop.js";

type ProductI = InstanceOf<typeof Product>;
type BookI = InstanceOf<typeof Book>;
type BookFields = (typeof Book)["fieldSpecs"];
type ProductFields = (typeof Product)["fieldSpecs"];

describe("inferred types", () => {
  it("rows: field values, FK attnames, nullability, methods and getters", () => {
    expectTypeOf<ProductI["price"]>().toEqualTypeOf<string>();
    expectTypeOf<ProductI["stock"]>().toEqualTypeOf<number>();
    expectTypeOf<ProductI["created_at"]>().toEqualTypeOf<Date>();
    expectTypeOf<ProductI["deleted_at"]>().toEqualTypeOf<Date | null>();
    expectTypeOf<ProductI["tags"]>().toEqualTypeOf<string[]>();
    expectTypeOf<ProductI["category_id"]>().toEqualTypeOf<number | null>();
    expectTypeOf<ProductI["is_in_stock"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ProductI["id"]>().toEqualTypeOf<number>();
    expectTypeOf<BookI["author_id"]>().toEqualTypeOf<number>();
    expectTypeOf<BookI["author"]>().toEqualTypeOf<InstanceOf<typeof Author>>();
    expectTypeOf<BookI["editor"]>().toEqualTypeOf<InstanceOf<typeof Author> | null>();
    expectTypeOf<RowOf<BookFields>>().toHaveProperty("sales");
    expectTypeOf<ProductI["hardDelete"]>().toBeFunction();
  });

  it("create input: required fields, optional defaults, FK by instance or id", () => {
    expectTypeOf<{ name: string; slug: string; price: string }>().toMatchTypeOf<CreateInput<ProductFields>>();
    expectTypeOf<{ title: string; author_id: number }>().toMatchTypeOf<CreateInput<BookFields>>();
    // @ts-expect-error price is required
    const missing: CreateInput<ProductFields> = { name: "x", slug: "x" };
    // @ts-expect-error misspelled field
    const typo: CreateInput<ProductFields> = { name: "x", slug: "x", price: "1", prcie: "1" };
    void missing;
    void typo;
  });

  it("filters: field keys, lookups with typed values; misspelled fields are compile errors", () => {
    expectTypeOf<{ price__gte: string; name__icontains: string }>().toMatchTypeOf<FilterOf<ProductFields>>();
    expectTypeOf<{ stock__in: number[] }>().toMatchTypeOf<FilterOf<ProductFields>>();
    expectTypeOf<{ category__name__icontains: string }>().toMatchTypeOf<FilterOf<ProductFields>>();
    const typed = () => {
      // @ts-expect-error misspelled field
      Product.objects.filter({ nmae: "x" });
      // @ts-expect-error wrong value type for an integer field
      Product.objects.filter({ stock__gt: "3" });
      // @ts-expect-error isnull takes a boolean
      Product.objects.filter({ deleted_at__isnull: "yes" });
      // @ts-expect-error unknown order key
      Product.objects.orderBy("nmae");
      Category.objects.filter({ name__startswith: "a", parent__name: "b" });
    };
    void typed;
  });

  it("querysets resolve to instances; values() to plain rows", () => {
    // Checked by tsc only: calling these would run queries (there are no tables in this file).
    const typed = () => {
      expectTypeOf(Product.objects.filter({ stock: 1 })).resolves.toEqualTypeOf<ProductI[]>();
      expectTypeOf(Product.objects.get({ pk: 1 })).resolves.toEqualTypeOf<ProductI>();
      expectTypeOf(Product.objects.first()).resolves.toEqualTypeOf<ProductI | null>();
      expectTypeOf(Product.objects.values("slug", "price")).resolves.toEqualTypeOf<
        { slug: string; price: string }[]
      >();
      expectTypeOf(Product.objects.valuesList("slug", { flat: true })).resolves.toEqualTypeOf<string[]>();
      expectTypeOf(Product.active.inStock()).resolves.toEqualTypeOf<ProductI[]>();
    };
    void typed;
  });
});
