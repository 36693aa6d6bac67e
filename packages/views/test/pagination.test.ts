// Paginations over a real QuerySet, through the test client, on the test
// database (TEST_DB=sqlite|postgres), with the queries they run.
import {
  CharField,
  captureQueries,
  createTestDatabase,
  DateTimeField,
  defineModel,
  type InstanceOf,
  IntegerField,
} from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIClient,
  APIView,
  CursorPagination,
  defineSettings,
  LimitOffsetPagination,
  ListAPIView,
  PageNumberPagination,
  type Pagination,
  ReadOnlyModelViewSet,
  type Request,
  Response,
} from "../src/index.js";

const Item = defineModel("pagination.Item", {
  fields: {
    name: CharField({ maxLength: 50 }),
    rank: IntegerField({ null: true }),
    created: DateTimeField(),
  },
});
type ItemRow = InstanceOf<typeof Item>;

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Item] });
});
afterAll(async () => {
  await tdb.close();
});
beforeEach(async () => {
  await tdb.reset();
});

const t0 = Date.UTC(2026, 0, 1);
/** n items; `created` repeats every 3 items (ties the cursor must break), ranks with NULLs. */
async function seed(n: number) {
  for (let i = 1; i <= n; i++) {
    await Item.objects.create({
      name: `item ${i}`,
      rank: i % 4 === 0 ? null : i % 5,
      created: new Date(t0 + Math.ceil(i / 3) * 60_000),
    });
  }
}

const settings = defineSettings({ pageSize: 20 });

function client(Paginator: new () => Pagination, order: Parameters<typeof Item.objects.orderBy> = ["id"]) {
  class ItemList extends APIView {
    async get(request: Request) {
      const paginator = new Paginator();
      const page = await paginator.paginateQueryset(Item.objects.orderBy(...order), request, this);
      if (page === null) return new Response((await Item.objects.orderBy(...order)).map((i) => i.id));
      return paginator.getPaginatedResponse(page.map((i: ItemRow) => i.id));
    }
  }
  const app = new Hono();
  app.get("/items/", ItemList.asView({ settings }));
  return new APIClient(app);
}

/** Runs `fn`, returning its result and the number of SQL queries it ran. */
async function counted<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const { result, queries } = await captureQueries(fn);
  return [result, queries.length];
}

