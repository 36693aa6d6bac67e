// The handbook's Part 4 generic views and ViewSets over a small in-test model
// set, through the test client, on the test database (TEST_DB=sqlite|postgres).
import {
  BooleanField,
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DecimalField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
  SlugField,
  TextField,
} from "@x/models";
import { ModelSerializer, SerializerMethodField, SlugRelatedField } from "@x/serializers";
import { Hono } from "hono";
import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ActionsOf,
  APIClient,
  APIException,
  APIView,
  type Authentication,
  apiView,
  CreateModelMixin,
  type FilterBackend,
  GenericViewSet,
  getObjectOr404,
  ListCreateAPIView,
  ListModelMixin,
  ModelViewSet,
  type Permission,
  ReadOnlyModelViewSet,
  type Request,
  Response,
  RetrieveModelMixin,
  RetrieveUpdateDestroyAPIView,
  type SerializerLike,
  status,
  type User,
  ValidationError,
  withMixins,
} from "../src/index.js";

const Category = defineModel("shopviews.Category", {
  fields: {
    name: CharField({ maxLength: 100 }),
    slug: SlugField({ unique: true, maxLength: 100 }),
  },
  meta: { ordering: ["name"] },
});
const Product = defineModel("shopviews.Product", {
  fields: {
    name: CharField({ maxLength: 200 }),
    slug: SlugField({ unique: true, maxLength: 200 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
    is_featured: BooleanField({ default: false }),
    created_by: IntegerField({ null: true, blank: true }),
    category: ForeignKey(() => Category, { onDelete: CASCADE, relatedName: "products" }),
  },
  meta: { ordering: ["id"] },
});
const Review = defineModel("shopviews.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    rating: IntegerField(),
    comment: TextField({ blank: true, default: "" }),
  },
  meta: { ordering: ["id"] },
});
type ProductRow = InstanceOf<typeof Product>;

class CategorySerializer extends ModelSerializer.of({ model: Category, fields: ["id", "name", "slug"] }) {}
class ReviewSerializer extends ModelSerializer.of({ model: Review, fields: ["id", "rating", "comment"] }) {}

class ProductSerializer extends ModelSerializer.of(
  { model: Product, fields: ["id", "name", "slug", "price", "stock", "is_featured", "category"] },
  { category: new SlugRelatedField({ slugField: "slug", queryset: Category.objects.all() }) },
) {}

class ProductListSerializer extends ModelSerializer.of(
  { model: Product, fields: ["id", "name", "price", "category"] },
  { category: new SlugRelatedField({ slugField: "slug", readOnly: true }) },
) {}

class ProductDetailSerializer extends ModelSerializer.of(
  { model: Product, fields: ["id", "name", "price", "category", "reviews", "average_rating"] },
  {
    category: new CategorySerializer({ readOnly: true }),
    reviews: new ReviewSerializer({ many: true, readOnly: true }),
    average_rating: new SerializerMethodField(v.nullable(v.number()), { reads: { prefetch: ["reviews"] } }),
  },
) {
  // Async method field: the reviews come from the prefetch cache (no query).
  async get_average_rating(product: ProductRow): Promise<number | null> {
    const reviews = await (
      product as unknown as { reviews: { all(): PromiseLike<Array<{ rating: number }>> } }
    ).reviews.all();
    return reviews.length ? reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length : null;
  }
}

const staff: User = { isAuthenticated: true, pk: 42, is_staff: true };

class HeaderAuth implements Authentication {
  authenticate(request: Request): readonly [User, unknown] | null {
    return request.headers.get("x-user") === "staff" ? [staff, null] : null;
  }
  authenticateHeader(): string {
    return 'Bearer realm="api"';
  }
}
class IsAuthenticatedOrReadOnly implements Permission {
  hasPermission(request: Request): boolean {
    return ["GET", "HEAD", "OPTIONS"].includes(request.method) || request.user.isAuthenticated;
  }
}

