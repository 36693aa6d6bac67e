// Relation fields against an in-memory QuerySet (the DB-backed tests are in model-serializer tests).
import { describe, expect, it } from "vitest";
import {
  HyperlinkedIdentityField,
  HyperlinkedRelatedField,
  PrimaryKeyRelatedField,
  type QuerySetLike,
  type Reverse,
  Serializer,
  SlugRelatedField,
  StringRelatedField,
} from "../src/index.js";

interface Author {
  pk: number;
  id: number;
  slug: string;
  name: string;
  toString(): string;
}
const author = (id: number, slug: string, name: string): Author => ({
  pk: id,
  id,
  slug,
  name,
  toString() {
    return name;
  },
});
const authors = [author(1, "frank", "Frank Herbert"), author(2, "ursula", "Ursula K. Le Guin")];

/** A tiny QuerySet: filter by exact or __in on pk/slug, counts the queries run. */
class MemoryQuerySet implements QuerySetLike<Author> {
  static queries = 0;
  readonly model = { meta: { pk: { type: "AutoField", name: "id" } } };
  constructor(private rows: Author[]) {}
  filter(kw: Record<string, unknown>): MemoryQuerySet {
    const [key, value] = Object.entries(kw)[0]!;
    const [field, lookup] = key.split("__") as [keyof Author, string | undefined];
    const match = (r: Author) =>
      lookup === "in"
        ? (value as unknown[]).map(String).includes(String(r[field]))
        : String(r[field]) === String(value);
    return new MemoryQuerySet(this.rows.filter(match));
  }
  // biome-ignore lint/suspicious/noThenProperty: a QuerySet is thenable by design
  then<A = Author[], B = never>(
    ok?: ((v: Author[]) => A | PromiseLike<A>) | null,
    bad?: ((e: unknown) => B | PromiseLike<B>) | null,
  ) {
    MemoryQuerySet.queries++;
    return Promise.resolve(this.rows).then(ok, bad);
  }
}
const qs = new MemoryQuerySet(authors);

describe("PrimaryKeyRelatedField", () => {
  class BookSerializer extends Serializer.of({
    author: new PrimaryKeyRelatedField({ queryset: qs }),
    coauthors: new PrimaryKeyRelatedField({ queryset: qs, many: true, required: false }),
  }) {}

  it("looks up the object; DRF's messages for a missing pk and a wrong type", async () => {
    const ok = new BookSerializer({ data: { author: "2" } });
    expect(await ok.isValid()).toBe(true);
    expect(ok.validatedData.author).toBe(authors[1]);
    const missing = new BookSerializer({ data: { author: 999 } });
    await missing.isValid();
    expect(missing.errors).toEqual({ author: ['Invalid pk "999" - object does not exist.'] });
    const wrong = new BookSerializer({ data: { author: "abc" } });
    await wrong.isValid();
    expect(wrong.errors).toEqual({ author: ["Incorrect type. Expected pk value, received str."] });
    const bool = new BookSerializer({ data: { author: true } });
    await bool.isValid();
    expect(bool.errors).toEqual({ author: ["Incorrect type. Expected pk value, received bool."] });
  });

  it("many=True looks everything up in one query and reports bad items", async () => {
    MemoryQuerySet.queries = 0;
    const ok = new BookSerializer({ data: { author: 1, coauthors: [2, 1] } });
    expect(await ok.isValid()).toBe(true);
    expect(ok.validatedData.coauthors).toEqual([authors[1], authors[0]]);
    expect(MemoryQuerySet.queries).toBe(2); // author + one for all coauthors
    const bad = new BookSerializer({ data: { author: 1, coauthors: [1, 7] } });
    await bad.isValid();
    expect(bad.errors).toEqual({ coauthors: ['Invalid pk "7" - object does not exist.'] });
    const notList = new BookSerializer({ data: { author: 1, coauthors: 1 } });
    await notList.isValid();
    expect(notList.errors).toEqual({ coauthors: ['Expected a list of items but got type "int".'] });
  });

  it("renders the pk from the foreign key column without loading the relation", async () => {
    const book = {
      author_id: 2,
      get author(): Author {
        throw new Error("not loaded");
      },
      coauthors: { all: () => [authors[0]] },
    };
    expect(await new BookSerializer({ instance: book }).data).toEqual({ author: 2, coauthors: [1] });
  });

  it("reads a manager's prefetched rows in place: its promise is never asked for", async () => {
    let awaited = 0;
    // what @x/models' related manager is after prefetchRelated: thenable, with the rows in hand
    const manager = (rows: Author[]) => ({
      all() {
        return this;
      },
      prefetched: () => rows,
      // biome-ignore lint/suspicious/noThenProperty: a QuerySet-like manager is awaitable
      then(resolve: (rows: Author[]) => unknown) {
        awaited++;
        return Promise.resolve(rows).then(resolve);
      },
    });
    class AuthorSerializer extends Serializer.of({ name: new StringRelatedField({ source: "name" }) }) {}
    class ShelfSerializer extends Serializer.of({
      coauthors: new PrimaryKeyRelatedField({ many: true, readOnly: true }),
      writers: AuthorSerializer.many({ readOnly: true }),
    }) {}
    const shelf = { coauthors: manager([authors[1]!, authors[0]!]), writers: manager([authors[0]!]) };
    expect(await new ShelfSerializer({ instance: shelf }).data).toEqual({
      coauthors: [2, 1],
      writers: [{ name: authors[0]!.name }],
    });
    expect(awaited).toBe(0);
    // without rows in hand (prefetched() undefined) the manager is awaited, as before
    const lazy = { ...manager([authors[1]!]), prefetched: () => undefined };
    expect(await new ShelfSerializer({ instance: { coauthors: lazy, writers: lazy } }).data).toEqual({
      coauthors: [2],
      writers: [{ name: authors[1]!.name }],
    });
    expect(awaited).toBe(2);
  });

  it("reads <name>_id without loading the relation, through a dotted source, per name a field is bound under", async () => {
    const pk = new PrimaryKeyRelatedField({ readOnly: true });
    class S extends Serializer.of({
      author: pk,
      editor: pk,
      owner: new PrimaryKeyRelatedField({ readOnly: true, source: "shelf.owner" }),
    }) {}
    const rows = [
      { author_id: 1, editor_id: 2, shelf: { owner_id: 3 } },
      { author_id: 4, editor_id: null, editor: { pk: 5 }, shelf: null },
    ];
    expect(await S.many({ instance: rows }).data).toEqual([
      { author: 1, editor: 2, owner: 3 },
      { author: 4, editor: 5, owner: null },
    ]);
  });
});

