// The serializer plan's only(): reads fetch the columns they render; writes load whole rows; a
// plan of another model is ignored; cursor pages still read their ordering columns.
import {
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DateTimeField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
  TextField,
} from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ActionsOf,
  APIClient,
  CursorPagination,
  ModelViewSet,
  ReadOnlyModelViewSet,
  Response,
} from "../src/index.js";

const Product = defineModel("onlyviews.Product", {
  fields: {
    name: CharField({ maxLength: 100 }),
    description: TextField({ blank: true }),
    stock: IntegerField({ default: 0 }),
    updated_at: DateTimeField({ autoNow: true }),
  },
  meta: { ordering: ["id"] },
});
const Review = defineModel("onlyviews.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    rating: IntegerField(),
  },
  meta: { ordering: ["id"] },
});
type ProductRow = InstanceOf<typeof Product>;

class ProductSerializer extends ModelSerializer.of({ model: Product, fields: ["id", "name"] }) {}
class ReviewSerializer extends ModelSerializer.of({ model: Review, fields: ["id", "rating"] }) {}

class ProductViewSet extends ModelViewSet<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override actions: ActionsOf<ProductViewSet> = {
    reviews: { detail: true, serializerClass: ReviewSerializer },
  };

  async reviews(): Promise<Response> {
    const product = await this.getObject();
    const rows = await Review.objects.filter({ product: product.id });
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }
}

/** Only products still in stock may be seen one by one: reads a column the serializer does not render. */
class InStockOnly {
  message = "Out of stock.";
  hasObjectPermission(_request: unknown, _view: unknown, product: { stock: number }): boolean {
    return product.stock > 0;
  }
}
class GuardedProductViewSet extends ReadOnlyModelViewSet<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override permissionClasses = [InStockOnly];
}

class ByStock extends CursorPagination {
  override pageSize = 2;
  override ordering = ["stock"];
}
class CursorProductViewSet extends ReadOnlyModelViewSet<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override paginationClass = ByStock;
}

function app(): Hono {
  const hono = new Hono();
  hono.all("/products/", ProductViewSet.asView({ get: "list" }, { basename: "product" }));
  hono.all(
    "/products/:pk/",
    ProductViewSet.asView(
      { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
      { basename: "product" },
    ),
  );
  hono.all("/products/:pk/reviews/", ProductViewSet.asView({ get: "reviews" }, { basename: "product" }));
  hono.all("/cursor/", CursorProductViewSet.asView({ get: "list" }));
  hono.all("/guarded/:pk/", GuardedProductViewSet.asView({ get: "retrieve" }));
  return hono;
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Product, Review] });
});
afterAll(async () => {
  await tdb.close();
});
let first: ProductRow;
beforeEach(async () => {
  await tdb.reset();
  for (let i = 0; i < 5; i++) {
    const p = await Product.objects.create({ name: `p${i}`, description: "long text", stock: 5 - i });
    if (i === 0) first = p;
    await Review.objects.create({ product: p, rating: 4 });
  }
});

const productSelects = (queries: { sql: string }[]) =>
  queries.map((q) => q.sql).filter((sql) => /^SELECT .* FROM "onlyviews_product"/.test(sql));

describe("only() from the serializer's plan", () => {
  it("a list SELECTs only the rendered columns; getObject() loads the whole row", async () => {
    const client = new APIClient(app());
    const list = await captureQueries(() => client.get("/products/"));
    expect(list.result.status).toBe(200);
    expect(list.result.data[0]).toEqual({ id: first.id, name: "p0" });
    const [sql] = productSelects(list.queries);
    expect(sql).toMatch(/^SELECT "t0"\."id", "t0"\."name" FROM/);
    const detail = await captureQueries(() => client.get(`/products/${first.id}/`));
    expect(detail.result.data).toEqual({ id: first.id, name: "p0" });
    expect(productSelects(detail.queries)[0]).toMatch(/"description".*"updated_at"/);
  });

  it("object permissions see the columns the serializer does not render", async () => {
    const client = new APIClient(app());
    expect((await client.get(`/guarded/${first.id}/`)).status).toBe(200);
    await Product.objects.filter({ pk: first.id }).update({ stock: 0 });
    const denied = await client.get(`/guarded/${first.id}/`);
    expect(denied.status).toBe(403);
    expect(denied.data).toEqual({ detail: "Out of stock." });
  });

  it("writes load the whole row: PATCH keeps auto_now and the columns it does not render", async () => {
    const old = new Date("2020-01-01T00:00:00Z");
    await Product.objects.filter({ pk: first.id }).update({ updated_at: old });
    const client = new APIClient(app());
    const res = await client.patch(`/products/${first.id}/`, { name: "renamed" });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: first.id, name: "renamed" });
    const row = await Product.objects.get({ pk: first.id });
    expect(row.name).toBe("renamed");
    expect(row.description).toBe("long text");
    expect(row.updated_at.getTime()).toBeGreaterThan(old.getTime());
  });

  it("a detail action whose serializer is of another model ignores that plan", async () => {
    const res = await new APIClient(app()).get(`/products/${first.id}/reviews/`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual([{ id: expect.any(Number), rating: 4 }]);
  });

  it("cursor pages order by a column the serializer does not render", async () => {
    const client = new APIClient(app());
    const page1 = await client.get("/cursor/");
    expect(page1.status).toBe(200);
    expect(page1.data.results.map((p: { name: string }) => p.name)).toEqual(["p4", "p3"]);
    const page2 = await client.get(page1.data.next as string);
    expect(page2.status).toBe(200);
    expect(page2.data.results.map((p: { name: string }) => p.name)).toEqual(["p2", "p1"]);
  });
});