class ProductListView extends ListCreateAPIView<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override authenticationClasses = [HeaderAuth];
  static override permissionClasses = [IsAuthenticatedOrReadOnly];

  override async performCreate(serializer: SerializerLike): Promise<void> {
    await serializer.save({ created_by: this.request.user.pk });
  }
}

class ProductDetailView extends RetrieveUpdateDestroyAPIView<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override authenticationClasses = [HeaderAuth];
  static override permissionClasses = [IsAuthenticatedOrReadOnly];
}

/** The handbook's InsufficientStock, raised with a dict detail. */
class InsufficientStock extends APIException {
  static override statusCode = status.HTTP_400_BAD_REQUEST;
  static override defaultDetail = "Not enough stock available.";
  static override defaultCode = "insufficient_stock";
}

class ProductViewSet extends ModelViewSet<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override authenticationClasses = [HeaderAuth];
  static override permissionClasses = [IsAuthenticatedOrReadOnly];
  static override actions: ActionsOf<ProductViewSet> = {
    featured: { detail: false },
    reviews: { detail: true, serializerClass: ReviewSerializer },
    createOrder: { detail: false, methods: ["post"], urlPath: "order" },
  };

  /** The handbook's create_order: a custom exception with a dict detail. */
  async createOrder(request: Request): Promise<Response> {
    const data = (await request.data) as { product_id?: unknown; quantity?: unknown };
    const product = await getObjectOr404(Product.objects.all(), { pk: String(data.product_id) });
    const quantity = Number(data.quantity);
    if (product.stock < quantity)
      throw new InsufficientStock({ available: product.stock, requested: quantity });
    return new Response({ ordered: quantity }, { status: status.HTTP_201_CREATED });
  }

  override getSerializerClass() {
    if (this.action === "list") return ProductListSerializer;
    if (this.action === "retrieve") return ProductDetailSerializer;
    return super.getSerializerClass();
  }

  async featured(): Promise<Response> {
    const rows = await this.getPlannedQueryset().filter({ is_featured: true });
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }

  async reviews(): Promise<Response> {
    const product = await this.getObject();
    const rows = await Review.objects.filter({ product: product.id });
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }
}

/** A filter backend: `?min_stock=N` keeps rows with at least N in stock (applies to list and getObject, as DRF). */
class MinStockFilter implements FilterBackend {
  filterQueryset<Q>(request: Request, queryset: Q): Q {
    const min = request.queryParams.get("min_stock");
    if (min === null || !/^\d+$/.test(min)) return queryset;
    return (queryset as unknown as { filter(l: Record<string, unknown>): Q }).filter({
      stock__gte: Number(min),
    });
  }
}

class FilteredProductViewSet extends ReadOnlyModelViewSet<ProductRow> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductListSerializer;
  static override filterBackends = [MinStockFilter];
}

class CategoryViewSet extends ReadOnlyModelViewSet<InstanceOf<typeof Category>> {
  static override queryset = Category.objects.all();
  static override serializerClass = CategorySerializer;
  static override lookupField = "slug";
}

class CreateListRetrieveViewSet extends withMixins(
  GenericViewSet<ProductRow>,
  CreateModelMixin,
  ListModelMixin,
  RetrieveModelMixin,
) {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
}

class IsAuthenticated implements Permission {
  hasPermission(request: Request): boolean {
    return request.user.isAuthenticated;
  }
}

/** The handbook's APIView ProductListView: filtering and ordering from query parameters. */
class ProductListAPIView extends APIView {
  static override authenticationClasses = [HeaderAuth];
  static override permissionClasses = [IsAuthenticated];

  async get(request: Request): Promise<Response> {
    let products = Product.objects.selectRelated("category");
    const category = request.queryParams.get("category");
    if (category) products = products.filter({ category__slug: category });
    const ordering = request.queryParams.get("ordering") === "price" ? "price" : "-id";
    products = products.orderBy(ordering);
    const serializer = new ProductSerializer({ instance: await products, many: true, context: { request } });
    return new Response(await serializer.data);
  }

