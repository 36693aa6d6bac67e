import { captureQueries, createTestDatabase } from "@x/models";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  booleanFilter,
  charFilter,
  dateFilter,
  dateFromToRangeFilter,
  dateTimeFilter,
  defineFilterSet,
  type FilterSetClass,
  inFilter,
  isoDateTimeFilter,
  modelChoiceFilter,
  modelMultipleChoiceFilter,
  multipleChoiceFilter,
  numberFilter,
  orderingFilter,
  type QuerySetOf,
  rangeCsvFilter,
  rangeFilter,
  timeFilter,
  uuidFilter,
} from "../src/index.js";
import { models, Product, seed } from "./shop.js";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let data: Awaited<ReturnType<typeof seed>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models });
  data = await seed();
});
afterAll(async () => {
  await tdb.close();
});

// The handbook's ProductFilter.
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

/** Names of the products a FilterSet keeps for a query string, sorted. */
async function names(
  filterset: FilterSetClass<QuerySetOf<typeof Product>>,
  query: string,
): Promise<string[]> {
  const fs = new filterset({ data: new URLSearchParams(query), queryset: Product.objects.all() });
  expect(fs.errors).toEqual({});
  const rows = await fs.qs;
  return rows.map((row) => row.name).sort();
}

describe("the handbook's ProductFilter", () => {
  it("filters by price range, name and the in_stock method", async () => {
    expect(await names(ProductFilter, "min_price=12.50&max_price=100")).toEqual([
      "Blue Lamp",
      "Red Lamp",
      "Small Desk",
    ]);
    expect(await names(ProductFilter, "name=LAMP&in_stock=true")).toEqual(["Desk Lamp", "Red Lamp"]);
    expect(await names(ProductFilter, "in_stock=0")).toEqual(["Blue Lamp", "Small Desk"]);
    expect(await names(ProductFilter, `category=${data.desks.pk}`)).toEqual(["Small Desk", "ÉCLAT Desk"]);
  });

  it("compares decimals exactly (12.49 is below 12.50)", async () => {
    expect(await names(ProductFilter, "max_price=12.5")).toEqual(["Desk Lamp", "Red Lamp"]);
    expect(await names(ProductFilter, "max_price=12.49")).toEqual(["Desk Lamp"]);
    expect(await names(ProductFilter, "min_price=1.25e1&max_price=12.50")).toEqual(["Red Lamp"]);
  });

  it("ignores a boolean it cannot read and unknown parameters", async () => {
    expect(await names(ProductFilter, "in_stock=maybe&colour=red")).toHaveLength(5);
  });

  it("types the parsed values and the filtered QuerySet from the declaration", async () => {
    const fs = new ProductFilter({ data: new URLSearchParams("min_price=1&in_stock=1") });
    expect(fs.isValid()).toBe(true);
    expectTypeOf(fs.cleanedData.min_price).toEqualTypeOf<string | undefined>();
    expectTypeOf(fs.cleanedData.in_stock).toEqualTypeOf<boolean | undefined>();
    expect(fs.cleanedData).toEqual({ min_price: "1", in_stock: true });
    const rows = await fs.qs;
    expectTypeOf(rows[0]!.price).toEqualTypeOf<string>();
    expect(rows.map((row) => row.price).sort()).toEqual(["12.49", "12.50", "250.00"]);
  });

  it("runs one query", async () => {
    const fs = new ProductFilter({
      data: new URLSearchParams("min_price=10&name=lamp&in_stock=1"),
      queryset: Product.objects.all(),
    });
    const { queries } = await captureQueries(async () => fs.qs);
    expect(queries).toHaveLength(1);
  });

  it("rejects a bad number with django-filter's message", () => {
    const fs = new ProductFilter({ data: new URLSearchParams("min_price=abc&category=x") });
    expect(fs.isValid()).toBe(false);
    expect(fs.errors).toEqual({
      min_price: ["Enter a number."],
      category: ["Select a valid choice. That choice is not one of the available choices."],
    });
  });
});

