import { captureQueries, createTestDatabase, getDatabase, testDatabaseVendor } from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { APIClient, ModelViewSet } from "@x/views";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchFilter, sqliteFtsIndex } from "../src/index.js";
import { models, Product, seed } from "./shop.js";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models });
  await seed();
  if (testDatabaseVendor() === "sqlite") {
    // what an application's migration would do: an external-content FTS5 table over the products
    const db = getDatabase();
    await db.execute(
      "CREATE VIRTUAL TABLE filters_product_fts USING fts5(name, description, content='filters_product', content_rowid='id')",
    );
    await db.execute("INSERT INTO filters_product_fts(filters_product_fts) VALUES('rebuild')");
  }
});
afterAll(async () => {
  await tdb.close();
});

sqliteFtsIndex(Product, { table: "filters_product_fts", fields: ["name", "description"] });

class ProductSerializer extends ModelSerializer.of({ model: Product, fields: ["id", "name"] }) {}
class FullTextViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override filterBackends = [SearchFilter];
  static searchFields = ["@name", "@description"];
}
const app = new Hono();
app.all("/products/", FullTextViewSet.asView({ get: "list" }));
const client = new APIClient(app);

async function search(term: string): Promise<string[]> {
  const res = await client.get("/products/", { query: { search: term } });
  expect(res.status).toBe(200);
  return (res.data as { name: string }[]).map((row) => row.name).sort();
}

describe("@ search fields with a full-text index", () => {
  it("matches words, not substrings (FTS5 MATCH on SQLite, tsvector on PostgreSQL)", async () => {
    expect(await search("desk")).toEqual(["Desk Lamp", "Small Desk", "ÉCLAT Desk"]);
    expect(await search("des")).toEqual([]);
    expect(await search("éclat")).toEqual(["ÉCLAT Desk"]);
    expect(await search("reading lamp")).toEqual(["Red Lamp"]);
  });

  it("never lets a term become full-text query syntax", async () => {
    expect(await search('desk"')).toEqual(["Desk Lamp", "Small Desk", "ÉCLAT Desk"]);
    expect(await search("NEAR(desk")).toEqual([]);
    expect(await search("*")).toEqual([]);
    expect(await search("desk OR lamp")).toEqual([]);
  });

  it("queries the index on SQLite", async () => {
    const { queries } = await captureQueries(() => search("desk"));
    expect(queries[0]!.sql).toContain(testDatabaseVendor() === "sqlite" ? "MATCH" : "plainto_tsquery");
  });
});

describe("sqliteFtsIndex", () => {
  it("accepts plain identifiers only", () => {
    expect(() => sqliteFtsIndex(Product, { table: "x; DROP TABLE y", fields: [] })).toThrow(
      "not a plain SQL identifier",
    );
  });
});