  async post(request: Request): Promise<Response> {
    const serializer = new ProductSerializer({ data: await request.data });
    if (await serializer.isValid()) {
      await serializer.save({ created_by: request.user.pk });
      return new Response(await serializer.data, { status: status.HTTP_201_CREATED });
    }
    return new Response(serializer.errors, { status: status.HTTP_400_BAD_REQUEST });
  }
}

/** The handbook's function views product_list / product_detail. */
const productList = apiView(
  ["GET", "POST"],
  async (request) => {
    if (request.method === "GET") {
      const rows = await Product.objects.selectRelated("category");
      const serializer = new ProductSerializer({ instance: rows, many: true });
      return new Response(await serializer.data);
    }
    const serializer = new ProductSerializer({ data: await request.data });
    if (await serializer.isValid()) {
      await serializer.save();
      return new Response(await serializer.data, { status: status.HTTP_201_CREATED });
    }
    return new Response(serializer.errors, { status: status.HTTP_400_BAD_REQUEST });
  },
  { authenticationClasses: [HeaderAuth], permissionClasses: [IsAuthenticated] },
);

const productDetail = apiView(["GET", "PUT", "DELETE"], async (request) => {
  const product = await getObjectOr404(Product.objects.selectRelated("category"), { pk: request.kwargs.pk });
  if (request.method === "GET") return new Response(await new ProductSerializer({ instance: product }).data);
  if (request.method === "PUT") {
    const serializer = new ProductSerializer({ instance: product, data: await request.data });
    if (await serializer.isValid()) {
      await serializer.save();
      return new Response(await serializer.data);
    }
    return new Response(serializer.errors, { status: status.HTTP_400_BAD_REQUEST });
  }
  await product.delete();
  return new Response(undefined, { status: status.HTTP_204_NO_CONTENT });
});

/** Writes through the ORM directly (no serializer validation): the database's unique check answers. */
const rawCategoryCreate = apiView(["POST"], async (request) => {
  const data = (await request.data) as { name: string; slug: string };
  const category = await Category.objects.create({ name: data.name, slug: data.slug });
  return new Response({ id: category.id }, { status: 201 });
});

function app(): Hono {
  const hono = new Hono();
  hono.all("/raw/categories/", rawCategoryCreate);
  hono.all("/apiview/products/", ProductListAPIView.asView());
  hono.all("/fbv/products/", productList);
  hono.all("/fbv/products/:pk/", productDetail);
  hono.all("/generic/products/", ProductListView.asView());
  hono.all("/generic/products/:pk/", ProductDetailView.asView());
  hono.all("/products/", ProductViewSet.asView({ get: "list", post: "create" }, { basename: "product" }));
  hono.all("/products/order/", ProductViewSet.asView({ post: "createOrder" }, { basename: "product" }));
  hono.all("/products/featured/", ProductViewSet.asView({ get: "featured" }, { basename: "product" }));
  hono.all(
    "/products/:pk/",
    ProductViewSet.asView(
      { get: "retrieve", put: "update", patch: "partialUpdate", delete: "destroy" },
      { basename: "product", detail: true },
    ),
  );
  hono.all("/products/:pk/reviews/", ProductViewSet.asView({ get: "reviews" }, { basename: "product" }));
  hono.all("/filtered/", FilteredProductViewSet.asView({ get: "list" }));
  hono.all("/filtered/:pk/", FilteredProductViewSet.asView({ get: "retrieve" }));
  hono.all("/categories/", CategoryViewSet.asView({ get: "list" }));
  hono.all("/categories/:slug/", CategoryViewSet.asView({ get: "retrieve" }));
  hono.all("/clr/", CreateListRetrieveViewSet.asView({ get: "list", post: "create" }));
  hono.all("/clr/:pk/", CreateListRetrieveViewSet.asView({ get: "retrieve" }));
  return hono;
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Category, Product, Review] });
});
afterAll(async () => {
  await tdb.close();
});

