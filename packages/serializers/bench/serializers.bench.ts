// `pnpm bench`: 1,000 objects out through a 10-field serializer vs a plain object map, and
// 1,000 inputs validated vs a hand-written valibot schema of the same shape.
import * as v from "valibot";
import { bench, describe } from "vitest";
import {
  BooleanField,
  CharField,
  DateTimeField,
  DecimalField,
  IntegerField,
  Serializer,
  SlugField,
} from "../src/index.js";

class ProductSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField({ maxLength: 200 }),
  slug: new SlugField({ maxLength: 200 }),
  description: new CharField({ allowBlank: true }),
  price: new DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  cost: new DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  stock: new IntegerField({ minValue: 0 }),
  discount_percentage: new IntegerField({ minValue: 0, maxValue: 100 }),
  is_featured: new BooleanField(),
  created_at: new DateTimeField({ readOnly: true }),
}) {}

const rows = Array.from({ length: 1000 }, (_, i) => ({
  id: i + 1,
  name: `Product ${i}`,
  slug: `product-${i}`,
  description: "A thing",
  price: "12.50",
  cost: "7.25",
  stock: i % 50,
  discount_percentage: i % 100,
  is_featured: i % 2 === 0,
  created_at: new Date(Date.UTC(2026, 0, 8, 0, 10, i % 60)),
}));

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;

describe("output: 1,000 objects", () => {
  bench("plain object map", () => {
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      description: r.description,
      price: r.price,
      cost: r.cost,
      stock: r.stock,
      discount_percentage: r.discount_percentage,
      is_featured: r.is_featured,
      created_at: iso(r.created_at),
    }));
  });
  bench("ProductSerializer many=True", async () => {
    await new ProductSerializer({ instance: rows, many: true }).data;
  });
});

const inputs = rows.map((r) => ({
  name: r.name,
  slug: r.slug,
  description: r.description,
  price: r.price,
  cost: r.cost,
  stock: r.stock,
  discount_percentage: r.discount_percentage,
  is_featured: r.is_featured,
}));

const decimal = v.pipe(v.string(), v.regex(/^-?\d{0,8}(?:\.\d{0,2})?$/));
const bare = v.object({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200)),
  slug: v.pipe(v.string(), v.maxLength(200), v.regex(/^[-a-zA-Z0-9_]+$/)),
  description: v.string(),
  price: decimal,
  cost: decimal,
  stock: v.pipe(v.number(), v.integer(), v.minValue(0)),
  discount_percentage: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
  is_featured: v.boolean(),
});

describe("input: 1,000 objects validated", () => {
  bench("bare valibot safeParse", () => {
    for (const input of inputs) v.safeParse(bare, input);
  });
  bench("ProductSerializer isValid", async () => {
    for (const input of inputs) await new ProductSerializer({ data: input }).isValid();
  });
  bench("ProductSerializer many=True isValid", async () => {
    await new ProductSerializer({ data: inputs, many: true }).isValid();
  });
});
