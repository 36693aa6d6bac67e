// atomic(() => queryset): a QuerySet returned (not awaited) by the callback is evaluated
// inside the transaction, so it sees the transaction's own uncommitted writes.
import { describe, expect, it } from "vitest";
import { atomic, inAtomicBlock } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { allModels, Category } from "./support/shop.js";

useTestDatabase(allModels);

describe("atomic() with a returned QuerySet", () => {
  it("evaluates a returned thenable inside the atomic block (a QuerySet is one)", async () => {
    const lazy: PromiseLike<boolean> = {
      // biome-ignore lint/suspicious/noThenProperty: a lazy thenable, like a QuerySet, is what is tested
      then: (resolve) => Promise.resolve(inAtomicBlock()).then(resolve),
    };
    expect(await atomic(() => lazy)).toBe(true);
  });

  it("runs the QuerySet in the transaction", async () => {
    const rows = await atomic(async () => {
      await Category.objects.create({ name: "Inside" });
      return Category.objects.filter({ name: "Inside" });
    });
    expect(rows.map((c) => c.name)).toEqual(["Inside"]);
  });

  it("a nested atomic (savepoint) returning a QuerySet sees the outer writes", async () => {
    const names = await atomic(async () => {
      await Category.objects.create({ name: "Outer" });
      const inner = await atomic(() => Category.objects.orderBy("name").valuesList("name", { flat: true }));
      return inner;
    });
    expect(names).toEqual(["Outer"]);
  });
});
