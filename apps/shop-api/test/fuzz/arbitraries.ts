// JSON Schema (the subset OpenAPI 3.1 documents use) → fast-check arbitraries: values a
// schema accepts (`valid`) and values built to break it (`hostile`). `$ref`s resolve
// against the document's components; `hints` put real values (existing pks, slugs,
// tokens) in front of the schema's own values, so valid requests reach the database.
import fc from "fast-check";

type Json = { [key: string]: unknown };
export type Schema = Json;

/** Real values for a property or parameter name, mixed into what its schema generates. */
export type Hints = Record<string, () => unknown[]>;

export interface SchemaContext {
  components: Record<string, Schema>;
  hints: Hints;
}

const MAX_DEPTH = 4;

/** `#/components/schemas/X` → X's schema (anything else is not used by this document). */
export function deref(schema: Schema, ctx: SchemaContext): Schema {
  let out = schema;
  for (let i = 0; i < 10 && typeof out.$ref === "string"; i++) {
    const name = (out.$ref as string).replace("#/components/schemas/", "");
    const target = ctx.components[name];
    if (!target) throw new Error(`unresolved $ref ${out.$ref as string}`);
    out = target;
  }
  return out;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  if (schema.properties) return ["object"];
  if (schema.items) return ["array"];
  return [];
}

/** A decimal string like `12345.67` within `^-?\d{0,8}(?:\.\d{0,2})?$`-style bounds (rarely negative). */
function decimalString(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat({ max: 9 }).map((n) => n === 0),
      fc.oneof(fc.nat({ max: 999 }), fc.nat({ max: 99_999_999 })),
      fc.option(fc.nat({ max: 99 }), { nil: undefined }),
    )
    .map(([neg, whole, cents]) => {
      const body = cents === undefined ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`;
      return neg && whole > 0 ? `-${body}` : body;
    });
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, minLength + 60);
  const format = schema.format as string | undefined;
  if (format === "decimal") return decimalString();
  if (format === "email")
    return fc.emailAddress().filter((e) => e.length >= minLength && e.length <= (schema.maxLength as number));
  if (format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (format === "date") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (format === "uuid") return fc.uuid();
  if (format === "uri") return fc.webUrl();
  if (typeof schema.pattern === "string") {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= ((schema.maxLength as number | undefined) ?? 1e9));
  }
  return fc.string({ minLength, maxLength, unit: fc.constantFrom(..."abcdefghij XYZ-_.0123456789é漢🛒") });
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? (integer ? -1_000_000 : -1e9);
  const max = (schema.maximum as number | undefined) ?? (integer ? 1_000_000 : 1e9);
  if (integer) return fc.integer({ min, max });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (property.readOnly === true) continue;
    model[name] = valid(property, ctx, depth + 1, name);
  }
  const known = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  if (Object.keys(properties).length > 0 || schema.additionalProperties === false)
    return known as fc.Arbitrary<Json>;
  // a free-form object (a JSONField): small JSON values under string keys
  return fc.dictionary(
    fc.string({ maxLength: 8 }),
    depth >= MAX_DEPTH ? fc.oneof(fc.string(), fc.integer(), fc.boolean()) : fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  ) as fc.Arbitrary<Json>;
}

/** Values `schema` accepts. `name` is the property or parameter name, for hints. */
export function valid(schema: Schema, ctx: SchemaContext, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const own = validBySchema(deref(schema, ctx), ctx, depth);
  const hinted = name ? ctx.hints[name] : undefined;
  if (!hinted) return own;
  // the hint is read when a value is drawn: pks created during the run are used too
  const real = fc.nat().chain((i) => {
    const values = hinted();
    return values.length === 0 ? own : fc.constant(values[i % values.length]);
  });
  return fc.oneof({ arbitrary: real, weight: 3 }, { arbitrary: own, weight: 1 });
}

function validBySchema(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ("const" in schema) return fc.constant(schema.const);
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[key]))
      return fc.oneof(...(schema[key] as Schema[]).map((s) => valid(s, ctx, depth)));
  }
  if (Array.isArray(schema.allOf)) {
    // the document uses allOf only to wrap a $ref: merge the parts' keywords
    const merged = Object.assign({}, ...(schema.allOf as Schema[]).map((s) => deref(s, ctx))) as Schema;
    return valid(merged, ctx, depth);
  }
  const types = typesOf(schema);
  const nullable = types.includes("null") || schema.nullable === true;
  const options: fc.Arbitrary<unknown>[] = [];
  for (const type of types) {
    if (type === "string") options.push(stringArbitrary(schema));
    else if (type === "integer") options.push(numberArbitrary(schema, true));
    else if (type === "number" && !types.includes("string")) options.push(numberArbitrary(schema, false));
    else if (type === "boolean") options.push(fc.boolean());
    else if (type === "array") {
      const items = (schema.items ?? {}) as Schema;
      const minLength = (schema.minItems as number | undefined) ?? 0;
      options.push(
        depth >= MAX_DEPTH
          ? fc.constant([])
          : fc.array(valid(items, ctx, depth + 1), { minLength, maxLength: Math.max(minLength, 4) }),
      );
    } else if (type === "object") options.push(objectArbitrary(schema, ctx, depth));
  }
  if (options.length === 0) options.push(fc.jsonValue({ maxDepth: 2 }));
  if (nullable) options.push(fc.constant(null));
  return fc.oneof(...options);
}

// ---- hostile values ----------------------------------------------------------------

/** Strings a client may send to break parsing, validation, SQL or rendering. */
const HOSTILE_STRINGS = [
  "",
  " ",
  "ünïcødé 漢字 🛒",
  "\u202Eevil\u202C",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "' OR 1=1 --",
  '"; DROP TABLE products_product; --',
  "%",
  "_",
  "\\",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "NaN",
  "Infinity",
  "-0",
  "1e400",
  "0x10",
  "１２.５０",
  "9".repeat(400),
  "2147483648",
  "-2147483649",
  "9223372036854775808",
  "null",
  "true",
  "[]",
  "{}",
];

const HUGE_NUMBERS = [
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  2 ** 63,
  1e308,
  -1e308,
  1e-300,
  -0,
  0.5,
  Number.MAX_SAFE_INTEGER,
];

function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.nat({ max: 5 }).map((n) => "x".repeat(10 ** n)),
    fc.nat({ max: 3 }).map((n) => "ü漢🛒".repeat(10 ** n)),
  );
}

/** A deep nest of arrays or objects around a value. */
function deeplyNested(): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 20, max: 300 }), fc.boolean()).map(([depth, arrays]) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });
}

/** Any value of the wrong kind: other types, odd strings, huge numbers, deep nesting. */
export function hostile(): fc.Arbitrary<unknown> {
  return fc.oneof(
    hostileString(),
    fc.constantFrom(...HUGE_NUMBERS),
    fc.integer(),
    fc.double(),
    fc.constantFrom(true, false, null),
    fc.constantFrom([], {}, [[]], [{}], JSON.parse('{"__proto__":{"is_staff":true}}'), {
      constructor: { prototype: 1 },
    }),
    fc.jsonValue({ maxDepth: 3 }),
    deeplyNested(),
  );
}

/** A hostile value for a query or path parameter (always text on the wire). */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString(),
    fc.constantFrom(...HUGE_NUMBERS).map(String),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  );
}
