import { describe, expect, it } from "vitest";
import {
  assertNumQueries,
  atomic,
  CASCADE,
  CharField,
  cachePrefetched,
  captureQueries,
  DO_NOTHING,
  defineModel,
  FieldError,
  ForeignKey,
  IntegerField,
  m2mChanged,
  Prefetch,
  ProtectedError,
  RESTRICT,
  RestrictedError,
  SET_DEFAULT,
  SET_NULL,
} from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import {
  Author,
  allModels,
  Book,
  Category,
  Club,
  Course,
  Customer,
  Enrollment,
  Order,
  OrderItem,
  Product,
  Profile,
  Student,
} from "./support/shop.js";

// on_delete behaviours, with a lazy reference to a model defined later (by label)
const Team = defineModel("rel.Team", { fields: { name: CharField({ maxLength: 20 }) } });
const Member = defineModel("rel.Member", {
  fields: {
    name: CharField({ maxLength: 20 }),
    team: ForeignKey(() => Team, { onDelete: CASCADE, relatedName: "members" }),
    mentor: ForeignKey("rel.Mentor", { onDelete: SET_NULL, null: true, relatedName: "mentees" }),
    badge: ForeignKey("rel.Badge", { onDelete: SET_DEFAULT, default: 1, relatedName: "holders" }),
    locker: ForeignKey("rel.Locker", { onDelete: RESTRICT, null: true, relatedName: "users" }),
    note: ForeignKey("rel.Note", { onDelete: DO_NOTHING, null: true, relatedName: "members" }),
  },
});
const Mentor = defineModel("rel.Mentor", { fields: { name: CharField({ maxLength: 20 }) } });
const Badge = defineModel("rel.Badge", { fields: { level: IntegerField() } });
const Locker = defineModel("rel.Locker", {
  fields: { team: ForeignKey(() => Team, { onDelete: CASCADE, relatedName: "lockers" }) },
});
const Note = defineModel("rel.Note", { fields: { text: CharField({ maxLength: 20 }) } });

const tdb = useTestDatabase([...allModels, Team, Mentor, Badge, Locker, Note, Member]);

/** The most statements the test database had running at once while `fn` ran. */
async function mostAtOnce<T>(fn: () => Promise<T>): Promise<{ result: T; most: number }> {
  const db = tdb.current.db as { execute: (...args: never[]) => Promise<unknown> };
  const execute = db.execute;
  let running = 0;
  let most = 0;
  db.execute = async (...args: never[]) => {
    most = Math.max(most, ++running);
    try {
      return await execute.apply(db, args);
    } finally {
      running--;
    }
  };
  try {
    return { result: await fn(), most };
  } finally {
    db.execute = execute;
  }
}

async function library() {
  const herbert = await Author.objects.create({ name: "Herbert" });
  const le = await Author.objects.create({ name: "Le Guin" });
  await Author.objects.create({ name: "Nobody" });
  await Book.objects.bulkCreate([
    new Book({ title: "Dune", author: herbert, sales: 100 }),
    new Book({ title: "Dune Messiah", author: herbert, sales: 40 }),
    new Book({ title: "Earthsea", author: le, sales: 70, editor: herbert }),
  ]);
  return { herbert, le };
}

