// Routers over real models, on SQLite and PostgreSQL (TEST_DB): basenames from querysets,
// nested routes scoping querysets, hyperlinked URLs, typed schema parameters, query counts.

import {
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  defineModel,
  ForeignKey,
  SlugField,
} from "@x/models";
import { HyperlinkedIdentityField, HyperlinkedRelatedField, ModelSerializer } from "@x/serializers";
import {
  type ActionsOf,
  APIClient,
  ModelViewSet,
  ReadOnlyModelViewSet,
  type Request,
  Response,
} from "@x/views";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefaultRouter, generateSchema, mount, NestedSimpleRouter, reverse } from "../src/index.js";

const Author = defineModel("library.Author", {
  fields: { name: CharField({ maxLength: 100 }), slug: SlugField({ maxLength: 100, unique: true }) },
  meta: { dbTable: "routers_author" },
});
const Book = defineModel("library.Book", {
  fields: {
    title: CharField({ maxLength: 200 }),
    author: ForeignKey(() => Author, { onDelete: CASCADE, relatedName: "books" }),
  },
  meta: { dbTable: "routers_book", ordering: ["id"] },
});
type BookRow = InstanceType<typeof Book>;

class BookSerializer extends ModelSerializer.of(
  { model: Book, fields: ["url", "id", "title", "author"] },
  {
    url: new HyperlinkedIdentityField({ viewName: "book-detail" }),
    author: new HyperlinkedRelatedField({ viewName: "author-detail", lookupField: "slug", readOnly: true }),
  },
) {}
class AuthorSerializer extends ModelSerializer.of({ model: Author, fields: ["id", "name", "slug"] }) {}

// A ModelViewSet with two actions: the handbook's shape.
class BookViewSet extends ModelViewSet<BookRow> {
  static override queryset = Book.objects.all();
  static override serializerClass = BookSerializer;
  static override actions: ActionsOf<BookViewSet> = {
    recent: { detail: false },
    borrow: { detail: true, methods: ["post"] },
  };
  async recent() {
    const rows = await Book.objects.selectRelated("author").orderBy("-id").slice(0, 2);
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }
  async borrow(request: Request) {
    const book = await this.getObject();
    return new Response({
      borrowed: book.title,
      link: reverse("book-detail", { pk: book.pk as number }, request),
    });
  }
}

class AuthorViewSet extends ReadOnlyModelViewSet {
  static override queryset = Author.objects.all();
  static override serializerClass = AuthorSerializer;
  static override lookupField = "slug";
}

// The nested viewset sees the parent's kwarg and scopes its queryset with it.
class AuthorBookViewSet extends ReadOnlyModelViewSet<BookRow> {
  static override serializerClass = BookSerializer;
  override getQueryset() {
    return Book.objects.filter({ author__slug: this.kwargs.author_slug });
  }
}

const router = new DefaultRouter();
router.register("books", BookViewSet);
router.register("authors", AuthorViewSet);
const authorsRouter = new NestedSimpleRouter(router, "authors", { lookup: "author" });
authorsRouter.register("books", AuthorBookViewSet, { basename: "author-books" });
const app = new Hono();
const api = mount(app, "/api/", [router, authorsRouter]);
const client = new APIClient(app);

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Author, Book] });
  const ada = await Author.objects.create({ name: "Ada", slug: "ada" });
  const bob = await Author.objects.create({ name: "Bob", slug: "bob" });
  await Book.objects.create({ title: "Notes", author: ada });
  await Book.objects.create({ title: "Engines", author: ada });
  await Book.objects.create({ title: "Bridges", author: bob });
});
afterAll(async () => {
  await tdb.close();
});