let books: InstanceOf<typeof Category>;
let pen: ProductRow;
beforeEach(async () => {
  await tdb.reset();
  books = await Category.objects.create({ name: "Books", slug: "books" });
  const office = await Category.objects.create({ name: "Office", slug: "office" });
  pen = await Product.objects.create({ name: "Pen", slug: "pen", price: "1.50", stock: 3, category: office });
  await Product.objects.create({
    name: "Dune",
    slug: "dune",
    price: "12.00",
    is_featured: true,
    category: books,
  });
  await Product.objects.create({ name: "Emma", slug: "emma", price: "8.25", category: books });
  await Review.objects.create({ product: pen, rating: 4, comment: "ok" });
  await Review.objects.create({ product: pen, rating: 5, comment: "great" });
});

const auth = { headers: { "X-User": "staff" } };

describe("APIView and function views (handbook Part 4)", () => {
  it("APIView filters and orders from query parameters; anonymous is 401", async () => {
    const client = new APIClient(app());
    expect((await client.get("/apiview/products/")).status).toBe(401);
    const res = await client.get("/apiview/products/", {
      ...auth,
      query: { category: "books", ordering: "price" },
    });
    expect(res.data.map((p: { slug: string }) => p.slug)).toEqual(["emma", "dune"]);
    const bad = await client.post("/apiview/products/", { name: "X" }, auth);
    expect(bad.status).toBe(400);
    expect(bad.data.slug).toEqual(["This field is required."]);
    const made = await client.post(
      "/apiview/products/",
      { name: "Ink", slug: "ink", price: "2.00", category: "office" },
      auth,
    );
    expect(made.status).toBe(201);
    expect((await Product.objects.get({ slug: "ink" })).created_by).toBe(42);
  });

  it("function views: list/create and detail with 404, PUT and DELETE", async () => {
    const client = new APIClient(app());
    expect((await client.get("/fbv/products/", auth)).data).toHaveLength(3);
    expect((await client.get("/fbv/products/999/")).status).toBe(404);
    const put = await client.put(`/fbv/products/${pen.id}/`, {
      name: "Pen",
      slug: "pen",
      price: "1.60",
      category: "office",
    });
    expect([put.status, put.data.price]).toEqual([200, "1.60"]);
    expect((await client.delete(`/fbv/products/${pen.id}/`)).status).toBe(204);
    expect(await Product.objects.filter({ pk: pen.id }).exists()).toBe(false);
    expect((await client.patch(`/fbv/products/${pen.id}/`, {})).status).toBe(405);
  });
});