describe("ForeignKey", () => {
  it("forward access: selectRelated joins in one query; unloaded access names the fix", async () => {
    await library();
    const books = await assertNumQueries(1, () =>
      Book.objects.selectRelated("author", "editor").orderBy("title"),
    );
    expect(books.map((b) => b.author.name)).toEqual(["Herbert", "Herbert", "Le Guin"]);
    expect(books.map((b) => b.editor?.name ?? null)).toEqual([null, null, "Herbert"]);
    const all = await assertNumQueries(1, () => Book.objects.selectRelated().orderBy("title"));
    expect(all[0]!.author.name).toBe("Herbert");
    const plain = await Book.objects.get({ title: "Dune" });
    expect(plain.author_id).toBe(1);
    expect(() => plain.author).toThrow(/selectRelated\("author"\).*fetchRelated\("author"\)/);
    await plain.fetchRelated("author");
    expect(plain.author.name).toBe("Herbert");
  });

  it("reverse manager: author.books filters, creates and uses the prefetch cache", async () => {
    const { herbert } = await library();
    expect((await herbert.related<typeof Book>("books")).map((b) => b.title)).toEqual([
      "Dune",
      "Dune Messiah",
    ]);
    expect(await herbert.related<typeof Book>("books").filter({ title__icontains: "messiah" }).count()).toBe(
      1,
    );
    const b = await herbert.related<typeof Book>("books").create({ title: "Children of Dune" });
    expect(b.author_id).toBe(herbert.id);
    const authors = await Author.objects.prefetchRelated("books");
    await assertNumQueries(0, async () => {
      const titles = await Promise.all(
        authors.map(async (a) => (await a.related<typeof Book>("books").all()).length),
      );
      expect(titles).toEqual([3, 1, 0]);
    });
  });

  it("prefetched(): a manager's prefetched rows in hand, undefined where awaiting would query", async () => {
    const { herbert } = await library();
    // not prefetched: awaiting would run a query, so there is nothing in hand
    expect(herbert.related<typeof Book>("books").prefetched()).toBeUndefined();
    expect(Book.objects.all().prefetched()).toBeUndefined();
    const [first] = await Author.objects.filter({ pk: herbert.id }).prefetchRelated("books");
    const books = first!.related<typeof Book>("books");
    const inHand = await assertNumQueries(0, async () => books.all().prefetched());
    expect(inHand?.map((b) => b.title).sort()).toEqual(["Dune", "Dune Messiah"]);
    expect(books.prefetched()).toEqual(inHand);
    // a narrower QuerySet is a new query: nothing in hand
    expect(books.filter({ title: "Dune" }).prefetched()).toBeUndefined();
    expect(await books.filter({ title: "Dune" }).count()).toBe(1);
  });

  it("reverse managers of two instances each act on their own instance (add, remove, set, clear)", async () => {
    const { herbert, le } = await library();
    const titles = async (a: typeof herbert) =>
      (await a.related<typeof Book>("edited_books").orderBy("title")).map((b) => b.title);
    const byHerbert = herbert.related<typeof Book>("edited_books");
    const byLe = le.related<typeof Book>("edited_books");
    const [dune, messiah] = await Book.objects.filter({ author: herbert }).orderBy("title");
    await byLe.add(dune!);
    await byHerbert.add(messiah!);
    expect(await titles(herbert)).toEqual(["Dune Messiah", "Earthsea"]);
    expect(await titles(le)).toEqual(["Dune"]);
    await byHerbert.remove(messiah!);
    expect(messiah!.editor_id).toBeNull();
    expect(await titles(herbert)).toEqual(["Earthsea"]);
    await byLe.set([messiah!]);
    expect(await titles(le)).toEqual(["Dune Messiah"]);
    await byLe.clear();
    expect(await titles(le)).toEqual([]);
    expect(await titles(herbert)).toEqual(["Earthsea"]);
    // a manager filtered further is a plain QuerySet: it has no relation methods
    expect((byHerbert.filter({ sales__gte: 0 }) as unknown as { add?: unknown }).add).toBeUndefined();
  });

  it("prefetch for one object: get() with reverse, forward and toAttr prefetches", async () => {
    const { herbert } = await library();
    const a = await assertNumQueries(3, () =>
      Author.objects
        .prefetchRelated(
          "books__editor",
          Prefetch("edited_books", { queryset: Book.objects.selectRelated("author"), toAttr: "edited" }),
        )
        .get({ pk: herbert.pk }),
    );
    await assertNumQueries(0, async () => {
      const books = await a.related<typeof Book>("books").all();
      expect(books.map((b) => [b.title, b.author.name, b.editor?.name ?? null])).toEqual([
        ["Dune", "Herbert", null],
        ["Dune Messiah", "Herbert", null],
      ]);
      const edited = (a as unknown as { edited: { title: string; author: { name: string } }[] }).edited;
      expect(edited.map((b) => [b.title, b.author.name])).toEqual([["Earthsea", "Le Guin"]]);
    });
    const none = await Author.objects.prefetchRelated("books").get({ name: "Nobody" });
    expect(await assertNumQueries(0, () => none.related<typeof Book>("books").all())).toEqual([]);
  });

  it("get(pk) on PostgreSQL runs its reverse prefetch beside its own query: the same rows, found or not", async () => {
    const { herbert } = await library();
    const atOnce = tdb.current.vendor === "postgresql" ? 2 : 1;
    const titles = async (a: typeof herbert) =>
      (await a.related<typeof Book>("books").all()).map((b) => b.title).sort();
    for (const pk of [herbert.pk, String(herbert.pk)]) {
      const { result: a, most } = await mostAtOnce(() =>
        // A detail view's URL kwarg is a string: getObject filters with it as it came.
        assertNumQueries(2, () => Author.objects.prefetchRelated("books").get({ pk: pk as number })),
      );
      expect(most).toBe(atOnce);
      expect(await assertNumQueries(0, () => titles(a))).toEqual(["Dune", "Dune Messiah"]);
    }
    // Pinned, but not the row found (another condition excludes it; no such pk): nothing is attached.
    await expect(
      Author.objects.prefetchRelated("books").get({ pk: herbert.pk, name: "Le Guin" }),
    ).rejects.toThrow(Author.DoesNotExist);
    await expect(Author.objects.prefetchRelated("books").get({ id: 999_999 })).rejects.toThrow(
      Author.DoesNotExist,
    );
    // A prefetch path that does not exist fails as before, when there are rows to prefetch for.
    await expect(Author.objects.prefetchRelated("nope").get({ pk: 999_999 })).rejects.toThrow(
      Author.DoesNotExist,
    );
    await expect(Author.objects.prefetchRelated("nope").get({ pk: herbert.pk })).rejects.toThrow(FieldError);
    // Not pinned to one pk, or in a transaction (one connection): one statement at a time.
    const { most: byName } = await mostAtOnce(() =>
      Author.objects.prefetchRelated("books").get({ name: "Herbert" }),
    );
    expect(byName).toBe(1);
    const { result: inTx, most: inTxMost } = await mostAtOnce(() =>
      atomic(() => Author.objects.prefetchRelated("books").get({ pk: herbert.pk })),
    );
    expect(inTxMost).toBe(1);
    expect(await titles(inTx)).toEqual(["Dune", "Dune Messiah"]);
  });

  it("cachePrefetched fills a reverse relation's prefetch cache with objects already held", async () => {
    const { herbert } = await library();
    const author = await Author.objects.get({ pk: herbert.pk });
    const dune = await Book.objects.get({ title: "Dune" });
    dune.author = author; // a forward relation is filled by assignment
    cachePrefetched(author, "books", [dune]);
    await assertNumQueries(0, async () => {
      const books = await author.related<typeof Book>("books").all();
      expect(books.map((b) => [b.title, b.author.name])).toEqual([["Dune", "Herbert"]]);
    });
    expect(() => cachePrefetched(dune, "author", [author])).toThrow(FieldError);
    expect(() => cachePrefetched(author, "nothing", [])).toThrow(FieldError);
  });

  it("prefetchRelated costs one query per level, whatever the number of rows", async () => {
    await library();
    for (let i = 0; i < 5; i++) await Author.objects.create({ name: `Extra ${i}` });
    await assertNumQueries(2, () => Author.objects.prefetchRelated("books"));
    const authors = await Author.objects.prefetchRelated(
      Prefetch("books", { queryset: Book.objects.filter({ sales__gte: 50 }), toAttr: "best_sellers" }),
    );
    const herbert = authors.find((a) => a.name === "Herbert") as unknown as {
      best_sellers: { title: string }[];
    };
    expect(herbert.best_sellers.map((b) => b.title)).toEqual(["Dune"]);
  });

  it("prefetch over more parents than one statement may bind splits the IN list", async () => {
    const authors = await Author.objects.bulkCreate(
      Array.from({ length: 10_001 }, (_, i) => new Author({ name: `a${String(i).padStart(5, "0")}` })),
      { batchSize: 1000 },
    );
    await Book.objects.create({ title: "last", author: authors[10_000]! });
    const loaded = await assertNumQueries(3, () => Author.objects.prefetchRelated("books"));
    const withBooks = [];
    for (const a of loaded)
      if ((await a.related<typeof Book>("books").all()).length > 0) withBooks.push(a.name);
    expect(withBooks).toEqual(["a10000"]);
  });

  it("multi-level prefetch items__product__category plus selectRelated", async () => {
    const u = await Customer.objects.create({ username: "ann" });
    const cats = await Category.objects.bulkCreate([
      new Category({ name: "c1" }),
      new Category({ name: "c2" }),
    ]);
    const products = await Product.objects.bulkCreate(
      [0, 1, 2].map(
        (i) => new Product({ name: `p${i}`, slug: `p${i}`, price: "1.00", category: cats[i % 2]! }),
      ),
    );
    for (let o = 0; o < 4; o++) {
      const order = await Order.objects.create({ user: u });
      for (const p of products)
        await OrderItem.objects.create({ order, product: p, quantity: o + 1, price: "2.50" });
    }
    const orders = await assertNumQueries(4, () =>
      Order.objects.prefetchRelated("items__product", "items__product__category").selectRelated("user"),
    );
    // lookups and ordering through several relation levels
    expect(await Order.objects.filter({ items__product__category__name: "c2" }).count()).toBe(4);
    expect(
      await Order.objects.filter({ items__quantity__gte: 4, items__product__category__name: "c1" }).count(),
    ).toBe(1);
    expect(await Customer.objects.filter({ orders__items__product__name: "p2" }).count()).toBe(1);
    const byCategory = await OrderItem.objects
      .orderBy("-product__category__name", "id")
      .valuesList("product__category__name", {
        flat: true,
      });
    expect(byCategory.slice(0, 4)).toEqual(["c2", "c2", "c2", "c2"]);
    // only()/defer() combine with selectRelated: one query, deferred columns not selected
    const { result: items, queries } = await captureQueries(() =>
      OrderItem.objects
        .selectRelated("product__category", "order__user")
        .only("quantity", "product__name", "product__category__name", "order__user__username")
        .orderBy("id"),
    );
    expect(queries).toHaveLength(1);
    expect(queries[0]!.sql).not.toMatch(/"slug"/);
    expect(items[0]!.product.name).toBe("p0");
    expect(items[0]!.product.category?.name).toBe("c1");
    expect(items[0]!.order.user.username).toBe("ann");
    expect((items[0]!.product as unknown as Record<string, unknown>).slug).toBeUndefined();
    await assertNumQueries(0, async () => {
      for (const o of orders) {
        expect(o.user.username).toBe("ann");
        const items = await o.related<typeof OrderItem>("items").all();
        expect(items).toHaveLength(3);
        for (const it of items) {
          expect(it.product.category?.name).toMatch(/^c[12]$/);
          expect(it.order).toBe(o);
        }
      }
    });
  });

  it("lookups and ordering across relations", async () => {
    await library();
    expect((await Book.objects.filter({ author__name__startswith: "Le" })).map((b) => b.title)).toEqual([
      "Earthsea",
    ]);
    expect((await Author.objects.filter({ books__title__icontains: "dune" })).map((a) => a.name)).toEqual([
      "Herbert",
    ]);
    expect((await Author.objects.filter({ books__isnull: true })).map((a) => a.name)).toEqual(["Nobody"]);
    expect((await Book.objects.orderBy("-author__name", "title")).map((b) => b.title)).toEqual([
      "Earthsea",
      "Dune",
      "Dune Messiah",
    ]);
    await expect(Book.objects.selectRelated("title").count()).resolves.toBe(3);
    await expect(Book.objects.selectRelated("title").then((r) => r)).rejects.toThrow(FieldError);
  });

  it("self reference: Category.parent and children", async () => {
    const root = await Category.objects.create({ name: "root" });
    await Category.objects.create({ name: "leaf", parent: root });
    const leaf = await Category.objects.selectRelated("parent").get({ name: "leaf" });
    expect(leaf.parent?.name).toBe("root");
    expect((await root.related<typeof Category>("children")).map((c) => c.name)).toEqual(["leaf"]);
    expect((await Category.objects.filter({ parent__name: "root" })).map((c) => c.name)).toEqual(["leaf"]);
    await root.delete();
    expect(await Category.objects.count()).toBe(0);
  });
});

