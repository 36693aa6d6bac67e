// The README's "Complete example", kept true by running it.
import {
  CharField,
  createTestDatabase,
  DecimalField,
  defineModel,
  type InstanceOf,
  IntegerField,
} from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, expect, it } from "vitest";
import {
  type ActionsOf,
  APIClient,
  apiContext,
  defineSettings,
  ModelViewSet,
  type Request,
  Response,
} from "../src/index.js";

const Book = defineModel("readme.Book", {
  fields: {
    title: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
  },
  meta: { ordering: ["id"] },
});

class BookSerializer extends ModelSerializer.of({ model: Book, fields: ["id", "title", "price", "stock"] }) {}

class BookViewSet extends ModelViewSet<InstanceOf<typeof Book>> {
  static override queryset = Book.objects.all();
  static override serializerClass = BookSerializer;
  static override actions: ActionsOf<BookViewSet> = { inStock: { detail: false, urlPath: "in-stock" } };

  async inStock(_request: Request): Promise<Response> {
    const rows = await this.getPlannedQueryset().filter({ stock__gt: 0 });
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }
}

const app = new Hono();
app.use("/api/*", apiContext({ settings: defineSettings({ pageSize: 20 }) }));
app.all("/api/books/", BookViewSet.asView({ get: "list", post: "create" }));
app.all("/api/books/in-stock/", BookViewSet.asView({ get: "inStock" }));
app.all(
  "/api/books/:pk/",
  BookViewSet.asView({ get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" }),
);

const tdb = await createTestDatabase({ models: [Book] });
afterAll(() => tdb.close());

it("runs the README's complete example", async () => {
  const client = new APIClient(app);
  const created = await client.post("/api/books/", { title: "Dune", price: "12.50", stock: 2 });
  // 201 {"id":1,"title":"Dune","price":"12.50","stock":2}
  expect([created.status, created.text]).toEqual([
    201,
    `{"id":${created.data.id},"title":"Dune","price":"12.50","stock":2}`,
  ]);
  expect((await client.get("/api/books/in-stock/")).data).toHaveLength(1);
  expect((await client.patch(`/api/books/${created.data.id}/`, { price: "abc" })).data).toEqual({
    price: ["A valid number is required."],
  });
  expect((await client.delete("/api/books/")).data).toEqual({ detail: 'Method "DELETE" not allowed.' });
  expect((await client.get("/api/books/999/")).status).toBe(404);
});
