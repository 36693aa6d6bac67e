// Helpers for checking real responses against the served OpenAPI document with ajv
// (schema-responses, schema-versions and the fuzzer share them).

type Json = { [key: string]: unknown };

/** Response shapes fix their field set: objects with `properties` get `additionalProperties: false`. */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** `#/components/schemas/X` → the registered document's `doc#/components/schemas/X`. */
export function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" ? `doc${v}` : rebase(v),
    ]),
  );
}