describe("an instance's loaded relations", () => {
  it("keeps more relations than its inline slots: five joined, reassigned, cleared by refreshFromDb", async () => {
    const team = await Team.objects.create({ name: "Reds" });
    const mentor = await Mentor.objects.create({ name: "Ada" });
    const badge = await Badge.objects.create({ level: 3 });
    const locker = await Locker.objects.create({ team });
    const other = await Locker.objects.create({ team });
    const note = await Note.objects.create({ text: "hi" });
    await Member.objects.create({ name: "Bo", team, mentor, badge, locker, note });
    const member = await assertNumQueries(1, () =>
      Member.objects.selectRelated("team", "mentor", "badge", "locker", "note").get({ name: "Bo" }),
    );
    const read = () => [
      member.team.name,
      member.mentor?.name,
      member.badge.level,
      member.locker?.pk,
      member.note?.text,
    ];
    expect(await assertNumQueries(0, async () => read())).toEqual(["Reds", "Ada", 3, locker.pk, "hi"]);
    member.note = null;
    member.locker = other;
    expect(await assertNumQueries(0, async () => read())).toEqual(["Reds", "Ada", 3, other.pk, undefined]);
    expect(member.note).toBeNull();
    await member.save();
    await member.refreshFromDb();
    expect(member.locker_id).toBe(other.pk);
    expect(() => member.team).toThrow(/fetchRelated|selectRelated|not loaded/i);
  });

  it("a prefetched reverse relation answers its rows on every access, and follows a new prefetch", async () => {
    const team = await Team.objects.create({ name: "Blues" });
    const badge = await Badge.objects.create({ level: 1 });
    const a = await Member.objects.create({ name: "A", team, badge });
    const b = await Member.objects.create({ name: "B", team, badge });
    const [loaded] = await Team.objects.filter({ pk: team.pk }).prefetchRelated("members");
    const members = () => loaded!.related<typeof Member>("members");
    const names = async () => (await members().all()).map((m) => m.name).sort();
    await assertNumQueries(0, async () => {
      expect(await names()).toEqual(["A", "B"]);
      expect(members().prefetched()?.length).toBe(2);
      expect(await names()).toEqual(["A", "B"]);
      expect(await members().count()).toBe(2);
    });
    // the manager is filtered by its team, whatever it has in hand
    expect((await members().filter({ name: "A" })).map((m) => m.pk)).toEqual([a.pk]);
    const before = members();
    cachePrefetched(loaded!, "members", [b]);
    expect(await assertNumQueries(0, () => names())).toEqual(["B"]);
    expect(
      members()
        .prefetched()
        ?.map((m) => m.name),
    ).toEqual(["B"]);
    // a manager taken before reads the relation's rows as they are when asked, as Django's does
    expect((await before.all()).map((m) => m.name)).toEqual(["B"]);
    await loaded!.refreshFromDb();
    expect(members().prefetched()).toBeUndefined();
    expect(await assertNumQueries(1, () => names())).toEqual(["A", "B"]);
  });
});

