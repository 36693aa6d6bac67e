// Writable nested many-to-many (drf-writable-nested's rules), forward and reverse, on both databases.
import {
  CharField,
  captureQueries,
  createTestDatabase,
  defineModel,
  ManyToManyField,
  type TestDatabase,
} from "@x/models";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ModelSerializer, ValidationError } from "../src/index.js";
import { Article, allModels, Tag } from "./shop-models.js";

// a unique field on the other side of a many-to-many relation
const Label = defineModel("m2mtests.Label", { fields: { name: CharField({ maxLength: 20, unique: true }) } });
const Post = defineModel("m2mtests.Post", {
  fields: {
    title: CharField({ maxLength: 50 }),
    labels: ManyToManyField(() => Label, { relatedName: "posts" }),
  },
});
const Code = defineModel("m2mtests.Code", { fields: { code: CharField({ maxLength: 10, unique: true }) } });

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [...allModels, Label, Post, Code] });
});
beforeEach(async () => {
  await tdb.reset();
});
afterAll(async () => {
  await tdb.close();
});

class TagSerializer extends ModelSerializer.of({
  model: Tag,
  fields: ["id", "name"],
  extraKwargs: { name: { required: false } },
}) {}

class ArticleSerializer extends ModelSerializer.of(
  { model: Article, fields: ["id", "title", "tags"] },
  { tags: TagSerializer.many() },
) {}

type ArticleRow = InstanceType<typeof Article>;

/** The article's tags as [pk, name], by pk, straight from the database. */
async function tagsOf(article: { pk: unknown }): Promise<[number, string][]> {
  const row = await Article.objects.get({ pk: article.pk as number });
  const rows = await row.related<typeof Tag>("tags").orderBy("pk");
  return rows.map((t) => [t.pk as number, t.name]);
}

async function snapshot() {
  const articles = await Article.objects.orderBy("pk");
  return {
    articles: articles.map((a) => [a.pk, a.title]),
    tags: (await Tag.objects.orderBy("pk")).map((t) => [t.pk, t.name]),
    links: await Promise.all(articles.map((a) => tagsOf(a))),
  };
}

const saved = async (s: {
  isValid(o: { raiseException: true }): Promise<boolean>;
  save(): Promise<unknown>;
}) => {
  await s.isValid({ raiseException: true });
  return s.save();
};