describe("generic views (handbook Part 4)", () => {
  it("ListCreateAPIView lists and creates with performCreate", async () => {
    const client = new APIClient(app());
    const list = await client.get("/generic/products/");
    expect(list.status).toBe(200);
    expect(list.data.map((p: { slug: string }) => p.slug)).toEqual(["pen", "dune", "emma"]);
    expect(list.data[0]).toEqual({
      id: pen.id,
      name: "Pen",
      slug: "pen",
      price: "1.50",
      stock: 3,
      is_featured: false,
      category: "office",
    });

    const anon = await client.post("/generic/products/", {
      name: "Ink",
      slug: "ink",
      price: "2.00",
      category: "office",
    });
    expect(anon.status).toBe(401);
    const created = await client.post(
      "/generic/products/",
      { name: "Ink", slug: "ink", price: "2.00", category: "office" },
      auth,
    );
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: "Ink", price: "2.00", category: "office" });
    const row = await Product.objects.get({ slug: "ink" });
    expect(row.created_by).toBe(42);
  });

  it("validation errors are DRF's 400 body", async () => {
    const res = await new APIClient(app()).post("/generic/products/", { name: "", price: "abc" }, auth);
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({
      name: ["This field may not be blank."],
      slug: ["This field is required."],
      price: ["A valid number is required."],
      category: ["This field is required."],
    });
  });

  it("RetrieveUpdateDestroyAPIView: get, put, patch, delete, 404", async () => {
    const client = new APIClient(app());
    expect((await client.get(`/generic/products/${pen.id}/`)).data.name).toBe("Pen");
    const patched = await client.patch(`/generic/products/${pen.id}/`, { stock: 9 }, auth);
    expect([patched.status, patched.data.stock]).toEqual([200, 9]);
    const put = await client.put(
      `/generic/products/${pen.id}/`,
      { name: "Pen 2", slug: "pen", price: "1.75", category: "books" },
      auth,
    );
    expect([put.status, put.data.category, put.data.name]).toEqual([200, "books", "Pen 2"]);
    expect((await Product.objects.get({ id: pen.id })).price).toBe("1.75");
    const deleted = await client.delete(`/generic/products/${pen.id}/`, undefined, auth);
    expect([deleted.status, deleted.text]).toEqual([204, ""]);
    expect(await Product.objects.filter({ id: pen.id }).exists()).toBe(false);
    const missing = await client.get(`/generic/products/${pen.id}/`);
    expect([missing.status, missing.data]).toEqual([404, { detail: "Not found." }]);
    for (const bad of ["abc", "99999999999", "1.5", "-"]) {
      const malformed = await client.get(`/generic/products/${bad}/`);
      expect([malformed.status, malformed.data]).toEqual([404, { detail: "Not found." }]);
    }
  });

  it("a unique violation is a 400, not a 500", async () => {
    const res = await new APIClient(app()).post(
      "/generic/products/",
      { name: "Pen again", slug: "pen", price: "1.00", category: "office" },
      auth,
    );
    expect(res.status).toBe(400);
    expect(res.data.slug).toBeDefined();
  });

  it("a unique violation raised by the database is a 400 naming the column, on both databases", async () => {
    const client = new APIClient(app());
    const res = await client.post("/raw/categories/", { name: "Again", slug: "books" });
    expect([res.status, res.data]).toEqual([400, { slug: ["This field must be unique."] }]);
    expect(await Category.objects.count()).toBe(2);
  });

  it("OPTIONS describes the write serializer for users allowed to write", async () => {
    const client = new APIClient(app());
    const anon = await client.options("/generic/products/");
    expect(anon.status).toBe(200);
    expect(anon.data.actions).toBeUndefined();
    const res = await client.options("/generic/products/", auth);
    expect(res.data.name).toBe("Product List");
    expect(res.data.renders).toEqual(["application/json"]);
    expect(Object.keys(res.data.actions)).toEqual(["POST"]);
    const post = res.data.actions.POST;
    expect(Object.keys(post)).toEqual(["id", "name", "slug", "price", "stock", "is_featured", "category"]);
    expect(post.id).toEqual({ type: "integer", required: false, read_only: true, label: "Id" });
    expect(post.name).toEqual({
      type: "string",
      required: true,
      read_only: false,
      label: "Name",
      max_length: 200,
    });
    expect(post.price).toMatchObject({ type: "decimal", required: true, read_only: false, label: "Price" });
    expect(post.is_featured).toMatchObject({ type: "boolean", required: false, label: "Is featured" });
    const detail = await client.options(`/generic/products/${pen.id}/`, auth);
    expect(Object.keys(detail.data.actions)).toEqual(["PUT"]);
    expect((await client.options("/generic/products/999/", auth)).data.actions).toBeUndefined();
  });
});

