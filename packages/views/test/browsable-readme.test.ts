// The README's browsable API example, kept true by running it.
import { CharField, createTestDatabase, DecimalField, defineModel, IntegerField } from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  APIClient,
  apiContext,
  BrowsableAPIRenderer,
  defineSettings,
  JSONRenderer,
  ModelViewSet,
} from "../src/index.js";

const Book = defineModel("browsablereadme.Book", {
  fields: {
    title: CharField({ maxLength: 100 }),
    price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
  },
  meta: { ordering: ["id"] },
});

class BookSerializer extends ModelSerializer.of({ model: Book, fields: ["id", "title", "price", "stock"] }) {}
class BookViewSet extends ModelViewSet {
  static override queryset = Book.objects.all();
  static override serializerClass = BookSerializer;
}

const settings = defineSettings({
  defaultRendererClasses: [
    JSONRenderer,
    BrowsableAPIRenderer.configure({
      title: "Bookshop",
      loginUrl: "/api-auth/login/",
      logoutUrl: "/api-auth/logout/",
    }),
  ],
});
const app = new Hono();
app.use("*", apiContext({ settings }));
app.all("/books/", BookViewSet.asView({ get: "list", post: "create" }, { suffix: "List" }));
app.all(
  "/books/:pk/",
  BookViewSet.asView(
    { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
    { suffix: "Instance" },
  ),
);

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Book] });
  await Book.objects.create({ title: "Dune", price: "12.00" });
});
afterAll(async () => {
  await tdb.close();
});

it("serves the page to a browser and the same JSON to API clients", async () => {
  const client = new APIClient(app);
  const page = await client.get("/books/", { headers: { Accept: "text/html" } });
  expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(page.text).toContain("<h1>Book List</h1>");
  expect(page.text).toContain('<span class="brand">Bookshop</span>');
  expect(page.text).toContain('<a class="login" href="/api-auth/login/?next=%2Fbooks%2F">Log in</a>');
  const json = await client.get("/books/");
  expect(json.headers.get("content-type")).toBe("application/json");
  expect(json.text).toBe('[{"id":1,"title":"Dune","price":"12.00","stock":0}]');
  const detail = await client.get("/books/1/", { query: { format: "api" } });
  expect(detail.text).toContain("<h1>Book Instance</h1>");
});