describe("on_delete through the deletion collector", () => {
  async function setup() {
    const team = await Team.objects.create({ name: "t" });
    const mentor = await Mentor.objects.create({ name: "m" });
    const badge1 = await Badge.objects.create({ level: 1 });
    const badge2 = await Badge.objects.create({ level: 2 });
    const member = await Member.objects.create({ name: "x", team, mentor, badge: badge2 });
    return { team, mentor, badge1, badge2, member };
  }

  it("CASCADE through several levels, SET_NULL and SET_DEFAULT", async () => {
    const { team, mentor, badge2, member } = await setup();
    await mentor.delete();
    await member.refreshFromDb();
    expect(member.mentor_id).toBeNull();
    await badge2.delete();
    await member.refreshFromDb();
    expect(member.badge_id).toBe(1);
    const [total, per] = await team.delete();
    expect(per).toEqual({ "rel.Team": 1, "rel.Member": 1 });
    expect(total).toBe(2);
    expect(await Member.objects.count()).toBe(0);
  });

  it("RESTRICT blocks unless the restricted rows are deleted by the same cascade", async () => {
    const { team, member } = await setup();
    const locker = await Locker.objects.create({ team });
    member.locker = locker;
    await member.save();
    await expect(locker.delete()).rejects.toBeInstanceOf(RestrictedError);
    // deleting the team cascades to both the locker and the member: allowed
    await team.delete();
    expect(await Locker.objects.count()).toBe(0);
  });

  it("PROTECT names the blocking objects; cascades several levels (user → orders → items)", async () => {
    const u = await Customer.objects.create({ username: "u" });
    const p = await Product.objects.create({ name: "p", slug: "p", price: "1.00" });
    const o = await Order.objects.create({ user: u });
    await OrderItem.objects.create({ order: o, product: p, price: "1.00" });
    const err = (await p.hardDelete().catch((e: unknown) => e)) as ProtectedError;
    expect(err).toBeInstanceOf(ProtectedError);
    expect(err.message).toMatch(/'OrderItem.product'/);
    expect(err.protectedObjects).toHaveLength(1);
    await u.delete();
    expect(await Order.objects.count()).toBe(0);
    expect(await OrderItem.objects.count()).toBe(0);
  });

  it("bulk delete through a QuerySet also cascades", async () => {
    await library();
    const [total, per] = await Author.objects.filter({ name: "Herbert" }).delete();
    expect(per).toEqual({ "library.Author": 1, "library.Book": 2 });
    expect(total).toBe(3);
    // Earthsea's editor was Herbert: SET_NULL
    expect((await Book.objects.get({ title: "Earthsea" })).editor_id).toBeNull();
  });
});