describe("a ModelViewSet with two actions", () => {
  it("has DRF's URL table, with the basename taken from the queryset's model", () => {
    expect(router.urls.map((u) => [u.route, u.name, u.mapping])).toEqual([
      ["books/", "book-list", { get: "list", post: "create" }],
      ["books/recent/", "book-recent", { get: "recent" }],
      [
        "books/{pk}/",
        "book-detail",
        { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
      ],
      ["books/{pk}/borrow/", "book-borrow", { post: "borrow" }],
      ["authors/", "author-list", { get: "list" }],
      ["authors/{slug}/", "author-detail", { get: "retrieve" }],
      ["", "api-root", { get: "get" }],
    ]);
  });

  it("serves the routes with hyperlinks to real rows", async () => {
    const first = await Book.objects.orderBy("id").first();
    const pk = first?.pk as number;
    const detail = await client.get(`/api/books/${pk}/`);
    expect(detail.status).toBe(200);
    expect(detail.data).toEqual({
      url: `http://testserver/api/books/${pk}/`,
      id: pk,
      title: "Notes",
      author: "http://testserver/api/authors/ada/",
    });
    const borrowed = await client.post(`/api/books/${pk}/borrow/`);
    expect(borrowed.data).toEqual({ borrowed: "Notes", link: `http://testserver/api/books/${pk}/` });
    const recent = await client.get("/api/books/recent/");
    expect(recent.data.map((b: { title: string }) => b.title)).toEqual(["Bridges", "Engines"]);
    expect((await client.get("/api/books/999999/")).status).toBe(404);
    expect((await client.get("/api/authors/ada/")).data).toMatchObject({ name: "Ada", slug: "ada" });
    expect((await client.get("/api/")).data).toEqual({
      books: "http://testserver/api/books/",
      authors: "http://testserver/api/authors/",
    });
  });

  it("lists without one query per row", async () => {
    const { result, queries } = await captureQueries(() => client.get("/api/books/"));
    expect(result.status).toBe(200);
    expect(result.data).toHaveLength(await Book.objects.count());
    expect(queries.map((q) => q.sql)).toHaveLength(1);
  });
});

describe("nested routes over models", () => {
  it("scope the child queryset by the parent kwarg", async () => {
    const res = await client.get("/api/authors/ada/books/");
    expect(res.status).toBe(200);
    expect(res.data.map((b: { title: string }) => b.title)).toEqual(["Notes", "Engines"]);
    expect((await client.get("/api/authors/bob/books/")).data.map((b: { title: string }) => b.title)).toEqual(
      ["Bridges"],
    );
    expect((await client.get("/api/authors/nobody/books/")).data).toEqual([]);
    const bridges = await Book.objects.get({ title: "Bridges" });
    expect((await client.get(`/api/authors/ada/books/${bridges.pk}/`)).status).toBe(404);
    expect((await client.get(`/api/authors/bob/books/${bridges.pk}/`)).data.title).toBe("Bridges");
  });

  it("reverse nested names from the resolver", () => {
    expect(api.reverse("author-books-detail", { author_slug: "ada", pk: 3 })).toBe(
      "/api/authors/ada/books/3/",
    );
  });
});

describe("schema over models", () => {
  it("types the pk path parameter from the model's AutoField and a slug lookup as a string", async () => {
    const doc = await generateSchema({ title: "Library", version: "1", mounts: [api] });
    expect(doc.paths["/api/books/{pk}/"]?.get?.parameters).toEqual([
      {
        name: "pk",
        in: "path",
        required: true,
        description: "A unique integer value identifying this book.",
        schema: { type: "integer" },
      },
    ]);
    expect(doc.paths["/api/authors/{slug}/"]?.get?.parameters?.[0]).toMatchObject({
      name: "slug",
      schema: { type: "string" },
    });
    expect(doc.components.schemas.Book).toMatchObject({ type: "object" });
  });

  it("documents what the views really answer", async () => {
    const doc = await generateSchema({ title: "Library", version: "1", mounts: [api] });
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const check = async (path: string, route: string) => {
      const res = await client.get(path);
      const op = doc.paths[route]?.get;
      const schema = op?.responses[String(res.status)]?.content?.["application/json"]?.schema;
      expect(schema, `${route} documents ${res.status}`).toBeDefined();
      // Component references resolve against the document registered above.
      const validate = ajv.compile({ $ref: "#/$defs/body", $defs: { body: rebase(schema) } });
      expect(validate(res.data), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    const pk = (await Book.objects.orderBy("id").first())?.pk as number;
    await check("/api/books/", "/api/books/");
    await check(`/api/books/${pk}/`, "/api/books/{pk}/");
    await check("/api/books/recent/", "/api/books/recent/");
    await check("/api/authors/", "/api/authors/");
    await check("/api/authors/ada/", "/api/authors/{slug}/");
    await check("/api/authors/ada/books/", "/api/authors/{author_slug}/books/");
    await check("/api/books/999999/", "/api/books/{pk}/");
  });
});

/** Points `#/components/...` references at the registered document. */
function rebase(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
}
