import { Count, captureQueries, createTestDatabase, testDatabaseVendor } from "@x/models";
import { ModelSerializer, SerializerMethodField } from "@x/serializers";
import { APIClient, ModelViewSet, PageNumberPagination, type Request, type ViewLike } from "@x/views";
import { Hono } from "hono";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  booleanFilter,
  charFilter,
  DjangoFilterBackend,
  dateFromToRangeFilter,
  defineFilterSet,
  isoDateTimeFilter,
  multipleChoiceFilter,
  numberFilter,
  OrderingFilter,
  orderingFilter,
  rangeFilter,
  SearchFilter,
} from "../src/index.js";
import { models, Product, seed } from "./shop.js";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models });
  await seed();
});
afterAll(async () => {
  await tdb.close();
});

class ProductSerializer extends ModelSerializer.of({
  model: Product,
  fields: ["id", "name", "price", "stock", "is_featured", "created_at", "category"],
}) {}

class Pages extends PageNumberPagination {
  override pageSize = 2;
}

// The handbook's "Filtering, Searching, Ordering" ProductViewSet.
class ProductViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override filterBackends = [DjangoFilterBackend, SearchFilter, OrderingFilter];
  static filtersetFields = ["category", "price", "stock"];
  static searchFields = ["name", "description", "category__name"];
  static orderingFields: readonly string[] | "__all__" = ["price", "created_at", "name"];
  static ordering = ["-created_at"];
}

// The handbook's "Custom Filters" ProductFilter.
const ProductFilter = defineFilterSet({
  model: Product,
  fields: ["category", "name"],
  filters: {
    min_price: numberFilter({ fieldName: "price", lookupExpr: "gte" }),
    max_price: numberFilter({ fieldName: "price", lookupExpr: "lte" }),
    name: charFilter({ lookupExpr: "icontains" }),
    in_stock: booleanFilter({ method: "filterInStock" }),
  },
  methods: {
    filterInStock(queryset, _name, value: boolean) {
      return value ? queryset.filter({ stock__gt: 0 }) : queryset.filter({ stock: 0 });
    },
  },
});

// Every filter type, for the 400 bodies through the backend.
const EveryTypeFilter = defineFilterSet({
  model: Product,
  fields: {
    price: ["exact", "in", "range"],
    status: ["exact"],
    release_date: ["exact"],
    created_at: ["exact"],
    opens_at: ["exact"],
    uid: ["exact"],
    category: ["exact"],
    tags: ["exact"],
    is_featured: ["exact"],
    name: ["exact"],
  },
  filters: {
    statuses: multipleChoiceFilter({ fieldName: "status" }),
    iso: isoDateTimeFilter({ fieldName: "created_at" }),
    created: dateFromToRangeFilter({ fieldName: "created_at" }),
    cost: rangeFilter({ fieldName: "price" }),
    o: orderingFilter({ fields: ["price"] }),
  },
});
class EveryTypeViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override filterBackends = [DjangoFilterBackend];
  static filtersetClass = EveryTypeFilter;
}

class CustomFilterViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override filterBackends = [DjangoFilterBackend];
  static filtersetClass = ProductFilter;
}

class PagedViewSet extends ProductViewSet {
  static override paginationClass = Pages;
  static override searchFields = ["name", "reviews__comment", "category__name"];
}

class PrefixSearchViewSet extends ProductViewSet {
  static override searchFields = ["^name", "=category__slug", "$description", "@description"];
}

class FullTextViewSet extends ProductViewSet {
  static override searchFields = ["name", "@description"];
}

class QSearch extends SearchFilter {
  override searchParam = "q";
  override quotedPhrases = true;
}
class Sort extends OrderingFilter {
  override orderingParam = "sort";
}
class CustomParamsViewSet extends ProductViewSet {
  static override filterBackends = [QSearch, Sort];
  static override orderingFields = ["price", "category__slug"];
}
class ProductWithExtrasSerializer extends ModelSerializer.of(
  { model: Product, fields: ["id", "name", "stock", "shouting"] },
  { shouting: new SerializerMethodField(v.string()) },
) {
  get_shouting(product: { name: string }) {
    return product.name.toUpperCase();
  }
}
class AllFieldsOrderingViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductWithExtrasSerializer;
  static override filterBackends = [OrderingFilter];
  static orderingFields = "__all__";
  static ordering = ["-created_at"];
}

