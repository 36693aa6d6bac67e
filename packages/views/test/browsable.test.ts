// The browsable API: content negotiation (text/html, ?format=api, ?format=json,
// */*), the page (name, request, status and headers, linked JSON), escaping,
// forms from the write serializer per field kind, and validation errors next
// to their fields — on the test database (TEST_DB=sqlite|postgres).
import {
  BooleanField,
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DateField,
  DateTimeField,
  DecimalField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
  JSONField,
  TextField,
} from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIClient,
  APIView,
  type Authentication,
  apiContext,
  BrowsableAPIRenderer,
  defineSettings,
  JSONRenderer,
  ModelViewSet,
  PageNumberPagination,
  type Permission,
  type Request,
  Response,
  type User,
} from "../src/index.js";

const Shelf = defineModel("browsable.Shelf", {
  fields: { name: CharField({ maxLength: 100 }) },
  methods: {
    toString(this: { name: string }) {
      return this.name;
    },
  },
  meta: { ordering: ["id"] },
});
const Item = defineModel("browsable.Item", {
  fields: {
    name: CharField({ maxLength: 50 }),
    notes: TextField({ blank: true, default: "" }),
    price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
    active: BooleanField({ default: true }),
    size: CharField({
      maxLength: 1,
      default: "m",
      choices: [
        ["s", "Small"],
        ["m", "Medium"],
      ],
    }),
    released: DateField({ null: true, blank: true }),
    restocked_at: DateTimeField({ null: true, blank: true }),
    extra: JSONField({ default: () => ({}) }),
    shelf: ForeignKey(() => Shelf, { onDelete: CASCADE, relatedName: "items" }),
  },
  meta: { ordering: ["id"] },
});
type ItemRow = InstanceOf<typeof Item>;

class ItemSerializer extends ModelSerializer.of({
  model: Item,
  fields: [
    "id",
    "name",
    "notes",
    "price",
    "stock",
    "active",
    "size",
    "released",
    "restocked_at",
    "extra",
    "shelf",
  ],
}) {}

const editor: User = { isAuthenticated: true, pk: 7 };

class HeaderAuth implements Authentication {
  authenticate(request: Request): readonly [User, unknown] | null {
    return request.headers.get("x-user") === "editor" ? [editor, null] : null;
  }
}
class EditorOrReadOnly implements Permission {
  hasPermission(request: Request): boolean {
    return ["GET", "HEAD", "OPTIONS"].includes(request.method) || request.user.isAuthenticated;
  }
}

class ItemPagination extends PageNumberPagination {
  override pageSize = 2;
}

class ItemViewSet extends ModelViewSet<ItemRow> {
  static override queryset = Item.objects.all();
  static override serializerClass = ItemSerializer;
  static override viewDescription = "Items on the shelves.\n\nEditors may change them.";
  static override paginationClass = ItemPagination;
  static override permissionClasses = [EditorOrReadOnly];
}

class Hello extends APIView {
  async get(): Promise<Response> {
    return new Response({
      message: "hi",
      docs: "https://example.com/docs?a=1&b=2",
      bad: "javascript:alert(1)",
    });
  }
}

const Browsable = BrowsableAPIRenderer.configure({
  title: "Test API",
  loginUrl: "/auth/login/",
  logoutUrl: "/auth/logout/",
});

function app(renderers: unknown[] = [JSONRenderer, Browsable]): Hono {
  const settings = defineSettings({
    // biome-ignore lint/suspicious/noExplicitAny: the settings validate the classes at run time
    defaultRendererClasses: renderers as any,
    defaultAuthenticationClasses: [HeaderAuth],
  });
  const hono = new Hono();
  hono.use("*", apiContext({ settings }));
  hono.all("/hello/", Hello.asView());
  hono.all("/items/", ItemViewSet.asView({ get: "list", post: "create" }, { suffix: "List" }));
  hono.all(
    "/items/:pk/",
    ItemViewSet.asView(
      { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
      { suffix: "Instance", detail: true },
    ),
  );
  return hono;
}

const html = { headers: { Accept: "text/html" } };
const asEditor = { headers: { Accept: "text/html", "X-User": "editor" } };
const BROWSER_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

/** The markup of one field's row (`<div ... data-field="name">...</div>`). */
function fieldRow(page: string, name: string): string {
  const at = page.indexOf(`data-field="${name}"`);
  expect(at, `no field ${name}`).toBeGreaterThan(-1);
  const start = page.lastIndexOf("<div", at);
  return page.slice(start, page.indexOf("</div>", start));
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Shelf, Item] });
});
afterAll(async () => {
  await tdb.close();
});