describe("OneToOneField", () => {
  it("forward and reverse access; a missing reverse raises DoesNotExist", async () => {
    const ann = await Customer.objects.create({ username: "ann" });
    const bob = await Customer.objects.create({ username: "bob" });
    await Profile.objects.create({ user: ann, bio: "hi" });
    const users = await assertNumQueries(1, () =>
      Customer.objects.selectRelated("profile").orderBy("username"),
    );
    expect((users[0] as unknown as { profile: { bio: string } }).profile.bio).toBe("hi");
    expect(() => (users[1] as unknown as { profile: unknown }).profile).toThrow(Profile.DoesNotExist);
    const profile = await Profile.objects.selectRelated("user").get({ user__username: "ann" });
    expect(profile.user.username).toBe("ann");
    await expect(Profile.objects.create({ user: ann })).rejects.toThrow();
    const plain = await Customer.objects.get({ username: "bob" });
    await plain.fetchRelated("profile" as never);
    expect(() => (plain as unknown as { profile: unknown }).profile).toThrow("Customer has no profile.");
    const annPlain = await Customer.objects.get({ username: "ann" });
    await annPlain.fetchRelated("profile" as never);
    expect((annPlain as unknown as { profile: { bio: string } }).profile.bio).toBe("hi");
    const prefetched = await Customer.objects.prefetchRelated("profile").orderBy("username");
    expect((prefetched[0] as unknown as { profile: { bio: string } }).profile.bio).toBe("hi");
    void bob;
  });
});

