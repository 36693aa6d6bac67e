import { describe, expect, it } from "vitest";
import {
  booleanFilter,
  charFilter,
  choiceFilter,
  dateFilter,
  dateFromToRangeFilter,
  dateTimeFilter,
  defineFilterSet,
  inFilter,
  isoDateTimeFilter,
  modelChoiceFilter,
  modelMultipleChoiceFilter,
  multipleChoiceFilter,
  numberFilter,
  orderingFilter,
  rangeCsvFilter,
  rangeFilter,
  timeFilter,
  uuidFilter,
} from "../src/index.js";

// Validation needs no database: these FilterSets never touch their queryset.
const queryset = {};

const AllFilters = defineFilterSet({
  filters: {
    name: charFilter({ lookupExpr: "icontains" }),
    price: numberFilter(),
    active: booleanFilter(),
    uid: uuidFilter(),
    status: choiceFilter({
      choices: [
        ["new", "New"],
        ["done", "Done"],
      ],
    }),
    rating: choiceFilter({
      choices: [
        [1, "One"],
        [2, "Two"],
      ],
    }),
    statuses: multipleChoiceFilter({
      fieldName: "status",
      choices: [
        ["new", "New"],
        ["done", "Done"],
      ],
    }),
    day: dateFilter(),
    at: dateTimeFilter(),
    iso: isoDateTimeFilter(),
    time: timeFilter(),
    created: dateFromToRangeFilter(),
    cost: rangeFilter(),
    category: modelChoiceFilter(),
    tags: modelMultipleChoiceFilter(),
    id__in: inFilter(numberFilter({ fieldName: "id" })),
    price__range: rangeCsvFilter(numberFilter({ fieldName: "price" })),
    o: orderingFilter({ fields: { price: "price", created_at: "created" } }),
    needed: charFilter({ required: true }),
  },
});

const clean = (query: string) => {
  const fs = new AllFilters({ data: new URLSearchParams(`needed=x&${query}`), queryset });
  return { valid: fs.isValid(), errors: fs.errors, data: fs.cleanedData };
};