describe("ViewSets (handbook Part 4)", () => {
  it("per-action serializers with automatic query planning: list in one query", async () => {
    const client = new APIClient(app());
    const { result: list, queries } = await captureQueries(() => client.get("/products/"));
    expect(list.status).toBe(200);
    expect(list.data).toEqual([
      { id: pen.id, name: "Pen", price: "1.50", category: "office" },
      { id: expect.any(Number), name: "Dune", price: "12.00", category: "books" },
      { id: expect.any(Number), name: "Emma", price: "8.25", category: "books" },
    ]);
    expect(queries).toHaveLength(1);
  });

  it("retrieve with nested category, reviews and average rating in a constant number of queries", async () => {
    const client = new APIClient(app());
    const { result: res, queries } = await captureQueries(() => client.get(`/products/${pen.id}/`));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      id: pen.id,
      name: "Pen",
      price: "1.50",
      category: { id: expect.any(Number), name: "Office", slug: "office" },
      reviews: [
        { id: expect.any(Number), rating: 4, comment: "ok" },
        { id: expect.any(Number), rating: 5, comment: "great" },
      ],
      average_rating: 4.5,
    });
    expect(queries).toHaveLength(2);
  });

  it("extra actions: featured (detail=false) and reviews (detail=true, own serializer)", async () => {
    const client = new APIClient(app());
    const featured = await client.get("/products/featured/");
    expect(featured.data).toEqual([
      {
        id: expect.any(Number),
        name: "Dune",
        slug: "dune",
        price: "12.00",
        stock: 0,
        is_featured: true,
        category: "books",
      },
    ]);
    const reviews = await client.get(`/products/${pen.id}/reviews/`);
    expect(reviews.data.map((r: { rating: number }) => r.rating)).toEqual([4, 5]);
  });

  it("create/update/destroy through the ViewSet, 401 for anonymous writes", async () => {
    const client = new APIClient(app());
    expect((await client.delete(`/products/${pen.id}/`)).status).toBe(401);
    const created = await client.post(
      "/products/",
      { name: "Ink", slug: "ink", price: "2.00", category: "office" },
      auth,
    );
    expect(created.status).toBe(201);
    const patched = await client.patch(`/products/${created.data.id}/`, { price: "2.50" }, auth);
    expect(patched.data.price).toBe("2.50");
    expect((await client.delete(`/products/${created.data.id}/`, undefined, auth)).status).toBe(204);
  });

  it("a custom exception with a dict detail (the handbook's InsufficientStock)", async () => {
    const client = new APIClient(app());
    const res = await client.post("/products/order/", { product_id: pen.id, quantity: 5 }, auth);
    expect([res.status, res.data]).toEqual([400, { available: 3, requested: 5 }]);
    const ok = await client.post("/products/order/", { product_id: pen.id, quantity: 2 }, auth);
    expect([ok.status, ok.data]).toEqual([201, { ordered: 2 }]);
    const missing = await client.post("/products/order/", { product_id: 999, quantity: 1 }, auth);
    expect([missing.status, missing.data]).toEqual([404, { detail: "Not found." }]);
  });

  it("HEAD works wherever GET does", async () => {
    const res = await new APIClient(app()).head(`/products/${pen.id}/`);
    expect([res.status, res.text]).toEqual([200, ""]);
  });

  it("filter backends narrow the list and getObject (a filtered-out row is a 404)", async () => {
    const client = new APIClient(app());
    const list = await client.get("/filtered/", { query: { min_stock: 1 } });
    expect(list.data.map((p: { name: string }) => p.name)).toEqual(["Pen"]);
    expect((await client.get("/filtered/")).data).toHaveLength(3);
    const dune = await Product.objects.get({ slug: "dune" });
    expect((await client.get(`/filtered/${dune.id}/`, { query: { min_stock: 1 } })).status).toBe(404);
    expect((await client.get(`/filtered/${pen.id}/`, { query: { min_stock: 1 } })).status).toBe(200);
  });

  it("getObject: object permissions answered in order, sync or async; a pending filter check runs first", async () => {
    const asked: string[] = [];
    const objectPermission = (name: string, allowed: boolean, async: boolean) =>
      class implements Permission {
        message = `${name} says no.`;
        hasPermission(): boolean {
          return true;
        }
        hasObjectPermission(): boolean | Promise<boolean> {
          asked.push(name);
          return async ? Promise.resolve(allowed) : allowed;
        }
      };
    const SyncYes = objectPermission("SyncYes", true, false);
    const SyncNo = objectPermission("SyncNo", false, false);
    const AsyncYes = objectPermission("AsyncYes", true, true);
    const AsyncNo = objectPermission("AsyncNo", false, true);
    /** `?stock_of=<slug>` must name a product: checked against the database before the lookup. */
    class CheckedFilter implements FilterBackend {
      filterQueryset<Q>(_request: Request, queryset: Q): Q {
        return queryset;
      }
      validateRequest(request: Request): Promise<void> | undefined {
        const slug = request.queryParams.get("stock_of");
        if (slug === null) return undefined;
        asked.push("filter");
        return Product.objects
          .filter({ slug })
          .exists()
          .then((found) => {
            if (!found) throw new ValidationError({ stock_of: ["No such product."] });
          });
      }
    }
    const hono = new Hono();
    const routes = [
      [SyncYes, AsyncYes],
      [SyncYes, AsyncNo, SyncYes],
      [AsyncYes, SyncNo, AsyncYes],
      [SyncNo, AsyncNo],
      [AsyncYes],
    ].map((permissions, i) => {
      class View extends ReadOnlyModelViewSet<ProductRow> {
        static override queryset = Product.objects.all();
        static override serializerClass = ProductListSerializer;
        static override permissionClasses = permissions;
        static override filterBackends = [CheckedFilter];
      }
      hono.all(`/perm${i}/:pk/`, View.asView({ get: "retrieve" }));
      return `/perm${i}/${pen.id}/`;
    });
    const client = new APIClient(hono);
    const get = async (path: string, query?: Record<string, string>) => {
      asked.length = 0;
      const res = await client.get(path, query ? { query } : {});
      return [res.status, res.data?.detail ?? res.data?.name ?? res.data, [...asked]];
    };
    const [bothAllow, asyncDenies, syncDenies, firstDenies, checked] = routes as string[];
    expect(await get(bothAllow as string)).toEqual([200, "Pen", ["SyncYes", "AsyncYes"]]);
    expect(await get(asyncDenies as string)).toEqual([403, "AsyncNo says no.", ["SyncYes", "AsyncNo"]]);
    expect(await get(syncDenies as string)).toEqual([403, "SyncNo says no.", ["AsyncYes", "SyncNo"]]);
    expect(await get(firstDenies as string)).toEqual([403, "SyncNo says no.", ["SyncNo"]]);
    expect(await get(checked as string, { stock_of: "dune" })).toEqual([200, "Pen", ["filter", "AsyncYes"]]);
    // the failed check answers 400 before the object is looked up or its permissions asked
    expect(await get(checked as string, { stock_of: "nope" })).toEqual([
      400,
      { stock_of: ["No such product."] },
      ["filter"],
    ]);
  });

  it("ReadOnlyModelViewSet looked up by slug", async () => {
    const client = new APIClient(app());
    expect((await client.get("/categories/")).data.map((c: { slug: string }) => c.slug)).toEqual([
      "books",
      "office",
    ]);
    expect((await client.get("/categories/books/")).data).toEqual({
      id: books.id,
      name: "Books",
      slug: "books",
    });
    expect((await client.get("/categories/nope/")).status).toBe(404);
  });

  it("custom mixin combination: create, list, retrieve — no update or delete", async () => {
    const client = new APIClient(app());
    expect((await client.get("/clr/")).data).toHaveLength(3);
    expect((await client.get(`/clr/${pen.id}/`)).data.slug).toBe("pen");
    expect(CreateListRetrieveViewSet.hasAction("update")).toBe(false);
    expect(() => CreateListRetrieveViewSet.asView({ put: "update" })).toThrow(/no action "update"/);
  });
});