describe("ManyToManyField", () => {
  it("add() is idempotent under concurrent calls for the same pair", async () => {
    const s = await Student.objects.create({ name: "racer" });
    const club = await Club.objects.create({ name: "running" });
    await Promise.all(Array.from({ length: 6 }, () => s.clubs.add(club)));
    expect(await s.clubs.count()).toBe(1);
  });

  it("automatic join table: add, remove, set, clear, reverse side, m2m_changed", async () => {
    const s = await Student.objects.create({ name: "s" });
    const [chess, drama, band] = await Club.objects.bulkCreate([
      new Club({ name: "chess" }),
      new Club({ name: "drama" }),
      new Club({ name: "band" }),
    ]);
    const actions: string[] = [];
    const off = m2mChanged.connect(({ action, pkSet }) => {
      actions.push(`${action}:${(pkSet ?? []).join(",")}`);
    });
    await s.clubs.add(chess!, drama!);
    await s.clubs.add(chess!);
    expect((await s.clubs.all()).map((c) => c.name)).toEqual(["chess", "drama"]);
    await s.clubs.remove(chess!);
    expect((await s.clubs.all()).map((c) => c.name)).toEqual(["drama"]);
    await s.clubs.set([band!, drama!]);
    expect((await s.clubs.all()).map((c) => c.name)).toEqual(["band", "drama"]);
    expect((await band!.related<typeof Student>("members")).map((x) => x.name)).toEqual(["s"]);
    expect((await Club.objects.filter({ members__name: "s" })).map((c) => c.name)).toEqual(["band", "drama"]);
    await s.clubs.clear();
    expect(await s.clubs.count()).toBe(0);
    off();
    expect(actions.slice(0, 2)).toEqual(["pre_add:1,2", "post_add:1,2"]);
    expect(actions).toContain("post_clear:");
  });

  it("through model with extra fields and unique_together; prefetch both sides", async () => {
    const [a, b] = await Student.objects.bulkCreate([new Student({ name: "a" }), new Student({ name: "b" })]);
    const [math, art] = await Course.objects.bulkCreate([
      new Course({ name: "math" }),
      new Course({ name: "art" }),
    ]);
    await Enrollment.objects.create({ student: a!, course: math!, grade: "A" });
    await Enrollment.objects.create({ student: a!, course: art! });
    await Enrollment.objects.create({ student: b!, course: math!, grade: "B" });
    await expect(Enrollment.objects.create({ student: a!, course: math! })).rejects.toThrow();
    expect((await a!.courses.all()).map((c) => c.name).sort()).toEqual(["art", "math"]);
    expect(
      (await Student.objects.filter({ courses__name: "math", enrollment__grade: "B" })).map((s) => s.name),
    ).toEqual(["b"]);
    const students = await assertNumQueries(2, () =>
      Student.objects.prefetchRelated("courses").orderBy("name"),
    );
    const counts = await Promise.all(students.map(async (s) => (await s.courses.all()).length));
    expect(counts).toEqual([2, 1]);
    const courses = await assertNumQueries(2, () =>
      Course.objects.prefetchRelated("students").orderBy("name"),
    );
    const names = await Promise.all(
      courses.map(async (c) => (await c.related<typeof Student>("students").all()).map((s) => s.name).sort()),
    );
    expect(names).toEqual([["a"], ["a", "b"]]);
    const enrolled = await Enrollment.objects.get({ student: a!, course: math! });
    expect(enrolled.enrolled_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // deleting a student cascades to its enrollments
    await a!.delete();
    expect(await Enrollment.objects.count()).toBe(1);
  });
});

describe("query capture", () => {
  it("lists the SQL of a block", async () => {
    const { queries, count } = await captureQueries(async () => {
      await Author.objects.count();
      await Author.objects.filter({ name: "x" }).exists();
    });
    expect(count).toBe(2);
    expect(queries[0]!.sql).toMatch(/COUNT/);
    await expect(assertNumQueries(0, () => Author.objects.count())).rejects.toThrow(
      /1 queries executed, 0 expected/,
    );
  });
});