describe("PageNumberPagination", () => {
  class Standard extends PageNumberPagination {
    override pageSizeQueryParam = "page_size";
    override maxPageSize = 100;
  }
  const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it("answers DRF's shape with absolute links; COUNT only when the page cannot tell the total", async () => {
    await seed(45);
    const api = client(Standard);
    const [first, firstQueries] = await counted(() => api.get("/items/"));
    expect(first.data).toEqual({
      count: 45,
      next: "http://testserver/items/?page=2",
      previous: null,
      results: ids(1, 20),
    });
    expect(firstQueries).toBe(2);
    const [last, lastQueries] = await counted(() => api.get("/items/", { query: { page: 3 } }));
    expect(last.data).toEqual({
      count: 45,
      next: null,
      previous: "http://testserver/items/?page=2",
      results: ids(41, 45),
    });
    expect(lastQueries).toBe(1);
  });

  it("keeps the other query parameters, sorted by name, and drops page=1 from previous", async () => {
    await seed(45);
    const res = await client(Standard).get("/items/?page=2&z=last&b=x+y&a=%2A&page_size=10");
    expect(res.data.next).toBe("http://testserver/items/?a=%2A&b=x+y&page=3&page_size=10&z=last");
    expect(res.data.previous).toBe("http://testserver/items/?a=%2A&b=x+y&page_size=10&z=last");
    expect(res.data.results).toEqual(ids(11, 20));
    // A repeated parameter counts by its last value (Django's QueryDict.get), and links carry one.
    const repeated = await client(Standard).get("/items/?page=1&page=2");
    expect(repeated.data.results).toEqual(ids(21, 40));
    expect(repeated.data.next).toBe("http://testserver/items/?page=3");
  });

  it("404s pages that are not pages, and serves `last`", async () => {
    await seed(45);
    const api = client(Standard);
    for (const page of ["4", "0", "-1", "abc", "1.5", "99999999999999999999"]) {
      const res = await api.get("/items/", { query: { page } });
      expect(res.status, page).toBe(404);
      expect(res.data).toEqual({ detail: "Invalid page." });
    }
    const last = await api.get("/items/", { query: { page: "last" } });
    expect(last.data.results).toEqual(ids(41, 45));
    expect(last.data.previous).toBe("http://testserver/items/?page=2");
  });

  it("takes page_size from the client, capped at max_page_size, with bad values falling back", async () => {
    await seed(45);
    const api = client(Standard);
    expect((await api.get("/items/", { query: { page_size: 5 } })).data.results).toEqual(ids(1, 5));
    expect((await api.get("/items/", { query: { page_size: 500 } })).data.results).toHaveLength(45);
    expect((await api.get("/items/", { query: { page_size: 0 } })).data.results).toHaveLength(20);
    expect((await api.get("/items/", { query: { page_size: "x" } })).data.results).toHaveLength(20);
    // Without pageSizeQueryParam the parameter is ignored (DRF's default).
    expect(
      (await client(PageNumberPagination).get("/items/", { query: { page_size: 5 } })).data.results,
    ).toHaveLength(20);
  });

  it("answers an empty first page in one query, and is off without a page size", async () => {
    const [empty, queries] = await counted(() => client(Standard).get("/items/"));
    expect(empty.data).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect(queries).toBe(1);
    await seed(3);
    class Off extends PageNumberPagination {
      override pageSize = null;
    }
    expect((await client(Off).get("/items/")).data).toEqual([1, 2, 3]);
  });
});

describe("LimitOffsetPagination", () => {
  class Capped extends LimitOffsetPagination {
    override maxLimit = 15;
  }

  it("answers DRF's shape and links", async () => {
    await seed(45);
    const api = client(Capped);
    const res = await api.get("/items/", { query: { limit: 10, offset: 20 } });
    expect(res.data.count).toBe(45);
    expect(res.data.results).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
    expect(res.data.next).toBe("http://testserver/items/?limit=10&offset=30");
    expect(res.data.previous).toBe("http://testserver/items/?limit=10&offset=10");
    const near = await api.get("/items/", { query: { limit: 10, offset: 5 } });
    expect(near.data.previous).toBe("http://testserver/items/?limit=10");
    const end = await api.get("/items/", { query: { limit: 10, offset: 40 } });
    expect(end.data.next).toBeNull();
    expect(end.data.results).toHaveLength(5);
  });

  it("uses the settings' page size by default, caps the limit, and tolerates a bad offset", async () => {
    await seed(45);
    const api = client(Capped);
    expect((await api.get("/items/")).data.results).toHaveLength(20);
    expect((await api.get("/items/", { query: { limit: 100 } })).data.results).toHaveLength(15);
    expect((await api.get("/items/", { query: { offset: "x", limit: 2 } })).data.results).toEqual([1, 2]);
    expect((await api.get("/items/", { query: { offset: 1000 } })).data).toMatchObject({
      count: 45,
      results: [],
    });
  });
});

