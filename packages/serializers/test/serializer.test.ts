import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CharField,
  CreateOnlyDefault,
  CurrentUserDefault,
  DateField,
  DateTimeField,
  DecimalField,
  HiddenField,
  IntegerField,
  ListField,
  ListSerializer,
  ReadOnlyField,
  Serializer,
  type SerializerContext,
  SerializerMethodField,
  ValidationError,
} from "../src/index.js";

interface Product {
  id: number;
  name: string;
  price: string;
  stock: number;
}

// The handbook's explicit-field serializer, with an in-memory "table".
const table: Product[] = [];
class ProductSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField({ maxLength: 200 }),
  price: new DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  stock: new IntegerField({ minValue: 0 }),
}) {
  override create(data: this["validatedData"]): Product {
    const p = { id: table.length + 1, ...data };
    table.push(p);
    return p;
  }
  override update(instance: Product, data: Partial<this["validatedData"]>): Product {
    instance.name = data.name ?? instance.name;
    instance.price = data.price ?? instance.price;
    instance.stock = data.stock ?? instance.stock;
    return instance;
  }
}

describe("Serializer (handbook: explicit field definition)", () => {
  it("infers data and validatedData types from the fields", async () => {
    const s = new ProductSerializer({ data: { name: "a", price: "1", stock: 1 } });
    await s.isValid();
    expectTypeOf(s.validatedData).toEqualTypeOf<{ name: string; price: string; stock: number }>();
    expectTypeOf(await s.data).toEqualTypeOf<{ id: number; name: string; price: string; stock: number }>();
  });

  it("validates, creates and represents", async () => {
    const s = new ProductSerializer({ data: { name: " Pen ", price: "1.5", stock: "3" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ name: "Pen", price: "1.50", stock: 3 });
    const p = await s.save();
    expect(table).toContain(p);
    expect(await s.data).toEqual({ id: p.id, name: "Pen", price: "1.50", stock: 3 });
  });

  it("collects every field error with DRF messages", async () => {
    const s = new ProductSerializer({ data: { name: "", price: "12345678901", stock: -1 } });
    expect(await s.isValid()).toBe(false);
    expect(s.errors).toEqual({
      name: ["This field may not be blank."],
      price: ["Ensure that there are no more than 10 digits in total."],
      stock: ["Ensure this value is greater than or equal to 0."],
    });
    const missing = new ProductSerializer({ data: {} });
    await missing.isValid();
    expect(missing.errors).toEqual({
      name: ["This field is required."],
      price: ["This field is required."],
      stock: ["This field is required."],
    });
  });

  it("raiseException throws a ValidationError carrying detail and codes", async () => {
    const s = new ProductSerializer({ data: { name: "x", price: "x", stock: 1 } });
    const e = await s.isValid({ raiseException: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).detail).toEqual({ price: ["A valid number is required."] });
    expect((e as ValidationError).getCodes()).toEqual({ price: ["invalid"] });
  });

  it("rejects non-objects and null", async () => {
    const s = new ProductSerializer({ data: [1] });
    await s.isValid();
    expect(s.errors).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
    const n = new ProductSerializer({ data: null });
    await n.isValid();
    expect(n.errors).toEqual({ non_field_errors: ["No data provided"] });
  });

  it("updates an instance, partially", async () => {
    const p: Product = { id: 9, name: "Old", price: "1.00", stock: 1 };
    const s = new ProductSerializer({ instance: p, data: { stock: 5 }, partial: true });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ stock: 5 });
    await s.save();
    expect(p).toEqual({ id: 9, name: "Old", price: "1.00", stock: 5 });
    expect(await s.data).toEqual({ id: 9, name: "Old", price: "1.00", stock: 5 });
  });

  it("save(extra) merges keyword values", async () => {
    let seen: unknown;
    class S extends Serializer.of({ name: new CharField() }) {
      override create(data: Record<string, unknown>) {
        seen = data;
        return data;
      }
    }
    const s = new S({ data: { name: "a" } });
    await s.isValid();
    await s.save({ created_by: "alice" });
    expect(seen).toEqual({ name: "a", created_by: "alice" });
  });

  it("many=True renders lists, and dynamic fields restrict the output", async () => {
    const rows: Product[] = [
      { id: 1, name: "A", price: "1", stock: 1 },
      { id: 2, name: "B", price: "2.5", stock: 0 },
    ];
    expect(await new ProductSerializer({ instance: rows, many: true }).data).toEqual([
      { id: 1, name: "A", price: "1.00", stock: 1 },
      { id: 2, name: "B", price: "2.50", stock: 0 },
    ]);
    const typed = ProductSerializer.many({ instance: rows, fields: ["id", "name"] });
    expectTypeOf(await typed.data).toEqualTypeOf<
      { id: number; name: string; price: string; stock: number }[]
    >();
    expect(await typed.data).toEqual([
      { id: 1, name: "A" },
      { id: 2, name: "B" },
    ]);
    expect(await new ProductSerializer({ instance: rows[0], exclude: ["price", "stock"] }).data).toEqual({
      id: 1,
      name: "A",
    });
  });
});

