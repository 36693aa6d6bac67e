// Types of one object vs many: `S.many(...)` is the list-typed spelling of DRF's many=True.
import { describe, expect, expectTypeOf, it } from "vitest";
import { CharField, IntegerField, type ListSerializer, ReadOnlyField, Serializer } from "../src/index.js";

class ItemSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField({ maxLength: 20 }),
  quantity: new IntegerField({ minValue: 1, default: 1 }),
}) {}
type ItemOut = { id: number; name: string; quantity: number };
type ItemIn = { name: string; quantity?: number };

class OrderSerializer extends Serializer.of({
  id: new ReadOnlyField<number>(),
  items: ItemSerializer.many({ allowEmpty: false }),
}) {}

describe("many typing", () => {
  it("one object: data and validatedData are objects", async () => {
    const out = new ItemSerializer({ instance: { id: 1, name: "pen", quantity: 2 } });
    expectTypeOf(out.data).toEqualTypeOf<Promise<ItemOut>>();
    expect(await out.data).toEqual({ id: 1, name: "pen", quantity: 2 });
    const input = new ItemSerializer({ data: { name: "pen" } });
    expect(await input.isValid()).toBe(true);
    expectTypeOf(input.validatedData).toEqualTypeOf<ItemIn>();
    expect(input.validatedData).toEqual({ name: "pen", quantity: 1 });
  });

  it("many: S.many() types data and validatedData as lists (the same ListSerializer as many: true)", async () => {
    const rows = [
      { id: 1, name: "pen", quantity: 2 },
      { id: 2, name: "ink", quantity: 1 },
    ];
    const out = ItemSerializer.many({ instance: rows });
    expectTypeOf(out).toEqualTypeOf<ListSerializer<ItemSerializer>>();
    expectTypeOf(out.data).toEqualTypeOf<Promise<ItemOut[]>>();
    expectTypeOf(await out.data).toEqualTypeOf<ItemOut[]>();
    expect(await out.data).toEqual(rows);
    // DRF's spelling builds the same thing at run time
    const drf = new ItemSerializer({ instance: rows, many: true });
    expect(drf).toBeInstanceOf((out as object).constructor);
    expect(await drf.data).toEqual(await out.data);

    const input = ItemSerializer.many({ data: [{ name: "a" }, { name: "b", quantity: 3 }] });
    expect(await input.isValid()).toBe(true);
    expectTypeOf(input.validatedData).toEqualTypeOf<ItemIn[]>();
    expect(input.validatedData).toEqual([
      { name: "a", quantity: 1 },
      { name: "b", quantity: 3 },
    ]);
    const bad = ItemSerializer.many({ data: [{ name: "a" }, {}] });
    expect(await bad.isValid()).toBe(false);
    expect(bad.errors).toEqual([{}, { name: ["This field is required."] }]);
  });

  it("a nested S.many() field is a list in the parent's data and validatedData", async () => {
    const s = new OrderSerializer({ data: { items: [{ name: "pen", quantity: 2 }] } });
    expect(await s.isValid()).toBe(true);
    expectTypeOf(s.validatedData).toEqualTypeOf<{ items?: ItemIn[] }>();
    expect(s.validatedData).toEqual({ items: [{ name: "pen", quantity: 2 }] });
    const out = new OrderSerializer({ instance: { id: 7, items: [{ id: 1, name: "pen", quantity: 2 }] } });
    expectTypeOf(await out.data).toEqualTypeOf<{ id: number; items: ItemOut[] }>();
    expect(await out.data).toEqual({ id: 7, items: [{ id: 1, name: "pen", quantity: 2 }] });
    const many = OrderSerializer.many({ instance: [{ id: 7, items: [] }] });
    expectTypeOf(await many.data).toEqualTypeOf<{ id: number; items: ItemOut[] }[]>();
  });
});