describe("Meta.fields generation", () => {
  it("generates typed filters from a dict of lookups", async () => {
    const F = defineFilterSet({
      model: Product,
      fields: {
        price: ["lt", "gt"],
        name: ["exact", "icontains", "istartswith"],
        category__name: ["iexact"],
        status: ["exact", "in"],
        release_date: ["isnull", "gte"],
        created_at: ["year", "month__gte", "date", "date__lt"],
        stock: ["range"],
      },
    });
    expect(Object.keys(F.baseFilters).sort()).toEqual(
      [
        "price__lt",
        "price__gt",
        "name",
        "name__icontains",
        "name__istartswith",
        "category__name__iexact",
        "status",
        "status__in",
        "release_date__isnull",
        "release_date__gte",
        "created_at__year",
        "created_at__month__gte",
        "created_at__date",
        "created_at__date__lt",
        "stock__range",
      ].sort(),
    );
    expect(F.baseFilters.status?.kind).toBe("ChoiceFilter");
    expect(F.baseFilters.price__lt?.kind).toBe("NumberFilter");
    expect(F.baseFilters.release_date__isnull?.kind).toBe("BooleanFilter");
    expect(await names(F, "price__gt=19.99")).toEqual(["Small Desk", "ÉCLAT Desk"]);
    expect(await names(F, "name=Red Lamp")).toEqual(["Red Lamp"]);
    expect(await names(F, "name__istartswith=éc")).toEqual(["ÉCLAT Desk"]);
    // case-insensitive across a relation, with non-ASCII letters
    expect(await names(F, "category__name__iexact=ÉCRITOIRES")).toEqual(["Small Desk", "ÉCLAT Desk"]);
    expect(await names(F, "status=retired")).toEqual(["Small Desk"]);
    expect(await names(F, "status__in=retired,draft")).toEqual(["Small Desk", "ÉCLAT Desk"]);
    expect(await names(F, "release_date__isnull=true")).toEqual(["Small Desk"]);
    expect(await names(F, "release_date__gte=2024-03-15")).toEqual(["Desk Lamp", "ÉCLAT Desk"]);
    expect(await names(F, "created_at__year=2024&created_at__month__gte=4")).toEqual([
      "Desk Lamp",
      "Small Desk",
    ]);
    expect(await names(F, "stock__range=1,4")).toEqual(["Red Lamp", "ÉCLAT Desk"]);
    expect(await names(F, "created_at__date=2024-05-05")).toEqual(["Desk Lamp"]);
    expect(await names(F, "created_at__date__lt=2024-02-01")).toEqual(["Red Lamp"]);
  });

  it("rejects invalid values of generated filters", () => {
    const F = defineFilterSet({
      model: Product,
      fields: ["status", "release_date", "created_at", "opens_at", "uid", "tags", "is_featured"],
    });
    const fs = new F({
      data: new URLSearchParams(
        "status=gone&release_date=2024-99-01&created_at=soon&opens_at=25:00&uid=1&tags=a",
      ),
      queryset: Product.objects.all(),
    });
    expect(fs.errors).toEqual({
      status: ["Select a valid choice. gone is not one of the available choices."],
      release_date: ["Enter a valid date."],
      created_at: ["Enter a valid date/time."],
      opens_at: ["Enter a valid time."],
      uid: ["Enter a valid UUID."],
      tags: ["“a” is not a valid value."],
    });
    expect(F.baseFilters.tags?.kind).toBe("ModelMultipleChoiceFilter");
    expect(F.baseFilters.is_featured?.kind).toBe("BooleanFilter");
  });

  it("generates every field but the excluded ones", () => {
    const F = defineFilterSet({ model: Product, exclude: ["description", "uid"] });
    const generated = Object.keys(F.baseFilters);
    expect(generated).toContain("price");
    expect(generated).toContain("category");
    expect(generated).not.toContain("description");
    expect(generated).not.toContain("uid");
  });

  it("names an unsupported lookup when the FilterSet is defined", () => {
    expect(() => defineFilterSet({ model: Product, fields: { price: ["near"] } })).toThrow(
      /unsupported lookup 'near' in 'price__near'/,
    );
    expect(() => defineFilterSet({ model: Product, fields: { created_at: ["hour__gt"] } })).toThrow(/'hour'/);
  });

  it("names a field that does not exist", () => {
    expect(() => defineFilterSet({ model: Product, fields: ["colour"] })).toThrow(
      /Cannot resolve keyword 'colour'/,
    );
  });
});

