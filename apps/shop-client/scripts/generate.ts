// `generate`: starts the shop-api on a scratch SQLite database, reads its
// OpenAPI document and writes src/schema.d.ts.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { fetchDocument, SCHEMA_TYPES_PATH, schemaTypes } from "./schema-types.js";
import { startShop } from "./shop-server.js";

const shop = await startShop({ database: "sqlite" });
try {
  const types = await schemaTypes(await fetchDocument(shop.baseUrl));
  await writeFile(SCHEMA_TYPES_PATH, types);
  process.stdout.write(`wrote ${fileURLToPath(SCHEMA_TYPES_PATH)}\n`);
} finally {
  await shop.stop();
}