describe("validation stages (DRF's order)", () => {
  const calls: string[] = [];
  const positive = (value: string) => {
    calls.push("validator");
    if (value.startsWith("-")) throw new ValidationError("Must be positive.");
  };
  class S extends Serializer.of({
    name: new CharField(),
    price: new DecimalField({ maxDigits: 10, decimalPlaces: 2, validators: [positive] }),
    cost: new DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  }) {
    static override validators = [
      (attrs: { price: string; cost: string }) => {
        calls.push("serializer validator");
        if (attrs.price === "13.00") throw new ValidationError("Unlucky price.");
      },
    ];
    validate_price(value: string) {
      calls.push("validate_price");
      if (Number(value) > 1000000) throw new ValidationError("Price too high");
      return value;
    }
    async validate_name(value: string) {
      calls.push("validate_name");
      await Promise.resolve();
      if (value === "dup") throw new ValidationError("Product with this name already exists");
      return value.toUpperCase();
    }
    override validate(data: this["validatedData"]) {
      calls.push("validate");
      if (Number(data.price) < Number(data.cost))
        throw new ValidationError({ price: "Price cannot be less than cost" });
      return data;
    }
  }

  it("runs parsing, field validators, validate_<field>, serializer validators, validate(attrs) in order", async () => {
    calls.length = 0;
    const s = new S({ data: { name: "pen", price: "5", cost: "2" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ name: "PEN", price: "5.00", cost: "2.00" });
    expect(calls).toEqual([
      "validate_name",
      "validator",
      "validate_price",
      "serializer validator",
      "validate",
    ]);
  });

  it("field errors stop before the object stages, and are all reported", async () => {
    calls.length = 0;
    const s = new S({ data: { name: "dup", price: "-1", cost: "x" } });
    expect(await s.isValid()).toBe(false);
    expect(s.errors).toEqual({
      name: ["Product with this name already exists"],
      price: ["Must be positive."],
      cost: ["A valid number is required."],
    });
    expect(calls).not.toContain("validate");
  });

  it("validate_<field> errors, serializer validator errors and validate(attrs) dict errors", async () => {
    const high = new S({ data: { name: "a", price: "2000000", cost: "1" } });
    await high.isValid();
    expect(high.errors).toEqual({ price: ["Price too high"] });
    const unlucky = new S({ data: { name: "a", price: "13", cost: "1" } });
    await unlucky.isValid();
    expect(unlucky.errors).toEqual({ non_field_errors: ["Unlucky price."] });
    const cheap = new S({ data: { name: "a", price: "1", cost: "2" } });
    await cheap.isValid();
    expect(cheap.errors).toEqual({ price: ["Price cannot be less than cost"] });
  });

  it("a string raised from validate() is a non_field_error", async () => {
    class T extends Serializer.of({ a: new IntegerField(), b: new IntegerField() }) {
      override validate(attrs: this["validatedData"]) {
        if (attrs.a > attrs.b) throw new ValidationError("a must not exceed b", "order");
        return attrs;
      }
    }
    const s = new T({ data: { a: 2, b: 1 } });
    const e = (await s.isValid({ raiseException: true }).catch((x: unknown) => x)) as ValidationError;
    expect(e.detail).toEqual({ non_field_errors: ["a must not exceed b"] });
    expect(e.getCodes()).toEqual({ non_field_errors: ["order"] });
  });

  it("custom validator functions (handbook: future date)", async () => {
    const validateFutureDate = (value: string) => {
      if (value <= new Date().toISOString().slice(0, 10))
        throw new ValidationError("Date must be in the future");
    };
    class EventSerializer extends Serializer.of({
      name: new CharField(),
      event_date: new DateField({ validators: [validateFutureDate] }),
    }) {}
    const past = new EventSerializer({ data: { name: "x", event_date: "2000-01-01" } });
    await past.isValid();
    expect(past.errors).toEqual({ event_date: ["Date must be in the future"] });
    const future = new EventSerializer({ data: { name: "x", event_date: "2999-01-01" } });
    expect(await future.isValid()).toBe(true);
  });
});

describe("field options", () => {
  it("default, required, allowNull, readOnly, writeOnly", async () => {
    class S extends Serializer.of({
      id: new IntegerField({ readOnly: true }),
      stock: new IntegerField({ default: 0 }),
      note: new CharField({ required: false }),
      color: new CharField({ allowNull: true }),
      tags: new ListField({ child: new CharField(), default: () => [] }),
      password: new CharField({ writeOnly: true, minLength: 8 }),
    }) {}
    const s = new S({ data: { id: 5, color: null, password: "longenough" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ stock: 0, color: null, tags: [], password: "longenough" });
    expectTypeOf(s.validatedData).toEqualTypeOf<{
      color: string | null;
      password: string;
      stock?: number;
      note?: string;
      tags?: string[];
    }>();
    const out = await new S({
      instance: { id: 1, stock: 2, note: "n", color: null, tags: ["a"], password: "x" },
    }).data;
    expect(out).toEqual({ id: 1, stock: 2, note: "n", color: null, tags: ["a"] });
    const partial = new S({ data: {}, partial: true });
    expect(await partial.isValid()).toBe(true);
    expect(partial.validatedData).toEqual({});
  });

  it("source: dotted, method, '*', get_<f>_display", async () => {
    class S extends Serializer.of({
      author_name: new CharField({ source: "author.name", readOnly: true }),
      title: new CharField({ source: "upper", readOnly: true }),
      whole: new ReadOnlyField({ source: "*" }),
      status_display: new CharField({ source: "get_status_display", readOnly: true }),
      renamed: new CharField({ source: "name" }),
    }) {}
    const book = {
      name: "dune",
      status: "p",
      author: { name: "Frank" },
      upper() {
        return this.name.toUpperCase();
      },
      getDisplay(field: string) {
        return field === "status" ? "Published" : "";
      },
    };
    const out = await new S({ instance: book }).data;
    expect(out.author_name).toBe("Frank");
    expect(out.title).toBe("DUNE");
    expect(out.whole).toBe(book);
    expect(out.status_display).toBe("Published");
    expect(out.renamed).toBe("dune");
    const s = new S({ data: { renamed: "x" } });
    await s.isValid();
    expect(s.validatedData).toEqual({ name: "x" });
    expectTypeOf(s.validatedData).toEqualTypeOf<{ name: string }>();
    expect(
      await new S({ instance: { name: "a", author: null, upper: () => "A", getDisplay: () => "" } }).data,
    ).toEqual(expect.objectContaining({ author_name: null }));
  });

  it("HiddenField with CurrentUserDefault and CreateOnlyDefault", async () => {
    class S extends Serializer.of({
      text: new CharField(),
      user: new HiddenField({ default: new CurrentUserDefault() }),
      created: new HiddenField({ default: new CreateOnlyDefault(() => "now") }),
    }) {}
    const request = { user: { id: 7 } };
    const s = new S({ data: { text: "hi", user: 99 }, context: { request } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ text: "hi", user: { id: 7 }, created: "now" });
    expect(await s.data).toEqual({ text: "hi" });
    const u = new S({ instance: { text: "a" }, data: { text: "b" }, context: { request } });
    await u.isValid();
    expect(u.validatedData).toEqual({ text: "b", user: { id: 7 } });
    expect(S.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: { text: { type: "string", minLength: 1 } },
      required: ["text"],
    });
  });

  it("nested serializers render under the root's context: fields get it, method fields and owner-reading fields see it on the serializer", async () => {
    class Tagged extends CharField {
      // reads the serializer it renders for (the third argument)
      override toRepresentation(value: unknown, _c: SerializerContext, owner?: object): string {
        const ctx = (owner as { context: SerializerContext }).context;
        return `${String(value)}@${String(ctx.format)}`;
      }
    }
    class Formatted extends CharField {
      override toRepresentation(value: unknown, context: SerializerContext): string {
        return `${String(value)}:${String(context.format)}`;
      }
    }
    class Plain extends Serializer.of({ name: new Formatted({ readOnly: true }) }) {}
    class WithMethod extends Serializer.of({
      name: new CharField({ readOnly: true }),
      fmt: new SerializerMethodField(v.string()),
    }) {
      get_fmt() {
        return String(this.context.format);
      }
    }
    class WithOwner extends Serializer.of({ name: new Tagged({ readOnly: true }) }) {}
    class Parent extends Serializer.of({
      plain: new Plain({ readOnly: true }),
      plains: new Plain({ many: true, readOnly: true }),
      method: new WithMethod({ readOnly: true }),
      methods: new WithMethod({ many: true, readOnly: true }),
      owner: new WithOwner({ readOnly: true }),
    }) {}
    const x = { name: "x" };
    const row = { plain: x, plains: [x, x], method: x, methods: [x], owner: x };
    for (const format of ["json", "api"]) {
      expect(await new Parent({ instance: row, context: { format } }).data).toEqual({
        plain: { name: `x:${format}` },
        plains: [{ name: `x:${format}` }, { name: `x:${format}` }],
        method: { name: "x", fmt: format },
        methods: [{ name: "x", fmt: format }],
        owner: { name: `x@${format}` },
      });
    }
  });

  it("a nested serializer's view under a context is made once per context and held by that context", async () => {
    const seen: object[] = [];
    class Child extends Serializer.of({ fmt: new SerializerMethodField(v.string()) }) {
      get_fmt() {
        seen.push(this);
        return String(this.context.format);
      }
    }
    class Parent extends Serializer.of({ items: new Child({ many: true, readOnly: true }) }) {}
    const row = { items: [{}, {}, {}] };
    const context: SerializerContext = { format: "json" };
    expect(await new Parent({ instance: row, context }).data).toEqual({
      items: [{ fmt: "json" }, { fmt: "json" }, { fmt: "json" }],
    });
    // One view for the three items, reused by a second serializer under the same context.
    expect(new Set(seen).size).toBe(1);
    await new Parent({ instance: row, context }).data;
    expect(new Set(seen).size).toBe(1);
    // The context's own keys are what the caller gave (the views hang off a hidden property).
    expect(Object.keys(context)).toEqual(["format"]);
    expect({ ...context }).toEqual({ format: "json" });
    // Another context gets its own view; a frozen one works too.
    const frozen: SerializerContext = Object.freeze({ format: "api" });
    expect(await new Parent({ instance: row, context: frozen }).data).toEqual({
      items: [{ fmt: "api" }, { fmt: "api" }, { fmt: "api" }],
    });
    expect(new Set(seen).size).toBe(2);
    await new Parent({ instance: row, context: frozen }).data;
    expect(new Set(seen).size).toBe(2);
  });

  it("one SerializerMethodField declared under two names calls get_<name> of each (methodName fixed when bound)", async () => {
    const shared = new SerializerMethodField(v.string());
    class A extends Serializer.of({ first: shared, second: shared }) {
      get_first() {
        return "1";
      }
      get_second() {
        return "2";
      }
    }
    class B extends Serializer.of({
      third: shared,
      named: new SerializerMethodField(v.string(), { methodName: "custom" }),
    }) {
      get_third() {
        return "3";
      }
      custom() {
        return "c";
      }
    }
    expect(await new A({ instance: {} }).data).toEqual({ first: "1", second: "2" });
    expect(await B.many({ instance: [{}, {}] }).data).toEqual([
      { third: "3", named: "c" },
      { third: "3", named: "c" },
    ]);
    expect((A.getPlan().byName.get("second") as SerializerMethodField).methodName).toBe("get_second");
  });

  it("SerializerMethodField declares its output with valibot; methods may be async and read the context", async () => {
    class OrderSerializer extends Serializer.of({
      id: new IntegerField({ readOnly: true }),
      total_amount: new SerializerMethodField(v.string()),
      customer_name: new SerializerMethodField(v.string(), { methodName: "customer" }),
      can_edit: new SerializerMethodField(v.boolean()),
      created_at: new DateTimeField({ readOnly: true }),
    }) {
      get_total_amount(o: { items: { subtotal: string }[] }) {
        return o.items.map((i) => i.subtotal).join("+");
      }
      async customer(o: { user: string }) {
        return o.user.toUpperCase();
      }
      get_can_edit() {
        return (this.context.request?.user as { staff?: boolean } | undefined)?.staff === true;
      }
    }
    const order = {
      id: 1,
      items: [{ subtotal: "1.00" }, { subtotal: "2.00" }],
      user: "bob",
      created_at: new Date(0),
    };
    const out = await new OrderSerializer({
      instance: order,
      context: { request: { user: { staff: true } } },
    }).data;
    expect(out).toEqual({
      id: 1,
      total_amount: "1.00+2.00",
      customer_name: "BOB",
      can_edit: true,
      created_at: "1970-01-01T00:00:00Z",
    });
    expect(Object.keys(out)).toEqual(["id", "total_amount", "customer_name", "can_edit", "created_at"]);
    expectTypeOf(out).toEqualTypeOf<{
      id: number;
      total_amount: string;
      customer_name: string;
      can_edit: boolean;
      created_at: string;
    }>();
    expect(OrderSerializer.jsonSchema({ mode: "read" })).toEqual({
      type: "object",
      properties: {
        id: { type: "integer", readOnly: true },
        total_amount: { type: "string", readOnly: true },
        customer_name: { type: "string", readOnly: true },
        can_edit: { type: "boolean", readOnly: true },
        created_at: { type: "string", format: "date-time", readOnly: true },
      },
      required: ["id", "total_amount", "customer_name", "can_edit", "created_at"],
    });
  });
});

describe("nested serializers and many", () => {
  class ItemSerializer extends Serializer.of({
    product: new IntegerField({ minValue: 1 }),
    quantity: new IntegerField({ minValue: 1 }),
  }) {}
  class OrderSerializer extends Serializer.of({
    note: new CharField({ required: false }),
    items: new ItemSerializer({ many: true, allowEmpty: false }),
    address: new (class extends Serializer.of({ city: new CharField() }) {})(),
  }) {}

  it("nests errors: dicts for objects, aligned lists for many, non_field_errors for the list", async () => {
    const bad = new OrderSerializer({
      data: { items: [{ product: 1, quantity: 1 }, { product: 0 }], address: { city: "" } },
    });
    expect(await bad.isValid()).toBe(false);
    expect(bad.errors).toEqual({
      items: [
        {},
        {
          product: ["Ensure this value is greater than or equal to 1."],
          quantity: ["This field is required."],
        },
      ],
      address: { city: ["This field may not be blank."] },
    });
    const empty = new OrderSerializer({ data: { items: [], address: { city: "x" } } });
    await empty.isValid();
    expect(empty.errors).toEqual({ items: { non_field_errors: ["This list may not be empty."] } });
    const notList = new OrderSerializer({ data: { items: {}, address: "x" } });
    await notList.isValid();
    expect(notList.errors).toEqual({
      items: { non_field_errors: ['Expected a list of items but got type "dict".'] },
      address: { non_field_errors: ["Invalid data. Expected a dictionary, but got str."] },
    });
  });

  it("validates and renders nested data", async () => {
    const ok = new OrderSerializer({
      data: { items: [{ product: "2", quantity: 3 }], address: { city: "Oslo" } },
    });
    expect(await ok.isValid()).toBe(true);
    expect(ok.validatedData).toEqual({ items: [{ product: 2, quantity: 3 }], address: { city: "Oslo" } });
    expect(await ok.data).toEqual({
      note: null,
      items: [{ product: 2, quantity: 3 }],
      address: { city: "Oslo" },
    });
  });

  it("root many=True: errors per item, allowEmpty, create each", async () => {
    const created: unknown[] = [];
    class S extends Serializer.of({ name: new CharField() }) {
      override create(d: this["validatedData"]) {
        created.push(d);
        return d;
      }
    }
    const bad = new S({ data: [{ name: "a" }, {}], many: true });
    expect(await bad.isValid()).toBe(false);
    expect(bad.errors).toEqual([{}, { name: ["This field is required."] }]);
    const empty = new S({ data: [], many: true, allowEmpty: false });
    await empty.isValid();
    expect(empty.errors).toEqual({ non_field_errors: ["This list may not be empty."] });
    const good = S.many({ data: [{ name: "a" }, { name: "b" }] });
    expect(await good.isValid()).toBe(true);
    await good.save();
    expect(created).toEqual([{ name: "a" }, { name: "b" }]);
  });

  it("many=True hands the list its options and the child the rest (fields, context, partial)", async () => {
    class S extends Serializer.of({
      a: new CharField(),
      b: new CharField(),
      c: new CharField({ required: false }),
    }) {}
    const context = { format: "json" };
    for (const list of [
      new S({
        instance: [{ a: "1", b: "2", c: "3" }],
        many: true,
        fields: ["a", "c"],
        context,
        maxLength: 1,
      }) as unknown as ListSerializer<S>,
      S.many({ instance: [{ a: "1", b: "2", c: "3" }], fields: ["a", "c"], context, maxLength: 1 }),
    ]) {
      expect(list).toBeInstanceOf(ListSerializer);
      expect(list.child).toBeInstanceOf(S);
      expect(list.context).toBe(context);
      expect(list.child.context).toBe(context);
      expect([...list.child.fields.keys()]).toEqual(["a", "c"]);
      expect(list.child.instance).toBeNull();
      expect(list.options.maxLength).toBe(1);
      expect(await list.data).toEqual([{ a: "1", c: "3" }]);
    }
    const partial = new S({
      data: [{ b: "x" }, { b: "y" }],
      many: true,
      partial: true,
      exclude: ["c"],
      maxLength: 1,
    }) as unknown as ListSerializer<S>;
    expect(partial.child.partial).toBe(true);
    expect(await partial.isValid()).toBe(false);
    expect(partial.errors).toEqual({ non_field_errors: ["Ensure this field has no more than 1 elements."] });
    const ok = new S({ data: [{ b: "x" }], many: true, partial: true, exclude: ["c"] });
    expect(await ok.isValid()).toBe(true);
    expect(ok.validatedData).toEqual([{ b: "x" }]);
    const none = new S({ many: true }) as unknown as ListSerializer<S>;
    expect(none.instance).toBeNull();
    expect(none.child.context).toEqual({});
  });

  it("bulk update matches items to instances by id and rejects unknown ids", async () => {
    const rows = [
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ];
    class S extends Serializer.of({ id: new IntegerField({ readOnly: true }), name: new CharField() }) {
      override update(inst: { id: number; name: string }, d: this["validatedData"]) {
        inst.name = d.name;
        return inst;
      }
      override create(d: this["validatedData"]) {
        return { id: 3, ...d };
      }
    }
    const s = new S({ instance: rows, data: [{ id: 2, name: "B" }, { name: "c" }], many: true });
    expect(await s.isValid()).toBe(true);
    const saved = await s.save();
    expect(saved).toEqual([
      { id: 2, name: "B" },
      { id: 3, name: "c" },
    ]);
    expect(rows[1]).toEqual({ id: 2, name: "B" });
    const unknown = new S({ instance: rows, data: [{ id: 9, name: "x" }], many: true });
    await unknown.isValid();
    expect(unknown.errors).toEqual([{ id: ['Invalid pk "9" - object does not exist.'] }]);
  });

  it("jsonSchema write mode lists writable fields and required ones", () => {
    expect(OrderSerializer.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: {
        note: { type: "string", minLength: 1 },
        items: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            properties: {
              product: { type: "integer", minimum: 1 },
              quantity: { type: "integer", minimum: 1 },
            },
            required: ["product", "quantity"],
          },
        },
        address: {
          type: "object",
          properties: { city: { type: "string", minLength: 1 } },
          required: ["city"],
        },
      },
      required: ["items", "address"],
    });
  });
});

describe("compiled representation", () => {
  it("honours a field subclass that overrides toRepresentation", async () => {
    class Upper extends CharField {
      override toRepresentation(value: unknown) {
        return String(value).toUpperCase();
      }
    }
    class S extends Serializer.of({ name: new Upper(), plain: new CharField(), n: new IntegerField() }) {}
    expect(await new S({ instance: { name: "abc", plain: "abc", n: 2.7 } }).data).toEqual({
      name: "ABC",
      plain: "abc",
      n: 2,
    });
  });

  it("keeps DRF's key order and nulls for missing attributes, with async fields mixed in", async () => {
    class S extends Serializer.of({
      a: new SerializerMethodField(v.number()),
      b: new CharField({ source: "x.y" }),
      c: new IntegerField(),
    }) {
      async get_a() {
        return 1;
      }
    }
    const out = await new S({ instance: { x: null, c: 3 } }).data;
    expect(Object.entries(out)).toEqual([
      ["a", 1],
      ["b", null],
      ["c", 3],
    ]);
  });
});