describe("CursorPagination", () => {
  class ByNewest extends CursorPagination {
    override pageSize = 4;
    override ordering = "-created";
  }
  /** The expected order: newest first, ties by id descending (the appended tiebreak). */
  const expected = async () => (await Item.objects.orderBy("-created", "-id")).map((i) => i.id);

  async function walk(api: APIClient, start: string) {
    const pages: number[][] = [];
    let url: string | null = start;
    let last: { next: string | null; previous: string | null } = { next: null, previous: null };
    while (url !== null) {
      const res = await api.get(url.replace("http://testserver", ""));
      expect(res.status).toBe(200);
      expect(Object.keys(res.data)).toEqual(["next", "previous", "results"]);
      pages.push(res.data.results);
      last = res.data;
      url = res.data.next;
    }
    return { pages, last };
  }

  it("walks forward and back through every row exactly once, one query a page", async () => {
    await seed(14);
    const api = client(ByNewest);
    const [first, queries] = await counted(() => api.get("/items/"));
    expect(queries).toBe(1);
    expect(first.data.previous).toBeNull();
    const { pages } = await walk(api, "/items/");
    expect(pages.flat()).toEqual(await expected());
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 2]);

    // Back from the last page: previous links give the same pages in reverse.
    let url: string | null = first.data.next;
    let res = await api.get(url!.replace("http://testserver", ""));
    while (res.data.next) res = await api.get(res.data.next.replace("http://testserver", ""));
    const back: number[][] = [res.data.results];
    url = res.data.previous;
    while (url) {
      res = await api.get(url.replace("http://testserver", ""));
      back.unshift(res.data.results);
      url = res.data.previous;
    }
    expect(back).toEqual(pages);
  });

  it("stays stable while rows are inserted ahead of the reader", async () => {
    await seed(10);
    const api = client(ByNewest);
    const before = await expected();
    const first = await api.get("/items/");
    // New, newer rows arrive: the pages after the first do not shift.
    for (let i = 0; i < 5; i++)
      await Item.objects.create({ name: "new", rank: 1, created: new Date(t0 + 10 * 86_400_000) });
    const { pages } = await walk(api, first.data.next);
    expect([...first.data.results, ...pages.flat()]).toEqual(before);

    // Deleting the row a cursor points at does not lose or repeat the rows after it.
    const page1 = await api.get("/items/");
    const edge = page1.data.results.at(-1);
    await Item.objects.filter({ id: edge }).delete();
    const page2 = await api.get(page1.data.next.replace("http://testserver", ""));
    const now = await expected();
    expect(page2.data.results).toEqual(now.slice(now.indexOf(page1.data.results.at(-2)) + 1).slice(0, 4));
  });

  it("orders by a nullable field (NULLs last ascending) without losing rows", async () => {
    await seed(13);
    class ByRank extends CursorPagination {
      override pageSize = 3;
      override ordering = ["rank"];
    }
    const api = client(ByRank);
    const { pages } = await walk(api, "/items/");
    const all = await Item.objects.orderBy("rank", "id");
    expect(pages.flat()).toEqual(all.map((i) => i.id));
    expect(all[all.length - 1]!.rank).toBeNull();
  });

  it("walks a descending nullable ordering (NULLs first) both ways", async () => {
    await seed(13);
    class ByRankDesc extends CursorPagination {
      override pageSize = 4;
      override ordering = ["-rank"];
    }
    const api = client(ByRankDesc);
    const { pages } = await walk(api, "/items/");
    const all = await Item.objects.orderBy("-rank", "-id");
    expect(all[0]!.rank).toBeNull();
    expect(pages.flat()).toEqual(all.map((i) => i.id));
    // And back from the last page.
    let res = await api.get("/items/");
    while (res.data.next) res = await api.get(res.data.next.replace("http://testserver", ""));
    const back: number[][] = [res.data.results];
    while (res.data.previous) {
      res = await api.get(res.data.previous.replace("http://testserver", ""));
      back.unshift(res.data.results);
    }
    expect(back).toEqual(pages);
  });

  it("404s a cursor that is not ours, forged or of the wrong type", async () => {
    await seed(5);
    const api = client(ByNewest);
    const forge = (qs: string) => Buffer.from(qs).toString("base64");
    for (const cursor of [
      "not base64!",
      forge("r=2"),
      forge("r=1"),
      forge("nope"),
      forge("o=5&p=[1]"),
      forge("p=[1]"),
      forge('p=["2026-01-01",1]'),
      forge('p=[{"d":"2026-01-01T00:00:00Z"},"1"]'),
      forge('p=[{"d":"yesterday"},1]'),
      forge("p=not json"),
    ]) {
      const res = await api.get("/items/", { query: { cursor } });
      expect(res.status, cursor).toBe(404);
      expect(res.data).toEqual({ detail: "Invalid cursor" });
    }
  });

  it("keeps the other query parameters in its links", async () => {
    await seed(6);
    const res = await client(ByNewest).get("/items/", { query: { z: 1, a: "b c" } });
    expect(res.data.next).toMatch(/^http:\/\/testserver\/items\/\?a=b\+c&cursor=[A-Za-z0-9%]+&z=1$/);
  });
});