class AnnotatedViewSet extends ProductViewSet {
  static override filterBackends = [SearchFilter, OrderingFilter];
  static override searchFields = ["name", "reviews__comment"];
  static override orderingFields = ["review_count", "category__slug", "price"];
  override getQueryset() {
    return super.getQueryset().annotate({ review_count: Count("reviews") });
  }
}
class HookedViewSet extends ProductViewSet {
  static override filterBackends = [SearchFilter];
  getSearchFields(request: Request) {
    return request.queryParams.get("in") === "description" ? ["description"] : ["name"];
  }
}
class NoSearchFieldsViewSet extends ModelViewSet<InstanceType<typeof Product>> {
  static override queryset = Product.objects.all();
  static override serializerClass = ProductSerializer;
  static override filterBackends = [SearchFilter, OrderingFilter];
}

// Without a query string: a required filter still answers 400, and a FilterSet that filters
// by itself (an overridden filterQueryset) still runs; a plain one leaves the list as it is.
const RequiredFilter = defineFilterSet({
  model: Product,
  fields: [],
  filters: { name: charFilter({ lookupExpr: "icontains", required: true }) },
});
class RequiredFilterViewSet extends ProductViewSet {
  static filtersetClass = RequiredFilter;
}
class OnlyInStock extends defineFilterSet({ model: Product, fields: ["name"] }) {
  override filterQueryset(queryset: never): never {
    return (super.filterQueryset(queryset) as unknown as { filter(q: object): never }).filter({
      stock__gt: 0,
    });
  }
}
class OnlyInStockViewSet extends ProductViewSet {
  static filtersetClass = OnlyInStock;
}
const app = new Hono();
app.all("/annotated/", AnnotatedViewSet.asView({ get: "list" }));
app.all("/hooked/", HookedViewSet.asView({ get: "list" }));
app.all("/plain/", NoSearchFieldsViewSet.asView({ get: "list" }));
app.all("/products/", ProductViewSet.asView({ get: "list" }));
app.all("/custom/", CustomFilterViewSet.asView({ get: "list" }));
app.all("/every/", EveryTypeViewSet.asView({ get: "list" }));
app.all("/paged/", PagedViewSet.asView({ get: "list" }));
app.all("/prefix/", PrefixSearchViewSet.asView({ get: "list" }));
app.all("/fulltext/", FullTextViewSet.asView({ get: "list" }));
app.all("/params/", CustomParamsViewSet.asView({ get: "list" }));
app.all("/all/", AllFieldsOrderingViewSet.asView({ get: "list" }));
app.all("/required/", RequiredFilterViewSet.asView({ get: "list" }));
app.all("/in-stock/", OnlyInStockViewSet.asView({ get: "list" }));
const client = new APIClient(app);

type Row = { name: string };
const namesOf = (data: unknown) => (data as Row[]).map((row) => row.name);
const get = async (path: string) => {
  const res = await client.get(path);
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  return namesOf(res.data);
};

