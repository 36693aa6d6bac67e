// S.jsonSchema(): what the OpenAPI generator documents — typed read-only values,
// choices with their labels, nullability, formats, readOnly / writeOnly.
import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CharField,
  ChoiceField,
  IntegerField,
  MultipleChoiceField,
  ReadOnlyField,
  Serializer,
  SerializerMethodField,
  valibotJsonSchema,
} from "../src/index.js";

describe("read-only values with a declared type", () => {
  class ItemSerializer extends Serializer.of({
    quantity: new IntegerField(),
    in_stock: new ReadOnlyField({ output: v.boolean() }),
    subtotal: new ReadOnlyField({ output: v.pipe(v.string(), v.decimal()) }),
    anything: new ReadOnlyField(),
  }) {}

  it("documents ReadOnlyField({ output }) with the valibot schema's JSON Schema", () => {
    expect(ItemSerializer.jsonSchema({ mode: "read" })).toEqual({
      type: "object",
      properties: {
        quantity: { type: "integer" },
        in_stock: { type: "boolean", readOnly: true },
        subtotal: { type: "string", format: "decimal", readOnly: true },
        anything: { readOnly: true },
      },
      required: ["quantity", "in_stock", "subtotal", "anything"],
    });
    expect(ItemSerializer.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: { quantity: { type: "integer" } },
      required: ["quantity"],
    });
  });

  it("types data from the declared output and outputs the value unchanged", async () => {
    const out = await new ItemSerializer({
      instance: { quantity: 2, in_stock: true, subtotal: "4.00", anything: [1] },
    }).data;
    expect(out).toEqual({ quantity: 2, in_stock: true, subtotal: "4.00", anything: [1] });
    expectTypeOf(out.in_stock).toEqualTypeOf<boolean>();
    expectTypeOf(out.subtotal).toEqualTypeOf<string>();
  });
});

describe("choices", () => {
  const STATUS = [
    ["pending", "Pending"],
    ["done", "Done"],
  ] as const;

  it("are a typed enum with their labels (x-enum-descriptions and a Markdown list)", () => {
    class S extends Serializer.of({
      status: new ChoiceField({ choices: STATUS, helpText: "Where the order is." }),
      priority: new ChoiceField({ choices: [1, 2, 3], allowNull: true, required: false }),
      colour: new ChoiceField({ choices: { r: "Red", g: "Green" }, allowBlank: true }),
      tags: new MultipleChoiceField({ choices: STATUS }),
    }) {}
    expect(S.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: {
        status: {
          type: "string",
          enum: ["pending", "done"],
          "x-enum-descriptions": ["Pending", "Done"],
          description: "Where the order is.\n\n* `pending` - Pending\n* `done` - Done",
        },
        priority: {
          type: ["integer", "null"],
          enum: [1, 2, 3, null],
          "x-enum-descriptions": ["1", "2", "3"],
          description: "* `1` - 1\n* `2` - 2\n* `3` - 3",
        },
        colour: {
          type: "string",
          enum: ["r", "g", ""],
          "x-enum-descriptions": ["Red", "Green", ""],
          description: "* `r` - Red\n* `g` - Green",
        },
        tags: {
          type: "array",
          uniqueItems: true,
          items: {
            type: "string",
            enum: ["pending", "done"],
            "x-enum-descriptions": ["Pending", "Done"],
            description: "* `pending` - Pending\n* `done` - Done",
          },
        },
      },
      required: ["status", "colour", "tags"],
    });
  });
});

describe("nullable, formats, writeOnly", () => {
  class Inner extends Serializer.of({ city: new CharField() }) {}

  it("a nullable nested object's type admits null; writeOnly fields appear only in the write shape", () => {
    class S extends Serializer.of({
      address: new Inner({ allowNull: true }),
      password: new CharField({ writeOnly: true }),
      nickname: new CharField({ allowNull: true, required: false }),
    }) {}
    const address = {
      type: "object",
      properties: { city: { type: "string", minLength: 1 } },
      required: ["city"],
    };
    expect(S.jsonSchema({ mode: "read" })).toEqual({
      type: "object",
      properties: {
        address: { ...address, type: ["object", "null"] },
        nickname: { type: ["string", "null"], minLength: 1 },
      },
      required: ["address", "nickname"],
    });
    expect(S.jsonSchema({ mode: "write" })).toEqual({
      type: "object",
      properties: {
        address: { ...address, type: ["object", "null"] },
        password: { type: "string", minLength: 1, writeOnly: true },
        nickname: { type: ["string", "null"], minLength: 1 },
      },
      required: ["address", "password"],
    });
  });

  it("method fields: formats and bounds from the valibot pipe, nullable, picklists, records, objects", () => {
    class S extends Serializer.of({
      email: new SerializerMethodField(v.pipe(v.string(), v.email())),
      rating: new SerializerMethodField(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1)))),
      kind: new SerializerMethodField(v.picklist(["a", "b"])),
      counts: new SerializerMethodField(v.record(v.string(), v.number())),
      owner: new SerializerMethodField(v.object({ id: v.number(), name: v.optional(v.string()) })),
    }) {}
    expect(S.jsonSchema().properties).toEqual({
      email: { type: "string", format: "email", readOnly: true },
      rating: { type: ["integer", "null"], minimum: 1, readOnly: true },
      kind: { type: "string", enum: ["a", "b"], readOnly: true },
      counts: { type: "object", additionalProperties: { type: "number" }, readOnly: true },
      owner: {
        type: "object",
        properties: { id: { type: "number" }, name: { type: "string" } },
        required: ["id"],
        additionalProperties: false,
        readOnly: true,
      },
    });
  });

  it("valibotJsonSchema: a nullable literal or union is anyOf with null", () => {
    expect(valibotJsonSchema(v.nullable(v.literal("x")))).toEqual({
      anyOf: [{ type: "string", const: "x" }, { type: "null" }],
    });
    expect(valibotJsonSchema(v.union([v.string(), v.number()]))).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
    expect(valibotJsonSchema(v.pipe(v.array(v.string()), v.minLength(1)))).toEqual({
      type: "array",
      items: { type: "string" },
      minItems: 1,
    });
  });
});
