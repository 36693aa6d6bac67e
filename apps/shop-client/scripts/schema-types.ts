// OpenAPI document → TypeScript declarations (openapi-typescript), with a header
// saying where the file comes from. Shared by `generate` and the freshness test.
import openapiTS, { type OpenAPI3 } from "openapi-typescript";

export const SCHEMA_TYPES_PATH = new URL("../src/schema.d.ts", import.meta.url);

const HEADER = `// Generated from the shop-api's OpenAPI document (GET /api/schema/) by
// \`npx pnpm@12.4.2 --filter shop-client generate\`. Do not edit: regenerate.
`;

// openapi-typescript 6 marks readOnly members `readonly`; openapi-fetch's Readable<T>
// maps only mutable arrays, so a `readonly X[]` in a response would come out mangled.
// readOnly already shapes the document (request vs response schemas): drop the modifier.
const READONLY = /(^\s*|: )readonly /gm;

export async function schemaTypes(document: OpenAPI3): Promise<string> {
  const types = await openapiTS(document, { exportType: false });
  return HEADER + types.replace(READONLY, "$1");
}

/** Fetches the document a running shop-api serves. */
export async function fetchDocument(baseUrl: string): Promise<OpenAPI3> {
  const res = await fetch(`${baseUrl}/api/schema/`, { headers: { Accept: "application/json" } });
  if (res.status !== 200) throw new Error(`GET /api/schema/: ${res.status} ${await res.text()}`);
  return (await res.json()) as OpenAPI3;
}