describe("DjangoFilterBackend, no query string", () => {
  it("a required filter is still required; a FilterSet filtering by itself still filters", async () => {
    const missing = await client.get("/required/");
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual({ name: ["This field is required."] });
    const inStock = await Product.objects.filter({ stock__gt: 0 }).count();
    expect(await get("/in-stock/")).toHaveLength(inStock);
    expect(inStock).toBeLessThan(await Product.objects.count());
    expect(await get("/products/")).toHaveLength(await Product.objects.count());
  });

  it("a query naming none of the FilterSet's parameters builds no FilterSet; one naming any does", async () => {
    let built = 0;
    class Counted extends EveryTypeFilter {
      constructor(init: ConstructorParameters<typeof EveryTypeFilter>[0]) {
        super(init);
        built += 1;
      }
    }
    class CountedViewSet extends EveryTypeViewSet {
      static override filtersetClass = Counted;
    }
    const countedApp = new Hono();
    countedApp.all("/counted/", CountedViewSet.asView({ get: "list" }));
    const counted = new APIClient(countedApp);
    const all = await Product.objects.count();
    const res = await counted.get("/counted/?page=2&format=json&unrelated=1&cost=2");
    expect(res.status).toBe(200);
    expect(res.data).toHaveLength(all);
    expect(built).toBe(0);
    // Parameters a filter reads besides its own name (a range's _min/_max, _after/_before) count.
    for (const [query, field] of [
      ["cost_min=abc", "cost"],
      ["created_before=nope", "created"],
      ["price__range=1", "price__range"],
      ["o=nope", "o"],
    ] as const) {
      built = 0;
      const bad = await counted.get(`/counted/?page=2&${query}`);
      expect(bad.status, query).toBe(400);
      expect(Object.keys(bad.data as object), query).toEqual([field]);
      expect(built, query).toBeGreaterThan(0);
    }
    // A required filter is still required, and a FilterSet filtering by itself still filters.
    expect((await client.get("/required/?unrelated=1")).status).toBe(400);
    expect(await get("/in-stock/?unrelated=1")).toHaveLength(
      await Product.objects.filter({ stock__gt: 0 }).count(),
    );
  });
});

describe("DjangoFilterBackend", () => {
  it("filters with filtersetFields (exact lookups) in the default ordering", async () => {
    const lamps = (await Product.objects.filter({ name: "Red Lamp" }).first())!;
    expect(await get(`/products/?category=${lamps.category_id}`)).toEqual([
      "Desk Lamp",
      "Blue Lamp",
      "Red Lamp",
    ]);
    expect(await get("/products/?price=12.50")).toEqual(["Red Lamp"]);
    expect(await get("/products/?stock=0")).toEqual(["Small Desk", "Blue Lamp"]);
    expect(await get("/products/?colour=red")).toHaveLength(5);
  });

  it("returns django-filter's 400 body for invalid values", async () => {
    const res = await client.get("/products/?price=abc&stock=1.2.3&category=x");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      price: ["Enter a number."],
      stock: ["Enter a number."],
      category: ["Select a valid choice. That choice is not one of the available choices."],
    });
  });

  it("rejects NUL characters in text filters (PostgreSQL cannot store them)", async () => {
    const res = await client.get("/custom/?name=la%00mp");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ name: ["Null characters are not allowed."] });
  });

  it("ignores invalid filters instead with raiseException = false", async () => {
    class Lenient extends DjangoFilterBackend {
      override raiseException = false;
    }
    class LenientViewSet extends CustomFilterViewSet {
      static override filterBackends = [Lenient];
    }
    const lenientApp = new Hono();
    lenientApp.all("/lenient/", LenientViewSet.asView({ get: "list" }));
    const res = await new APIClient(lenientApp).get("/lenient/?min_price=abc&name=desk");
    expect(res.status).toBe(200);
    expect(namesOf(res.data).sort()).toEqual(["Desk Lamp", "Small Desk", "ÉCLAT Desk"]);
  });

  it.each([
    ["price=1,5", { price: ["Enter a number."] }],
    ["price__in=1,x", { price__in: ["Enter a number."] }],
    ["price__range=1", { price__range: ["Range query expects two values."] }],
    ["status=sold", { status: ["Select a valid choice. sold is not one of the available choices."] }],
    [
      "statuses=live&statuses=x",
      { statuses: ["Select a valid choice. x is not one of the available choices."] },
    ],
    ["release_date=31/12/2024", { release_date: ["Enter a valid date."] }],
    ["created_at=2024-01-01T10:61", { created_at: ["Enter a valid date/time."] }],
    ["iso=tomorrow", { iso: ["Enter a valid date/time."] }],
    ["opens_at=7pm", { opens_at: ["Enter a valid time."] }],
    ["uid=123", { uid: ["Enter a valid UUID."] }],
    [
      "category=lamps",
      { category: ["Select a valid choice. That choice is not one of the available choices."] },
    ],
    ["tags=red", { tags: ["“red” is not a valid value."] }],
    ["created_before=someday", { created: ["Enter a valid date."] }],
    ["cost_min=cheap", { cost: ["Enter a number."] }],
    ["o=-name", { o: ["Select a valid choice. -name is not one of the available choices."] }],
    ["name=a%00", { name: ["Null characters are not allowed."] }],
  ])("%s → 400 %j", async (query, body) => {
    const res = await client.get(`/every/?${query}`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual(body);
  });

  it("accepts valid values of every type in one request", async () => {
    const res = await client.get(
      "/every/?price__range=1,300&status=live&statuses=live&release_date=2024-01-10&created_at=2024-01-10T10:00:00Z" +
        "&iso=2024-01-10T10:00:00Z&opens_at=09:00&is_featured=true&created_after=2024-01-01&cost_max=20&o=-price&name=Red Lamp",
    );
    expect(res.status).toBe(200);
    expect(namesOf(res.data)).toEqual(["Red Lamp"]);
  });

  it("runs the handbook's ProductFilter (filtersetClass)", async () => {
    expect((await get("/custom/?min_price=12.50&max_price=100&name=lamp")).sort()).toEqual([
      "Blue Lamp",
      "Red Lamp",
    ]);
    expect((await get("/custom/?in_stock=false")).sort()).toEqual(["Blue Lamp", "Small Desk"]);
    expect((await get("/custom/?in_stock=TRUE&min_price=")).sort()).toEqual([
      "Desk Lamp",
      "Red Lamp",
      "ÉCLAT Desk",
    ]);
    const res = await client.get("/custom/?min_price=cheap");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ min_price: ["Enter a number."] });
  });
});