describe("declared filter types on both databases", () => {
  const F = defineFilterSet({
    model: Product,
    filters: {
      uid: uuidFilter(),
      released: dateFilter({ fieldName: "release_date" }),
      released_after: dateFilter({ fieldName: "release_date", lookupExpr: "gt" }),
      created_since: dateTimeFilter({ fieldName: "created_at", lookupExpr: "gte" }),
      created_iso: isoDateTimeFilter({ fieldName: "created_at", lookupExpr: "lt" }),
      opens_before: timeFilter({ fieldName: "opens_at", lookupExpr: "lt" }),
      created: dateFromToRangeFilter({ fieldName: "created_at" }),
      released_range: dateFromToRangeFilter({ fieldName: "release_date" }),
      price: rangeFilter(),
      statuses: multipleChoiceFilter({ fieldName: "status" }),
      category_slug: modelChoiceFilter({ fieldName: "category", toFieldName: "slug" }),
      category: modelChoiceFilter(),
      tags: modelMultipleChoiceFilter(),
      all_tags: modelMultipleChoiceFilter({ fieldName: "tags", conjoined: true }),
      ids: inFilter(numberFilter({ fieldName: "id" })),
      slugs: inFilter(charFilter({ fieldName: "category__slug" })),
      price_between: rangeCsvFilter(numberFilter({ fieldName: "price" })),
      not_status: charFilter({ fieldName: "status", exclude: true }),
      tag_name: charFilter({ fieldName: "tags__name", distinct: true }),
      o: orderingFilter({ fields: { price: "price", created_at: "created", category__slug: "category" } }),
    },
  });

  it("uuid, date, datetime, iso datetime, time", async () => {
    const eclat = data.products[2]!;
    expect(await names(F, `uid=${String(eclat.uid).toUpperCase()}`)).toEqual(["ÉCLAT Desk"]);
    expect(await names(F, "released=2024-02-01")).toEqual(["Blue Lamp"]);
    expect(await names(F, "released=02/01/2024")).toEqual(["Blue Lamp"]);
    expect(await names(F, "released_after=2024-03-15")).toEqual(["Desk Lamp"]);
    expect(await names(F, "created_since=2024-04-20 16:30")).toEqual(["Desk Lamp", "Small Desk"]);
    expect(await names(F, "created_since=2024-04-20T18:30:00%2B02:00")).toEqual(["Desk Lamp", "Small Desk"]);
    expect(await names(F, "created_iso=2024-02-01T08:00:00Z")).toEqual(["Red Lamp"]);
    expect(await names(F, "opens_before=09:00")).toEqual(["Desk Lamp"]);
  });

  it("date ranges: whole days on a datetime field, plain dates on a date field", async () => {
    expect(await names(F, "created_after=2024-03-15&created_before=2024-05-05")).toEqual([
      "Desk Lamp",
      "Small Desk",
      "ÉCLAT Desk",
    ]);
    expect(await names(F, "created_before=2024-01-10")).toEqual(["Red Lamp"]);
    expect(await names(F, "released_range_after=2024-02-01&released_range_before=2024-03-15")).toEqual([
      "Blue Lamp",
      "ÉCLAT Desk",
    ]);
  });

  it("number ranges, CSV in/range", async () => {
    expect(await names(F, "price_min=12.50&price_max=99.90")).toEqual([
      "Blue Lamp",
      "Red Lamp",
      "Small Desk",
    ]);
    expect(await names(F, "price_max=12.49")).toEqual(["Desk Lamp"]);
    expect(await names(F, "price_between=12.49,12.50")).toEqual(["Desk Lamp", "Red Lamp"]);
    const [first, second] = data.products;
    expect(await names(F, `ids=${first!.pk},${second!.pk}`)).toEqual(["Blue Lamp", "Red Lamp"]);
    expect(await names(F, "slugs=desks,nothing")).toEqual(["Small Desk", "ÉCLAT Desk"]);
  });

  it("choices and model choices", async () => {
    expect(await names(F, "statuses=draft&statuses=retired")).toEqual(["Small Desk", "ÉCLAT Desk"]);
    expect(await names(F, "category_slug=lamps")).toEqual(["Blue Lamp", "Desk Lamp", "Red Lamp"]);
    expect(await names(F, "category_slug=unknown")).toEqual([]);
    expect(await names(F, `category=${data.lamps.pk}`)).toEqual(["Blue Lamp", "Desk Lamp", "Red Lamp"]);
    // to-many: each product once, however many of its tags match
    expect(await names(F, `tags=${data.red.pk}&tags=${data.oak.pk}`)).toEqual([
      "Desk Lamp",
      "Red Lamp",
      "ÉCLAT Desk",
    ]);
    expect(await names(F, `all_tags=${data.red.pk}&all_tags=${data.oak.pk}`)).toEqual(["Desk Lamp"]);
  });

  it("keeps to-many matches distinct while ordering across a relation (PostgreSQL too)", async () => {
    const fs = new F({
      data: new URLSearchParams(`tags=${data.red.pk}&tags=${data.oak.pk}&o=-category,price`),
      queryset: Product.objects.all(),
    });
    expect((await fs.qs).map((row) => row.name)).toEqual(["Desk Lamp", "Red Lamp", "ÉCLAT Desk"]);
  });

  it("exclude, distinct, ordering", async () => {
    expect(await names(F, "not_status=live")).toEqual(["Small Desk", "ÉCLAT Desk"]);
    const fs = new F({ data: new URLSearchParams("tag_name=red&o=-price"), queryset: Product.objects.all() });
    const rows = (await fs.qs).map((row) => row.name);
    expect(rows).toEqual(["Red Lamp", "Desk Lamp"]);
    const ordered = new F({
      data: new URLSearchParams("o=category,-created"),
      queryset: Product.objects.all(),
    });
    expect((await ordered.qs).map((row) => row.name)).toEqual([
      "Small Desk",
      "ÉCLAT Desk",
      "Desk Lamp",
      "Blue Lamp",
      "Red Lamp",
    ]);
  });
});