describe("writable nested many-to-many", () => {
  it("create: new items are created, items with a pk are matched and updated, the relation is exactly those", async () => {
    const a = await Tag.objects.create({ name: "a" });
    const b = await Tag.objects.create({ name: "b" });
    const s = new ArticleSerializer({
      data: { title: "t", tags: [{ name: "new" }, { id: a.pk, name: "A" }, { id: b.pk }] },
    });
    const article = (await saved(s)) as ArticleRow;
    const created = await Tag.objects.get({ name: "new" });
    expect(await tagsOf(article)).toEqual([
      [a.pk, "A"],
      [b.pk, "b"],
      [created.pk, "new"],
    ]);
    expect(await Tag.objects.count()).toBe(3);
    const [row] = await Article.objects.prefetchRelated("tags").filter({ pk: article.pk });
    const data = (await new ArticleSerializer({ instance: row }).data) as { tags: { name: string }[] };
    expect(data.tags.map((t) => t.name).sort()).toEqual(["A", "b", "new"]);
  });

  it("update: the relation is replaced; rows no longer listed are unlinked, not deleted", async () => {
    const [a, b, c] = [
      await Tag.objects.create({ name: "a" }),
      await Tag.objects.create({ name: "b" }),
      await Tag.objects.create({ name: "c" }),
    ];
    const article = await Article.objects.create({ title: "t" });
    await article.related("tags").set([a, b]);
    const s = new ArticleSerializer({
      instance: article,
      data: { title: "t2", tags: [{ id: b.pk, name: "B" }, { id: c.pk }, { name: "d" }] },
    });
    await saved(s);
    const d = await Tag.objects.get({ name: "d" });
    expect(await tagsOf(article)).toEqual([
      [b.pk, "B"],
      [c.pk, "c"],
      [d.pk, "d"],
    ]);
    expect((await Tag.objects.get({ pk: a.pk })).name).toBe("a");
    expect((await Article.objects.get({ pk: article.pk })).title).toBe("t2");

    // a partial update that does not send the list leaves the relation alone
    const p = new ArticleSerializer({ instance: article, data: { title: "t3" }, partial: true });
    await saved(p);
    expect((await tagsOf(article)).map(([pk]) => pk)).toEqual([b.pk, c.pk, d.pk]);

    // an empty list empties the relation
    await saved(new ArticleSerializer({ instance: article, data: { tags: [] }, partial: true }));
    expect(await tagsOf(article)).toEqual([]);
    expect(await Tag.objects.count()).toBe(4);
  });

  it("item errors are DRF-shaped and aligned with the items; nothing is written", async () => {
    const s = new ArticleSerializer({
      data: { title: "t", tags: [{ name: "ok" }, { name: "x".repeat(31) }, { name: "" }] },
    });
    expect(await s.isValid()).toBe(false);
    expect(s.errors).toEqual({
      tags: [
        {},
        { name: ["Ensure this field has no more than 30 characters."] },
        { name: ["This field may not be blank."] },
      ],
    });
    const notList = new ArticleSerializer({ data: { title: "t", tags: { name: "x" } } });
    expect(await notList.isValid()).toBe(false);
    expect(notList.errors).toEqual({
      tags: { non_field_errors: ['Expected a list of items but got type "dict".'] },
    });
    expect(await Article.objects.count()).toBe(0);
  });

  it("an unknown or malformed pk is the item's error at validation, in one query for all pks", async () => {
    const a = await Tag.objects.create({ name: "a" });
    const s = new ArticleSerializer({
      data: {
        title: "t",
        tags: [{ name: "fresh" }, { id: 999_999, name: "x" }, { id: a.pk, name: "A" }, { id: "abc" }],
      },
    });
    const { queries } = await captureQueries(() => s.isValid());
    expect(s.errors).toEqual({
      tags: [
        {},
        { id: ['Invalid pk "999999" - object does not exist.'] },
        {},
        { id: ['Invalid pk "abc" - object does not exist.'] },
      ],
    });
    expect(queries).toHaveLength(1);
    expect(await Article.objects.count()).toBe(0);
  });

  it("a row gone between validation and save is a 400 aligned with the items, and the save rolls back", async () => {
    const [a, gone] = [await Tag.objects.create({ name: "a" }), await Tag.objects.create({ name: "gone" })];
    const article = await Article.objects.create({ title: "t" });
    await article.related("tags").set([a]);
    const s = new ArticleSerializer({
      instance: article,
      data: {
        title: "changed",
        tags: [{ name: "fresh" }, { id: gone.pk, name: "x" }, { id: a.pk, name: "A" }],
      },
    });
    await s.isValid({ raiseException: true });
    await Tag.objects.filter({ pk: gone.pk }).delete();
    const before = await snapshot();
    const error = await s.save().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).detail).toEqual({
      tags: [{}, { id: [`Invalid pk "${gone.pk}" - object does not exist.`] }, {}],
    });
    expect((error as ValidationError).getCodes()).toEqual({
      tags: [{}, { id: ["does_not_exist"] }, {}],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("an item validates against the row it names: its unchanged unique value is no conflict", async () => {
    class LabelSerializer extends ModelSerializer.of({ model: Label, fields: ["id", "name"] }) {}
    class PostSerializer extends ModelSerializer.of(
      { model: Post, fields: ["id", "title", "labels"] },
      { labels: LabelSerializer.many() },
    ) {}
    const [x, y] = [await Label.objects.create({ name: "x" }), await Label.objects.create({ name: "y" })];
    const ok = new PostSerializer({ data: { title: "p", labels: [{ id: x.pk, name: "x" }, { name: "z" }] } });
    expect(await ok.isValid()).toBe(true);
    const post = (await ok.save()) as InstanceType<typeof Post>;
    expect((await post.related<typeof Label>("labels").orderBy("name")).map((l) => l.name)).toEqual([
      "x",
      "z",
    ]);
    // renaming x to y's name, or creating another "y", still conflicts
    const clash = new PostSerializer({
      instance: post,
      data: { title: "p", labels: [{ id: x.pk, name: "y" }, { name: "y" }, { id: y.pk, name: "y" }] },
    });
    expect(await clash.isValid()).toBe(false);
    expect(clash.errors).toEqual({
      labels: [
        { name: ["label with this name already exists."] },
        { name: ["label with this name already exists."] },
        {},
      ],
    });
  });

  it("bulk update (many=True with instances): each item validates against its own row", async () => {
    const [a, b] = [await Code.objects.create({ code: "a" }), await Code.objects.create({ code: "b" })];
    class CodeSerializer extends ModelSerializer.of({ model: Code, fields: ["id", "code"] }) {}
    const s = CodeSerializer.many({
      instance: [a, b],
      data: [
        { id: a.pk, code: "a" },
        { id: b.pk, code: "b2" },
      ],
    });
    expect(await s.isValid()).toBe(true);
    await s.save();
    expect((await Code.objects.orderBy("id")).map((c) => c.code)).toEqual(["a", "b2"]);
  });

  it("a failure in a nested create rolls back the parent and the other items", async () => {
    class FailingTag extends ModelSerializer.of({ model: Tag, fields: ["id", "name"] }) {
      override create(data: this["validatedData"]): never {
        throw new Error(`cannot create ${data.name}`);
      }
    }
    class S extends ModelSerializer.of(
      { model: Article, fields: ["id", "title", "tags"] },
      { tags: FailingTag.many() },
    ) {}
    const a = await Tag.objects.create({ name: "a" });
    const article = await Article.objects.create({ title: "t" });
    const before = await snapshot();
    const s = new S({
      instance: article,
      data: { title: "changed", tags: [{ id: a.pk, name: "A" }, { name: "boom" }] },
    });
    await s.isValid({ raiseException: true });
    await expect(s.save()).rejects.toThrow("cannot create boom");
    expect(await snapshot()).toEqual(before);
  });

  it("no N+1: one lookup for all pks, one INSERT for all new items, whatever their number", async () => {
    const existing: InstanceType<typeof Tag>[] = [];
    for (let i = 0; i < 6; i++) existing.push(await Tag.objects.create({ name: `t${i}` }));
    const run = async (n: number) => {
      const tags = [
        ...existing.slice(0, n).map((t) => ({ id: t.pk })),
        ...Array.from({ length: n }, (_, i) => ({ name: `new-${n}-${i}` })),
      ];
      const s = new ArticleSerializer({ data: { title: `a${n}`, tags } });
      await s.isValid({ raiseException: true });
      const { queries, result } = await captureQueries(() => s.save());
      expect(await tagsOf(result as ArticleRow)).toHaveLength(2 * n);
      return queries.map((q) => q.sql);
    };
    const two = await run(2);
    const six = await run(6);
    expect(six.length).toBe(two.length);
    // the pks the items name are looked up together
    expect(six.filter((q) => /FROM "tests_tag"/.test(q) && /IN \(/.test(q))).toHaveLength(1);
    expect(six.filter((q) => q.startsWith('INSERT INTO "tests_tag"'))).toHaveLength(1);
  });

  it("matched items with data are updated one by one (their own save), the rest is constant", async () => {
    const tags: InstanceType<typeof Tag>[] = [];
    for (let i = 0; i < 4; i++) tags.push(await Tag.objects.create({ name: `t${i}` }));
    const article = await Article.objects.create({ title: "t" });
    const count = async (n: number) => {
      const s = new ArticleSerializer({
        instance: article,
        data: { tags: tags.slice(0, n).map((t) => ({ id: t.pk, name: `${t.name}-${n}` })) },
        partial: true,
      });
      await s.isValid({ raiseException: true });
      return (await captureQueries(() => s.save())).queries.map((q) => q.sql);
    };
    const one = await count(1);
    const four = await count(4);
    const updates = (qs: string[]) => qs.filter((q) => q.startsWith('UPDATE "tests_tag"')).length;
    expect(updates(one)).toBe(1);
    expect(updates(four)).toBe(4);
    expect(four.length - updates(four)).toBe(one.length - updates(one));
  });

  it("reverse many-to-many (tag.articles) is written the same way", async () => {
    class ArticleOnly extends ModelSerializer.of({
      model: Article,
      fields: ["id", "title"],
      extraKwargs: { title: { required: false } },
    }) {}
    class TagWithArticles extends ModelSerializer.of(
      { model: Tag, fields: ["id", "name", "articles"] },
      { articles: ArticleOnly.many() },
    ) {}
    const old = await Article.objects.create({ title: "old" });
    const keep = await Article.objects.create({ title: "keep" });
    const tag = (await saved(
      new TagWithArticles({
        data: { name: "x", articles: [{ id: old.pk }, { id: keep.pk, title: "kept" }, { title: "new" }] },
      }),
    )) as InstanceType<typeof Tag>;
    const titles = async () =>
      (await Article.objects.filter({ tags: tag.pk }).orderBy("pk")).map((a) => a.title);
    expect(await titles()).toEqual(["old", "kept", "new"]);

    await saved(new TagWithArticles({ instance: tag, data: { articles: [{ id: keep.pk }] }, partial: true }));
    expect(await titles()).toEqual(["kept"]);
    expect(await Article.objects.count()).toBe(3);
    const [row] = await Tag.objects.prefetchRelated("articles").filter({ pk: tag.pk });
    expect(await new TagWithArticles({ instance: row }).data).toEqual({
      id: tag.pk,
      name: "x",
      articles: [{ id: keep.pk, title: "kept" }],
    });
  });
});