describe("SearchFilter", () => {
  it("matches every term somewhere in name, description or category name, ignoring case", async () => {
    expect(await get("/products/?search=lamp")).toEqual(["Desk Lamp", "Blue Lamp", "Red Lamp"]);
    expect(await get("/products/?search=RED,lamp")).toEqual(["Desk Lamp", "Red Lamp"]);
    expect(await get("/products/?search=lamp%20oak")).toEqual([]);
    expect(await get("/products/?search=%20,%20")).toHaveLength(5);
  });

  it("folds non-ASCII case on both databases", async () => {
    expect(await get("/products/?search=éclat")).toEqual(["ÉCLAT Desk"]);
    expect(await get("/products/?search=ÉCRITOIRES")).toEqual(["Small Desk", "ÉCLAT Desk"]);
  });

  it("lists a row once when a to-many field matches several times", async () => {
    // Red Lamp has two reviews containing "glow"
    const res = await client.get("/paged/?search=glow");
    expect(res.status).toBe(200);
    expect((res.data as { count: number }).count).toBe(1);
    expect(namesOf((res.data as { results: Row[] }).results)).toEqual(["Red Lamp"]);
  });

  it("uses the ^ = $ @ prefixes", async () => {
    expect(await get("/prefix/?search=desk")).toEqual(["Desk Lamp", "ÉCLAT Desk"]); // ^name, $description
    expect(await get("/prefix/?search=DESKS")).toEqual(["Small Desk", "ÉCLAT Desk"]); // =category__slug
    expect(await get("/prefix/?search=^oak")).toEqual(["ÉCLAT Desk"]); // $description
    expect(await get("/prefix/?search=clamp")).toEqual(["Desk Lamp"]); // @description
  });

  it("uses PostgreSQL full-text search for @ fields (contains on SQLite)", async () => {
    // every term must match the name or the description's text
    expect(await get("/fulltext/?search=BRIGHT,lamp")).toEqual(["Red Lamp"]);
    const { result, queries } = await captureQueries(() => client.get("/fulltext/?search=desks"));
    expect(result.status).toBe(200);
    if (testDatabaseVendor() === "postgresql") {
      // stemming: "desks" finds "Oak writing desk"
      expect(namesOf(result.data)).toEqual(["ÉCLAT Desk"]);
      expect(queries[0]!.sql).toContain("plainto_tsquery");
    } else {
      expect(namesOf(result.data)).toEqual([]);
    }
    // the full-text match is not part of the rows
    const res = await client.get("/fulltext/?search=oak");
    expect(Object.keys((res.data as object[])[0]!)).toEqual(
      Object.keys((await client.get("/fulltext/")).data[0]),
    );
  });

  it("rejects an invalid regular expression for a $ field with a 400, never a database error", async () => {
    const res = await client.get("/prefix/?search=(unclosed");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ search: ["Enter a valid regular expression."] });
  });

  it("keeps each term once and refuses too many distinct terms", async () => {
    expect(await get(`/products/?search=${Array(200).fill("lamp").join(",")}`)).toEqual([
      "Desk Lamp",
      "Blue Lamp",
      "Red Lamp",
    ]);
    const res = await client.get(
      `/products/?search=${Array.from({ length: 51 }, (_, i) => `t${i}`).join(",")}`,
    );
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ search: ["List contains 51 items, it should contain no more than 50."] });
  });

  it("drops NUL characters from search terms (DRF 3.14)", async () => {
    expect(await get("/products/?search=la%00mp")).toEqual(["Desk Lamp", "Blue Lamp", "Red Lamp"]);
  });

  it("reads searchParam and quoted phrases from a subclass", async () => {
    expect(await get('/params/?q="red%20shade"')).toEqual(["Desk Lamp"]);
    expect(await get("/params/?q=red%20shade")).toEqual(["Desk Lamp"]);
    expect(await get("/params/?search=nothing")).toHaveLength(5);
  });
});