describe("FilterSet validation (django-filter messages)", () => {
  it.each([
    ["price=abc", { price: ["Enter a number."] }],
    ["price=1.2.3", { price: ["Enter a number."] }],
    ["uid=xyz", { uid: ["Enter a valid UUID."] }],
    ["status=old", { status: ["Select a valid choice. old is not one of the available choices."] }],
    ["rating=3", { rating: ["Select a valid choice. 3 is not one of the available choices."] }],
    [
      "statuses=new&statuses=gone",
      { statuses: ["Select a valid choice. gone is not one of the available choices."] },
    ],
    ["day=2024-02-30", { day: ["Enter a valid date."] }],
    ["day=yesterday", { day: ["Enter a valid date."] }],
    ["at=2024-01-01T25:00", { at: ["Enter a valid date/time."] }],
    ["iso=01/02/2024", { iso: ["Enter a valid date/time."] }],
    ["at=9999-12-31T23:59:59-01:00", { at: ["Enter a valid date/time."] }],
    ["iso=0001-01-01T00:00:00%2B01:00", { iso: ["Enter a valid date/time."] }],
    ["at=2024-01-01T10:00%2B24:00", { at: ["Enter a valid date/time."] }],
    ["name=a%00b", { name: ["Null characters are not allowed."] }],
    ["time=24:00", { time: ["Enter a valid time."] }],
    ["created_after=2024-13-01", { created: ["Enter a valid date."] }],
    ["cost_min=x", { cost: ["Enter a number."] }],
    [
      "category=abc",
      { category: ["Select a valid choice. That choice is not one of the available choices."] },
    ],
    ["tags=1&tags=x", { tags: ["“x” is not a valid value."] }],
    ["id__in=1,x,3", { id__in: ["Enter a number."] }],
    ["price__range=1,2,3", { price__range: ["Range query expects two values."] }],
    ["price__range=1", { price__range: ["Range query expects two values."] }],
    ["o=-cost", { o: ["Select a valid choice. -cost is not one of the available choices."] }],
  ])("%s → %j", (query, errors) => {
    const result = clean(query);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(errors);
  });

  it("refuses more values than a query should bind", () => {
    const many = Array.from({ length: 1001 }, (_, i) => String(i)).join(",");
    expect(clean(`id__in=${many}`).errors).toEqual({
      id__in: ["List contains 1001 items, it should contain no more than 1000."],
    });
    const tags = Array.from({ length: 1001 }, (_, i) => `tags=${i}`).join("&");
    expect(clean(tags).errors).toEqual({
      tags: ["List contains 1001 items, it should contain no more than 1000."],
    });
    expect(clean(`id__in=${many.split(",").slice(0, 1000).join(",")}`).valid).toBe(true);
  });

  it("reports a missing required filter", () => {
    const fs = new AllFilters({ data: new URLSearchParams("needed=%20%20"), queryset });
    expect(fs.isValid()).toBe(false);
    expect(fs.errors).toEqual({ needed: ["This field is required."] });
  });

  it("collects every error at once", () => {
    expect(clean("price=x&day=y").errors).toEqual({
      price: ["Enter a number."],
      day: ["Enter a valid date."],
    });
  });

  it("parses valid values into typed, exact values", () => {
    const result = clean(
      [
        "name=%20lamp%20",
        "price=12.50",
        "active=TRUE",
        "uid={6BA7B810-9DAD-11D1-80B4-00C04FD430C8}",
        "status=done",
        "rating=2",
        "statuses=new&statuses=done",
        "day=02/29/2024",
        "at=2024-03-01 10:30",
        "iso=2024-03-01T10:30:15.5%2B02:00",
        "time=9:05",
        "created_after=2024-01-01",
        "cost_max=20",
        "category=7",
        "tags=1&tags=4",
        "id__in=1,,2",
        "price__range=10,20.5",
        "o=-created,price",
      ].join("&"),
    );
    expect(result.errors).toEqual({});
    expect(result.data).toEqual({
      name: "lamp",
      price: "12.50",
      active: true,
      uid: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      status: "done",
      rating: 2,
      statuses: ["new", "done"],
      day: "2024-02-29",
      at: new Date("2024-03-01T10:30:00Z"),
      iso: new Date("2024-03-01T08:30:15.500Z"),
      time: "09:05:00",
      created: { start: "2024-01-01" },
      cost: { stop: "20" },
      category: 7,
      tags: [1, 4],
      id__in: ["1", "2"],
      price__range: ["10", "20.5"],
      o: ["-created_at", "price"],
      needed: "x",
    });
  });

  it("reads booleans as django-filter: true/false/1/0 in any case, anything else ignored", () => {
    expect(clean("active=False").data.active).toBe(false);
    expect(clean("active=0").data.active).toBe(false);
    expect(clean("active=1").data.active).toBe(true);
    const maybe = clean("active=yes");
    expect(maybe.valid).toBe(true);
    expect(maybe.data).not.toHaveProperty("active");
  });

  it("ignores unknown parameters and empty values, and uses the last of repeated values", () => {
    const result = clean("colour=red&price=&day=&price2=x");
    expect(result.valid).toBe(true);
    expect(result.data).toEqual({ needed: "x" });
    expect(clean("price=1&price=2").data.price).toBe("2");
  });

  it("accepts a plain object as data", () => {
    const fs = new AllFilters({ data: { needed: "x", statuses: ["new"], price: "3" }, queryset });
    expect(fs.isValid()).toBe(true);
    expect(fs.cleanedData).toMatchObject({ statuses: ["new"], price: "3" });
  });

  it("describes every filter as OpenAPI query parameters", () => {
    const parameters = AllFilters.schemaParameters();
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p]));
    expect(byName.price).toEqual({
      name: "price",
      in: "query",
      required: false,
      description: "price",
      schema: { type: "number" },
    });
    expect(byName.needed?.required).toBe(true);
    expect(byName.status?.schema).toEqual({ type: "string", enum: ["new", "done"] });
    expect(byName.rating?.schema).toEqual({ type: "integer", enum: [1, 2] });
    expect(byName.day?.schema).toEqual({ type: "string", format: "date" });
    expect(byName.at?.schema).toEqual({ type: "string", format: "date-time" });
    expect(byName.statuses?.schema).toEqual({
      type: "array",
      items: { type: "string", enum: ["new", "done"] },
    });
    expect(byName.id__in).toMatchObject({
      style: "form",
      explode: false,
      schema: { type: "array", items: { type: "number" } },
    });
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(["created_after", "created_before", "cost_min", "cost_max"]),
    );
    expect(byName.o?.schema).toEqual({
      type: "array",
      items: { type: "string", enum: ["price", "-price", "created", "-created"] },
    });
  });
});

describe("defineFilterSet errors", () => {
  it("rejects OR groups with unknown or method filters", () => {
    expect(() => defineFilterSet({ filters: { a: charFilter() }, orGroups: [["a", "b"]] })).toThrow(
      "OR group names an unknown filter 'b'",
    );
    expect(() =>
      defineFilterSet({
        filters: { a: charFilter(), b: booleanFilter({ method: (qs) => qs }) },
        orGroups: [["a", "b"]],
      }),
    ).toThrow("filter 'b' cannot be in an OR group");
  });
});