describe("SlugRelatedField, StringRelatedField (handbook: BookSerializer)", () => {
  class BookSerializer extends Serializer.of({
    author_id: new PrimaryKeyRelatedField({ queryset: qs, source: "author" }),
    author_slug: new SlugRelatedField({ slugField: "slug", queryset: qs, source: "author" }),
    author_name: new StringRelatedField({ source: "author" }),
  }) {}

  it("renders through the relation and writes to the source", async () => {
    const book = { author_id: 1, author: authors[0] };
    expect(await new BookSerializer({ instance: book }).data).toEqual({
      author_id: 1,
      author_slug: "frank",
      author_name: "Frank Herbert",
    });
    const s = new BookSerializer({ data: { author_id: 1, author_slug: "ursula" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ author: authors[1] });
    const bad = new BookSerializer({ data: { author_id: 1, author_slug: "nobody" } });
    await bad.isValid();
    expect(bad.errors).toEqual({ author_slug: ["Object with slug=nobody does not exist."] });
    expect(BookSerializer.queryPlan()).toEqual({ selectRelated: ["author"], prefetchRelated: [] });
  });

  it("a NUL or a lone surrogate is Invalid value. without a query (PostgreSQL refuses them as parameters)", async () => {
    class ShelfSerializer extends Serializer.of({
      authors: new SlugRelatedField({ slugField: "slug", queryset: qs, many: true }),
    }) {}
    for (const slug of ["fr\u0000ank", "\ud800", "x\udc00", "\udc00\ud800"]) {
      const before = MemoryQuerySet.queries;
      const bad = new BookSerializer({ data: { author_id: 1, author_slug: slug } });
      expect(await bad.isValid()).toBe(false);
      expect(bad.errors).toEqual({ author_slug: ["Invalid value."] });
      const shelf = new ShelfSerializer({ data: { authors: ["frank", slug] } });
      expect(await shelf.isValid()).toBe(false);
      expect(shelf.errors).toEqual({ authors: { 1: ["Invalid value."] } });
      expect(MemoryQuerySet.queries - before).toBe(1); // the author_id lookup only
    }
    const paired = new BookSerializer({ data: { author_id: 1, author_slug: "\ud83d\uded2" } });
    await paired.isValid();
    expect(paired.errors).toEqual({ author_slug: ["Object with slug=\ud83d\uded2 does not exist."] });
  });
});

describe("hyperlinked fields", () => {
  const reverse: Reverse = (view, kwargs) =>
    `http://testserver/api/${view}/${String(kwargs?.pk ?? kwargs?.slug)}/`;
  const resolve = (path: string) => {
    const m = /^\/api\/([\w-]+)\/(\w+)\/$/.exec(path);
    return m ? { viewName: m[1]!, kwargs: { pk: m[2]! } } : null;
  };
  class ProductSerializer extends Serializer.of({
    url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
    category: new HyperlinkedRelatedField({ viewName: "category-detail", queryset: qs }),
  }) {}

  it("renders absolute URLs through the context's reverse", async () => {
    const product = { pk: 5, category_id: 2 };
    expect(await new ProductSerializer({ instance: product, context: { reverse } }).data).toEqual({
      url: "http://testserver/api/product-detail/5/",
      category: "http://testserver/api/category-detail/2/",
    });
  });

  it("parses URLs back through the context's resolve", async () => {
    const ctx = { reverse, resolve };
    const ok = new ProductSerializer({
      data: { category: "http://testserver/api/category-detail/1/" },
      context: ctx,
    });
    expect(await ok.isValid()).toBe(true);
    expect(ok.validatedData.category).toBe(authors[0]);
    const cases: [unknown, string][] = [
      ["http://testserver/nowhere", "Invalid hyperlink - No URL match."],
      ["http://testserver/api/product-detail/1/", "Invalid hyperlink - Incorrect URL match."],
      ["http://testserver/api/category-detail/9/", "Invalid hyperlink - Object does not exist."],
      [5, "Incorrect type. Expected URL string, received int."],
    ];
    for (const [category, message] of cases) {
      const s = new ProductSerializer({ data: { category }, context: ctx });
      await s.isValid();
      expect(s.errors).toEqual({ category: [message] });
    }
  });
});