describe("search and ordering together", () => {
  it("orders by an annotation and across a relation while searching a to-many relation", async () => {
    expect(await get("/annotated/?ordering=-review_count,price")).toEqual([
      "Red Lamp",
      "ÉCLAT Desk",
      "Desk Lamp",
      "Blue Lamp",
      "Small Desk",
    ]);
    // "o" is in no name; it is in the reviews "Lovely glow" (Red Lamp, twice reviewed) and "Sturdy oak"
    expect(await get("/annotated/?search=o&ordering=category__slug,-price")).toEqual([
      "ÉCLAT Desk",
      "Red Lamp",
    ]);
    expect(await get("/annotated/?search=glow&ordering=-review_count")).toEqual(["Red Lamp"]);
  });

  it("reads getSearchFields(request) from the view", async () => {
    expect(await get("/hooked/?search=oak")).toEqual([]);
    expect(await get("/hooked/?search=oak&in=description")).toEqual(["ÉCLAT Desk"]);
  });

  it("leaves the queryset alone without searchFields, ordering or a valid term", async () => {
    const { queries } = await captureQueries(() => client.get("/plain/?search=lamp&ordering=nope"));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.sql).not.toMatch(/WHERE|ORDER BY/);
  });
});

describe("OrderingFilter", () => {
  it("orders by allowed fields, several and descending", async () => {
    expect(await get("/products/?ordering=price")).toEqual([
      "Desk Lamp",
      "Red Lamp",
      "Blue Lamp",
      "Small Desk",
      "ÉCLAT Desk",
    ]);
    expect(await get("/products/?ordering=-price,name")).toEqual([
      "ÉCLAT Desk",
      "Small Desk",
      "Blue Lamp",
      "Red Lamp",
      "Desk Lamp",
    ]);
  });

  it("ignores fields outside the allowlist and falls back to the default ordering", async () => {
    expect(await get("/products/?ordering=stock")).toEqual([
      "Desk Lamp",
      "Small Desk",
      "ÉCLAT Desk",
      "Blue Lamp",
      "Red Lamp",
    ]);
    expect(await get("/products/?ordering=password,-price")).toEqual([
      "ÉCLAT Desk",
      "Small Desk",
      "Blue Lamp",
      "Red Lamp",
      "Desk Lamp",
    ]);
    const { queries } = await captureQueries(() => client.get("/products/?ordering=id;drop%20table,price"));
    expect(queries.map((q) => q.sql).join("\n")).not.toContain("drop");
  });

  it("orders across a relation when allowed, with a custom parameter name", async () => {
    expect(await get("/params/?sort=category__slug,-price")).toEqual([
      "ÉCLAT Desk",
      "Small Desk",
      "Blue Lamp",
      "Red Lamp",
      "Desk Lamp",
    ]);
    expect(await get("/params/?sort=category__name")).toEqual([
      "Desk Lamp",
      "Small Desk",
      "ÉCLAT Desk",
      "Blue Lamp",
      "Red Lamp",
    ]);
  });

  it('"__all__" allows the readable serializer fields only', async () => {
    expect(await get("/all/?ordering=stock,name")).toEqual([
      "Blue Lamp",
      "Small Desk",
      "ÉCLAT Desk",
      "Red Lamp",
      "Desk Lamp",
    ]);
    // description is a model field but not in the serializer, shouting a method field: ignored
    const byDefault = ["Desk Lamp", "Small Desk", "ÉCLAT Desk", "Blue Lamp", "Red Lamp"];
    expect(await get("/all/?ordering=description")).toEqual(byDefault);
    expect(await get("/all/?ordering=-shouting")).toEqual(byDefault);
    const view = {
      getAttribute: (name: string) => (AllFieldsOrderingViewSet as unknown as Record<string, unknown>)[name],
    } as unknown as ViewLike;
    expect(new OrderingFilter().getValidFields(view)).toEqual(["id", "name", "stock"]);
  });
});