let top: InstanceOf<typeof Shelf>;
let pen: ItemRow;
beforeEach(async () => {
  await tdb.reset();
  top = await Shelf.objects.create({ name: "Top" });
  await Shelf.objects.create({ name: "<b>Bottom</b>" });
  pen = await Item.objects.create({
    name: "Pen",
    price: "1.50",
    stock: 3,
    shelf: top,
    released: "2024-05-01",
    extra: { colour: "blue" },
  });
  await Item.objects.create({ name: "Ink", price: "4.00", shelf: top });
  await Item.objects.create({ name: "Pad", price: "2.25", shelf: top });
});

describe("content negotiation", () => {
  it("text/html and a browser's Accept choose the page; ?format=api too", async () => {
    const client = new APIClient(app());
    for (const res of [
      await client.get("/items/", html),
      await client.get("/items/", { headers: { Accept: BROWSER_ACCEPT } }),
      await client.get("/items/", { query: { format: "api" } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.text.startsWith("<!DOCTYPE html>")).toBe(true);
    }
  });

  it("JSON stays the default: no Accept, */*, application/json, and ?format=json from a browser", async () => {
    const client = new APIClient(app());
    const plain = new APIClient(app([JSONRenderer]));
    const cases = [
      {},
      { headers: { Accept: "*/*" } },
      { headers: { Accept: "application/json" } },
      { headers: { Accept: BROWSER_ACCEPT }, query: { format: "json" } },
    ];
    for (const options of cases) {
      const res = await client.get("/items/", options);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      // Byte for byte what the JSON-only configuration answers.
      expect(res.text).toBe((await plain.get("/items/", options)).text);
      expect(res.headers.get("vary")).toBe("Accept");
    }
  });

  it("an unknown ?format= is 404 and an Accept nobody renders is 406, as in DRF", async () => {
    const client = new APIClient(app());
    expect((await client.get("/items/", { query: { format: "xml" } })).status).toBe(404);
    expect((await client.get("/items/", { headers: { Accept: "text/csv" } })).status).toBe(406);
  });

  it("a JSON request runs the same queries with the browsable renderer installed", async () => {
    const withPage = await captureQueries(() => new APIClient(app()).get(`/items/${pen.pk}/`));
    const without = await captureQueries(() => new APIClient(app([JSONRenderer])).get(`/items/${pen.pk}/`));
    expect(withPage.result.status).toBe(200);
    expect(withPage.queries.length).toBe(without.queries.length);
  });
});

describe("the page", () => {
  it("shows the view's name and description, the request, the status, headers and linked JSON", async () => {
    const res = await new APIClient(app()).get("/items/", html);
    const page = res.text;
    expect(page).toContain("<h1>Item List</h1>");
    expect(page).toContain("<p>Items on the shelves.</p><p>Editors may change them.</p>");
    expect(page).toContain('<pre class="request"><b>GET</b> /items/</pre>');
    expect(page).toContain("<b>HTTP 200 OK</b>");
    expect(page).toContain("<b>Allow:</b> GET, POST, HEAD, OPTIONS");
    expect(page).toContain("<b>Content-Type:</b> text/html; charset=utf-8");
    expect(page).toContain("<b>Vary:</b> Accept");
    expect(page).toContain('Allowed methods: <span class="allowed-methods">GET, POST, HEAD, OPTIONS</span>');
    // Pagination's next page is a link; the JSON is indented by 4 as DRF's page.
    expect(page).toContain(
      '&quot;next&quot;: <a href="http://testserver/items/?page=2" rel="nofollow">&quot;http://testserver/items/?page=2&quot;</a>',
    );
    expect(page).toContain("\n    &quot;count&quot;: 3,");
    expect(page).toContain('href="/items/?format=json"');
    // The anonymous visitor gets the login link back to this page.
    expect(page).toContain('<a class="login" href="/auth/login/?next=%2Fitems%2F">Log in</a>');
    // No external assets: inline style and script only.
    expect(page).not.toMatch(/<(?:link|script)[^>]+(?:href|src)=/);
  });

  it("links only http(s) URLs, escaping the query string", async () => {
    const page = (await new APIClient(app()).get("/hello/", html)).text;
    expect(page).toContain(
      '<a href="https://example.com/docs?a=1&amp;b=2" rel="nofollow">&quot;https://example.com/docs?a=1&amp;b=2&quot;</a>',
    );
    expect(page).toContain("&quot;javascript:alert(1)&quot;");
    expect(page).not.toContain('href="javascript');
    expect(page).toContain("<h1>Hello</h1>");
    // A plain APIView has no serializer: no forms.
    expect(page).not.toContain('data-form="html"');
  });

  it("escapes every value: a name holding a script stays text in the JSON, the form and the options", async () => {
    const evil = await Item.objects.create({ name: "<script>alert(1)</script>", price: "1.00", shelf: top });
    const res = await new APIClient(app()).get(`/items/${evil.pk}/`, asEditor);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("<script>alert(1)</script>");
    expect(res.text).not.toContain("<b>Bottom</b>");
    expect(res.text).toContain("&quot;name&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expect(fieldRow(res.text, "name")).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(fieldRow(res.text, "shelf")).toContain("&lt;b&gt;Bottom&lt;/b&gt;</option>");
    // The only <script> element is the page's own.
    expect(res.text.match(/<script>/g)).toHaveLength(1);
  });

  it("shows the user's name and a CSRF-carrying logout form when authenticated", async () => {
    const page = (await new APIClient(app()).get("/items/", asEditor)).text;
    expect(page).toContain('<span class="username">7</span>');
    expect(page).toContain('action="/auth/logout/"');
    expect(page).toContain('name="csrfmiddlewaretoken"');
    expect(page).not.toContain("Log in");
  });
});

describe("forms from the write serializer", () => {
  it("a list offers a POST form with an input per field kind, and a raw JSON form", async () => {
    const page = (await new APIClient(app()).get("/items/", asEditor)).text;
    expect(page).toContain('<h2>POST</h2><form class="api-form" id="post-form" data-form="html" novalidate>');
    expect(fieldRow(page, "name")).toMatch(
      /<input type="text" [^>]*name="name" data-encoding="string"[^>]*maxlength="50"/,
    );
    expect(fieldRow(page, "notes")).toMatch(/<textarea [^>]*name="notes" data-encoding="string"/);
    expect(fieldRow(page, "price")).toMatch(/<input type="number" [^>]*name="price" data-encoding="decimal"/);
    expect(fieldRow(page, "stock")).toMatch(
      /<input type="number" [^>]*name="stock" data-encoding="integer"[^>]*step="1"/,
    );
    expect(fieldRow(page, "active")).toMatch(
      /<input type="checkbox" [^>]*name="active" data-encoding="boolean"/,
    );
    expect(fieldRow(page, "size")).toMatch(/<select [^>]*name="size" data-encoding="choice"/);
    expect(fieldRow(page, "size")).toContain('<option value="&quot;s&quot;">Small</option>');
    expect(fieldRow(page, "released")).toMatch(/<input type="date" [^>]*name="released"/);
    expect(fieldRow(page, "restocked_at")).toMatch(/<input type="datetime-local" [^>]*name="restocked_at"/);
    expect(fieldRow(page, "extra")).toMatch(/<textarea [^>]*name="extra" data-encoding="json"/);
    // A relation with a queryset: a select of the related rows, labelled by their toString().
    expect(fieldRow(page, "shelf")).toMatch(/<select [^>]*name="shelf" data-encoding="choice"/);
    expect(fieldRow(page, "shelf")).toContain(`<option value="${top.pk}">Top</option>`);
    // Read-only fields are not inputs.
    expect(page).not.toContain('data-field="id"');
    // The raw form lists the view's parsers and starts from an empty body.
    expect(page).toContain(
      "<option>application/json</option><option>application/x-www-form-urlencoded</option>",
    );
    expect(page).toContain("&quot;name&quot;: &quot;&quot;,");
    expect(page).not.toContain('data-form="delete"');
  });

  it("a detail offers PUT and PATCH prefilled from the instance, and DELETE", async () => {
    const page = (await new APIClient(app()).get(`/items/${pen.pk}/`, asEditor)).text;
    expect(page).toContain("<h1>Item Instance</h1>");
    expect(page).toContain('<button type="submit" name="_method" value="PUT">PUT</button>');
    expect(page).toContain('<button type="submit" name="_method" value="PATCH">PATCH</button>');
    expect(page).toContain('data-form="delete"');
    expect(fieldRow(page, "name")).toContain('value="Pen"');
    expect(fieldRow(page, "price")).toContain('value="1.50"');
    expect(fieldRow(page, "stock")).toContain('value="3"');
    expect(fieldRow(page, "active")).toContain(" checked");
    expect(fieldRow(page, "released")).toContain('value="2024-05-01"');
    expect(fieldRow(page, "size")).toContain('<option value="&quot;m&quot;" selected>Medium</option>');
    expect(fieldRow(page, "shelf")).toContain(`<option value="${top.pk}" selected>Top</option>`);
    expect(fieldRow(page, "extra")).toContain("&quot;colour&quot;: &quot;blue&quot;");
  });

  it("the page's queries do not grow with the related rows offered (one query per select)", async () => {
    const client = new APIClient(app());
    const few = await captureQueries(() => client.get(`/items/${pen.pk}/`, asEditor));
    for (let i = 0; i < 10; i++) await Shelf.objects.create({ name: `Shelf ${i}` });
    const many = await captureQueries(() => client.get(`/items/${pen.pk}/`, asEditor));
    expect((many.result.text.match(/<option value="\d+"/g) ?? []).length).toBe(12);
    expect(many.queries.length).toBe(few.queries.length);
  });

  it("no forms for a visitor the permissions refuse", async () => {
    const list = (await new APIClient(app()).get("/items/", html)).text;
    const detail = (await new APIClient(app()).get(`/items/${pen.pk}/`, html)).text;
    for (const page of [list, detail]) {
      expect(page).not.toContain('data-form="html"');
      expect(page).not.toContain('data-form="raw"');
      expect(page).not.toContain('data-form="delete"');
    }
  });

  it("a create from the page answers the 201 as a page and saves the row", async () => {
    const res = await new APIClient(app()).post(
      "/items/",
      { name: "Ruler", price: "3.10", stock: 2, shelf: top.pk, extra: { cm: 30 } },
      asEditor,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text).toContain("<b>HTTP 201 Created</b>");
    expect(res.text).toContain("&quot;name&quot;: &quot;Ruler&quot;");
    const row = await Item.objects.get({ name: "Ruler" });
    expect(row.price).toBe("3.10");
    expect(row.stock).toBe(2);
    expect(row.extra).toEqual({ cm: 30 });
  });

  it("a refused create re-shows what was sent with each error next to its field", async () => {
    const res = await new APIClient(app()).post("/items/", { name: "", price: "-x", shelf: 999 }, asEditor);
    expect(res.status).toBe(400);
    expect(res.text).toContain("<b>HTTP 400 Bad Request</b>");
    const name = fieldRow(res.text, "name");
    expect(name).toContain('class="field has-error"');
    expect(name).toContain('<ul class="errorlist"><li>This field may not be blank.</li></ul>');
    expect(fieldRow(res.text, "price")).toContain("<li>A valid number is required.</li>");
    expect(fieldRow(res.text, "price")).toContain('value="-x"');
    expect(fieldRow(res.text, "shelf")).toContain(
      "<li>Invalid pk &quot;999&quot; - object does not exist.</li>",
    );
    expect(fieldRow(res.text, "stock")).not.toContain("errorlist");
    expect(await Item.objects.count()).toBe(3);
  });

  it("a refused PATCH re-shows the detail form with the errors", async () => {
    const res = await new APIClient(app()).patch(
      `/items/${pen.pk}/`,
      { stock: -1, name: "x".repeat(60) },
      asEditor,
    );
    expect(res.status).toBe(400);
    expect(fieldRow(res.text, "name")).toContain(
      "<li>Ensure this field has no more than 50 characters.</li>",
    );
    expect((await Item.objects.get({ pk: pen.pk })).name).toBe("Pen");
  });
});
