// Hyperlinked serializers through views: URLs reversed from the routes the app
// serves (via the installed resolver), and hyperlinks in request bodies resolved back.
import {
  CASCADE,
  CharField,
  createTestDatabase,
  DecimalField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  SlugField,
} from "@x/models";
import { HyperlinkedModelSerializer, HyperlinkedRelatedField } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIClient, apiContext, ModelViewSet, ReadOnlyModelViewSet, type UrlResolver } from "../src/index.js";

const Category = defineModel("linkviews.Category", {
  fields: { name: CharField({ maxLength: 50 }), slug: SlugField({ unique: true, maxLength: 50 }) },
});
const Product = defineModel("linkviews.Product", {
  fields: {
    name: CharField({ maxLength: 50 }),
    price: DecimalField({ maxDigits: 8, decimalPlaces: 2 }),
    category: ForeignKey(() => Category, { onDelete: CASCADE, relatedName: "products" }),
  },
  meta: { ordering: ["id"] },
});

class ProductSerializer extends HyperlinkedModelSerializer.of(
  {
    model: Product,
    fields: ["url", "id", "name", "price", "category"],
    extraKwargs: { url: { viewName: "product-detail" } },
  },
  {
    category: new HyperlinkedRelatedField({
      viewName: "category-detail",
      lookupField: "slug",
      queryset: Category.objects.all(),
    }),
  },
) {}
class CategorySerializer extends HyperlinkedModelSerializer.of({
  model: Category,
  fields: ["url", "name", "slug"],
  extraKwargs: { url: { viewName: "category-detail", lookupField: "slug" } },
}) {}

class ProductViewSet extends ModelViewSet<InstanceOf<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
}
class CategoryViewSet extends ReadOnlyModelViewSet<InstanceOf<typeof Category>> {
  static override queryset = Category.objects.all();
  static override serializerClass = CategorySerializer;
  static override lookupField = "slug";
}

/** A resolver over this app's own routes (what @x/routers installs for router-built routes). */
const routes: Record<string, string> = {
  "product-list": "/api/products/",
  "product-detail": "/api/products/:pk/",
  "category-detail": "/api/categories/:slug/",
};
const resolver: UrlResolver = {
  reverse(name, kwargs = {}) {
    const pattern = routes[name];
    if (!pattern) throw new Error(`NoReverseMatch: ${name}`);
    return pattern.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String(kwargs[key])));
  },
  resolve(path) {
    for (const [viewName, pattern] of Object.entries(routes)) {
      const names: string[] = [];
      const regex = new RegExp(
        `^${pattern.replace(/:(\w+)/g, (_, key: string) => {
          names.push(key);
          return "([^/]+)";
        })}$`,
      );
      const match = regex.exec(path);
      if (match)
        return { viewName, kwargs: Object.fromEntries(names.map((n, i) => [n, match[i + 1] ?? ""])) };
    }
    return null;
  },
};

function app(): Hono {
  const hono = new Hono();
  hono.use("/api/*", apiContext({ resolver }));
  hono.all(routes["product-list"] as string, ProductViewSet.asView({ get: "list", post: "create" }));
  hono.all(routes["product-detail"] as string, ProductViewSet.asView({ get: "retrieve", put: "update" }));
  hono.all(routes["category-detail"] as string, CategoryViewSet.asView({ get: "retrieve" }));
  return hono;
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Category, Product] });
});
afterAll(async () => {
  await tdb.close();
});
beforeEach(async () => {
  await tdb.reset();
});

describe("hyperlinked serializers end to end", () => {
  it("renders absolute URLs of real routes, followable with the same client", async () => {
    const books = await Category.objects.create({ name: "Books", slug: "books" });
    const dune = await Product.objects.create({ name: "Dune", price: "12.00", category: books });
    const client = new APIClient(app(), { baseUrl: "https://shop.example" });
    const list = await client.get("/api/products/");
    expect(list.data).toEqual([
      {
        url: `https://shop.example/api/products/${dune.id}/`,
        id: dune.id,
        name: "Dune",
        price: "12.00",
        category: "https://shop.example/api/categories/books/",
      },
    ]);
    const category = await client.get(list.data[0].category);
    expect(category.data).toEqual({
      url: "https://shop.example/api/categories/books/",
      name: "Books",
      slug: "books",
    });
    expect((await client.get(list.data[0].url)).data.name).toBe("Dune");
  });

  it("accepts hyperlinks in request bodies and rejects ones that name nothing", async () => {
    await Category.objects.create({ name: "Books", slug: "books" });
    const client = new APIClient(app(), { baseUrl: "https://shop.example" });
    const created = await client.post("/api/products/", {
      name: "Emma",
      price: "8.00",
      category: "https://shop.example/api/categories/books/",
    });
    expect(created.status).toBe(201);
    expect(created.data.category).toBe("https://shop.example/api/categories/books/");
    const wrongRoute = await client.post("/api/products/", {
      name: "X",
      price: "1.00",
      category: `https://shop.example/api/products/${created.data.id}/`,
    });
    expect([wrongRoute.status, wrongRoute.data]).toEqual([
      400,
      { category: ["Invalid hyperlink - Incorrect URL match."] },
    ]);
    const missing = await client.post("/api/products/", {
      name: "X",
      price: "1.00",
      category: "https://shop.example/api/categories/nope/",
    });
    expect(missing.data).toEqual({ category: ["Invalid hyperlink - Object does not exist."] });
    const noMatch = await client.post("/api/products/", {
      name: "X",
      price: "1.00",
      category: "https://shop.example/x/",
    });
    expect(noMatch.data).toEqual({ category: ["Invalid hyperlink - No URL match."] });
  });
});