describe("with pagination", () => {
  it("keeps the query count constant whatever the filters", async () => {
    const lamps = (await Product.objects.filter({ name: "Red Lamp" }).first())!.category_id;
    const counts: number[] = [];
    // every query matches more than a page: COUNT + page, whatever the filters, search and ordering
    for (const query of [
      "",
      "?search=lamp",
      "?search=e,a&ordering=price",
      `?category=${lamps}&ordering=-name&search=l`,
    ]) {
      const { result, queries } = await captureQueries(() => client.get(`/paged/${query}`));
      expect(result.status, JSON.stringify(result.data)).toBe(200);
      counts.push(queries.length);
    }
    // a model choice key is checked to exist: one query for the filter, whatever the rows
    expect(counts).toEqual([2, 2, 2, 3]);
    // a first page shorter than the page size needs no COUNT
    const { queries } = await captureQueries(() => client.get("/paged/?search=glow&price=12.50"));
    expect(queries).toHaveLength(1);
  });

  it("a model choice key that names no row is django-filter's 400", async () => {
    const res = await client.get("/paged/?category=987654");
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      category: ["Select a valid choice. That choice is not one of the available choices."],
    });
  });

  it("filters, searches and orders the page", async () => {
    const res = await client.get("/paged/?search=lamp&ordering=price&page=2");
    expect(res.status).toBe(200);
    expect((res.data as { count: number }).count).toBe(3);
    expect(namesOf((res.data as { results: Row[] }).results)).toEqual(["Blue Lamp"]);
  });
});

describe("schemaParameters", () => {
  const view = {
    getAttribute: (name: string) => (ProductViewSet as unknown as Record<string, unknown>)[name],
  } as unknown as ViewLike;
  it("describes filters, search and ordering", () => {
    const filters = new DjangoFilterBackend().schemaParameters(view);
    expect(filters.map((p) => p.name)).toEqual(["category", "price", "stock"]);
    expect(filters.find((p) => p.name === "price")?.schema).toEqual({ type: "number" });
    expect(filters.find((p) => p.name === "category")?.schema).toEqual({ type: "integer" });
    expect(new SearchFilter().schemaParameters(view)).toEqual([
      {
        name: "search",
        in: "query",
        required: false,
        description: "A search term.",
        schema: { type: "string" },
      },
    ]);
    const [ordering] = new OrderingFilter().schemaParameters(view);
    expect(ordering?.name).toBe("ordering");
    expect(ordering?.schema).toEqual({
      type: "string",
      enum: ["price", "-price", "created_at", "-created_at", "name", "-name"],
    });
  });
});