describe("paginations in generic views", () => {
  class ItemSerializer extends ModelSerializer.of({ model: Item, fields: ["id", "name"] }) {}

  it("the settings' default pagination pages a ListAPIView; a view can opt out or pick another", async () => {
    await seed(25);
    class ItemList extends ListAPIView<ItemRow> {
      static override queryset = Item.objects.orderBy("id");
      static override serializerClass = ItemSerializer;
    }
    class Unpaginated extends ItemList {
      static override paginationClass = null;
    }
    class Newest extends CursorPagination {
      override ordering = "-created";
      override pageSize = 10;
    }
    class ItemViewSet extends ReadOnlyModelViewSet<ItemRow> {
      static override queryset = Item.objects.all();
      static override serializerClass = ItemSerializer;
      static override paginationClass = Newest;
    }
    const defaults = defineSettings({ defaultPaginationClass: PageNumberPagination, pageSize: 10 });
    const app = new Hono();
    app.get("/items/", ItemList.asView({ settings: defaults }));
    app.get("/all/", Unpaginated.asView({ settings: defaults }));
    app.get("/feed/", ItemViewSet.asView({ get: "list" }, { settings: defaults }));
    const api = new APIClient(app);

    const [page, queries] = await counted(() => api.get("/items/", { query: { page: 2 } }));
    expect(page.data.count).toBe(25);
    expect(page.data.results[0]).toEqual({ id: 11, name: "item 11" });
    expect(page.data.next).toBe("http://testserver/items/?page=3");
    expect(page.data.previous).toBe("http://testserver/items/");
    expect(queries).toBe(2);
    expect((await api.get("/all/")).data).toHaveLength(25);

    const feed = await api.get("/feed/");
    expect(Object.keys(feed.data)).toEqual(["next", "previous", "results"]);
    expect(feed.data.results).toHaveLength(10);
    const bad = await api.get("/feed/", { query: { cursor: "bm9wZQ==" } });
    expect(bad.status).toBe(404);
    expect(bad.data).toEqual({ detail: "Invalid cursor" });
  });
});

describe("pagination schemas (for the OpenAPI generator)", () => {
  it("describe the query parameters each pagination reads and the paginated body", () => {
    class Sized extends PageNumberPagination {
      override pageSizeQueryParam = "page_size";
    }
    const names = (p: { schemaParameters(): { name: string }[] }) => p.schemaParameters().map((x) => x.name);
    expect(names(new PageNumberPagination())).toEqual(["page"]);
    expect(names(new Sized())).toEqual(["page", "page_size"]);
    expect(names(new LimitOffsetPagination())).toEqual(["limit", "offset"]);
    expect(names(new CursorPagination())).toEqual(["cursor"]);
    const items = { type: "array", items: { type: "integer" } };
    expect(
      Object.keys(new PageNumberPagination().getPaginatedResponseSchema(items).properties as object),
    ).toEqual(["count", "next", "previous", "results"]);
    expect(new CursorPagination().getPaginatedResponseSchema(items)).toMatchObject({
      required: ["results"],
      properties: { results: items },
    });
  });
});
