// components/schemas: one entry per serializer and shape (read, write, partial write), plus DRF's error bodies.
import type { SerializerClassLike } from "@x/views";
import type { SchemaSource } from "./extend-schema.js";
import type { JsonSchema } from "./types.js";

export type Shape = "read" | "write" | "partial";

export const ERROR_DETAIL = "ErrorDetail";
export const VALIDATION_ERROR = "ValidationError";

const ERROR_SCHEMAS: Record<string, JsonSchema> = {
  [ERROR_DETAIL]: {
    type: "object",
    description: 'DRF\'s error body: `{"detail": "Not found."}`.',
    properties: { detail: { type: "string" } },
    required: ["detail"],
  },
  [VALIDATION_ERROR]: {
    type: "object",
    description:
      'DRF\'s validation errors: messages by field (`non_field_errors` for the object), nested like the input, e.g. `{"price": ["Ensure this value is greater than or equal to 0."]}`.',
    additionalProperties: {
      anyOf: [
        { type: "array", items: { anyOf: [{ type: "string" }, { type: "object" }] } },
        { type: "object" },
      ],
    },
  },
};

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

type SerializerSource = SerializerClassLike & {
  readonly name: string;
  jsonSchema(options: { mode: "read" | "write" }): Record<string, unknown>;
};

export function isSerializer(source: unknown): source is SerializerSource {
  return (
    typeof source === "function" && typeof (source as { jsonSchema?: unknown }).jsonSchema === "function"
  );
}

export class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  readonly #names = new Map<object, Map<Shape, string>>();

  error(name: typeof ERROR_DETAIL | typeof VALIDATION_ERROR): JsonSchema {
    this.schemas[name] ??= ERROR_SCHEMAS[name] as JsonSchema;
    return ref(name);
  }

  /**
   * A `$ref` to the serializer's component for that shape, adding it on first use; a JSON
   * Schema passes through, with any serializer class inside it (`items: ReviewSerializer`) a `$ref`.
   */
  schemaFor(source: SchemaSource, shape: Shape): JsonSchema {
    if (!isSerializer(source)) return this.#embedded(source, shape) as JsonSchema;
    let shapes = this.#names.get(source);
    if (!shapes) {
      shapes = new Map();
      this.#names.set(source, shapes);
    }
    const known = shapes.get(shape);
    if (known) return ref(known);
    const base = source.name.replace(/Serializer$/, "") || "Object";
    const wanted = shape === "read" ? base : shape === "write" ? `${base}Request` : `Patched${base}Request`;
    let name = wanted;
    for (let i = 2; name in this.schemas; i += 1) name = `${wanted}${i}`;
    const schema: JsonSchema = { ...source.jsonSchema({ mode: shape === "read" ? "read" : "write" }) };
    if (shape === "partial") delete schema.required;
    this.schemas[name] = schema;
    shapes.set(shape, name);
    return ref(name);
  }

  #embedded(value: unknown, shape: Shape): unknown {
    if (isSerializer(value)) return this.schemaFor(value, shape);
    if (Array.isArray(value)) return value.map((item) => this.#embedded(item, shape));
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#embedded(v, shape)]));
  }
}