describe("numbers against integer columns", () => {
  const F = defineFilterSet({
    model: Product,
    fields: {
      stock: ["exact", "gt", "gte", "lt", "lte", "in", "range"],
      id: ["exact"],
      created_at: ["year"],
      category: ["exact"],
    },
    filters: { stock_between: rangeFilter({ fieldName: "stock" }) },
  });

  it.each([
    ["stock=1.5", []],
    ["stock=4.0", ["Red Lamp"]],
    ["stock__gt=3.5", ["Desk Lamp", "Red Lamp"]],
    ["stock__gte=3.5", ["Desk Lamp", "Red Lamp"]],
    ["stock__lt=2.5", ["Blue Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["stock__lte=2.5", ["Blue Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["stock__lt=-0.5", []],
    ["stock__in=4,2.5,2", ["Red Lamp", "ÉCLAT Desk"]],
    ["stock__in=2.5", []],
    ["stock__range=1.5,4.5", ["Red Lamp", "ÉCLAT Desk"]],
    ["stock__range=2.2,2.8", []],
    ["stock_between_min=1.5&stock_between_max=9.5", ["Red Lamp", "ÉCLAT Desk"]],
  ])("%s matches what mathematics says", async (query, expected) => {
    expect(await names(F, query)).toEqual(expected);
  });

  it.each([
    ["stock=99999999999999999999", []],
    ["stock__gt=1e50", []],
    ["stock__lt=1e50", ["Blue Lamp", "Desk Lamp", "Red Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["stock__gte=-1e30", ["Blue Lamp", "Desk Lamp", "Red Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["stock__in=1,99999999999", []],
    ["stock__range=-1e40,1e40", ["Blue Lamp", "Desk Lamp", "Red Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["stock_between_max=1e40", ["Blue Lamp", "Desk Lamp", "Red Lamp", "Small Desk", "ÉCLAT Desk"]],
    ["id=3000000000", []],
    ["created_at__year=99999999999", []],
    ["category=99999999999", []],
  ])("%s outside the column's range never reaches the database", async (query, expected) => {
    expect(await names(F, query)).toEqual(expected);
  });

  it("rejects a key beyond any integer", () => {
    const fs = new F({ data: new URLSearchParams("category=1e3"), queryset: Product.objects.all() });
    expect(fs.errors).toEqual({
      category: ["Select a valid choice. That choice is not one of the available choices."],
    });
  });
});

describe("method filters", () => {
  it("takes a function typed by its queryset", async () => {
    const F = defineFilterSet({
      model: Product,
      filters: {
        cheap: booleanFilter({
          method: (queryset: QuerySetOf<typeof Product>, _name, value) =>
            value ? queryset.filter({ price__lt: "15.00" }) : queryset.exclude({ price__lt: "15.00" }),
        }),
      },
    });
    expect(await names(F, "cheap=true")).toEqual(["Desk Lamp", "Red Lamp"]);
    expect(await names(F, "cheap=false")).toEqual(["Blue Lamp", "Small Desk", "ÉCLAT Desk"]);
  });

  it("names a missing method when the FilterSet is defined", () => {
    expect(() => defineFilterSet({ model: Product, filters: { x: charFilter({ method: "nope" }) } })).toThrow(
      "filter 'x' names method 'nope', which is not in `methods`",
    );
  });
});

describe("OR groups", () => {
  const F = defineFilterSet({
    model: Product,
    filters: {
      is_featured: booleanFilter(),
      name: charFilter({ lookupExpr: "icontains" }),
      max_price: numberFilter({ fieldName: "price", lookupExpr: "lte" }),
    },
    orGroups: [["is_featured", "name"]],
  });

  it("ORs the grouped filters and ANDs the group with the rest", async () => {
    // featured OR name contains "small"
    expect(await names(F, "is_featured=true&name=small")).toEqual(["Red Lamp", "Small Desk", "ÉCLAT Desk"]);
    // (featured OR name contains "small") AND price <= 100
    expect(await names(F, "is_featured=true&name=small&max_price=100")).toEqual(["Red Lamp", "Small Desk"]);
    // one member alone is an ordinary filter
    expect(await names(F, "name=small")).toEqual(["Small Desk"]);
  });
});
