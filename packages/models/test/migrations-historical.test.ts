// RunCode gets historical models: the model as the migrations before it describe it, so a data
// migration written against an early schema still runs after later migrations add fields.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ArrayField,
  BooleanField,
  CASCADE,
  CharField,
  configureDatabase,
  DateTimeField,
  DecimalField,
  DurationField,
  defineMigration,
  defineModel,
  ForeignKey,
  getModel,
  IntegerField,
  JSONField,
  ManyToManyField,
  makeMigrations,
  migrate,
  operations,
  SlugField,
  UUIDField,
} from "../src/index.js";
import { openDatabase } from "./migrations-db.js";

let root: string;
let dirs: Record<string, string>;
let close: () => Promise<void>;

beforeEach(async () => {
  root = await mkdtemp(join(import.meta.dirname, ".tmp-migrations-"));
  dirs = { hist: join(root, "hist") };
  const opened = await openDatabase();
  close = opened.close;
  configureDatabase(opened.db);
});
afterEach(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

// What the data migration saw, for the assertions below.
const seen = globalThis as { histSeen?: { fields: string[]; books: number; sameClass: boolean } };

const seedMigration = [
  'import { defineMigration, getModel as registered, operations as ops } from "@x/models";',
  "export default defineMigration({",
  '  app: "hist",',
  '  dependencies: [["hist", "0001_initial"]],',
  "  operations: [",
  "    ops.RunCode({",
  '      description: "seed shelves and books",',
  "      code: async ({ getModel }) => {",
  '        const Shelf = getModel("hist.Shelf");',
  '        const Book = getModel("hist.Book");',
  '        const shelf = await Shelf.objects.create({ name: "Fiction", slug: "fiction" });',
  '        const dune = await Book.objects.create({ title: "Dune", shelf });',
  "        await dune.neighbours.add(shelf);",
  '        await Book.objects.create({ title: "Emma", shelf });',
  "        globalThis.histSeen = {",
  "          fields: Book.meta.allFields.map((f) => f.name),",
  '          books: await Book.objects.filter({ shelf__slug: "fiction" }).count(),',
  '          sameClass: registered("hist.Book") === Book,',
  "        };",
  "      },",
  "      reverseCode: async ({ getModel }) => {",
  '        await getModel("hist.Book").objects.all().delete();',
  '        await getModel("hist.Shelf").objects.all().delete();',
  "      },",
  "    }),",
  "  ],",
  "});",
  "",
].join("\n");

describe("RunCode gets historical models", () => {
  it("a data migration that runs before a later field is added works, and the registry keeps today's models", async () => {
    const ShelfV1 = defineModel("hist.Shelf", {
      fields: { name: CharField({ maxLength: 50 }), slug: SlugField({ unique: true }) },
    });
    const BookV1 = defineModel("hist.Book", {
      fields: {
        title: CharField({ maxLength: 100 }),
        shelf: ForeignKey(() => ShelfV1, { onDelete: CASCADE, relatedName: "books" }),
        neighbours: ManyToManyField(() => ShelfV1, { blank: true, relatedName: "near_books" }),
      },
      meta: { dbTable: "hist_books" },
    });
    await makeMigrations({ dirs, models: [ShelfV1, BookV1] });
    await writeFile(join(dirs.hist!, "0002_seed.ts"), seedMigration);

    // Today's Book has two more columns, added by 0003: the seed must not try to insert them.
    const Shelf = defineModel("hist.Shelf", {
      fields: { name: CharField({ maxLength: 50 }), slug: SlugField({ unique: true }) },
    });
    const Book = defineModel("hist.Book", {
      fields: {
        title: CharField({ maxLength: 100 }),
        shelf: ForeignKey(() => Shelf, { onDelete: CASCADE, relatedName: "books" }),
        neighbours: ManyToManyField(() => Shelf, { blank: true, relatedName: "near_books" }),
        pages: IntegerField({ default: 100 }),
        isbn: CharField({ maxLength: 13, null: true }),
      },
      meta: { dbTable: "hist_books" },
    });
    const [added] = await makeMigrations({ dirs, models: [Shelf, Book] });
    expect(added!.migration.name).toBe("0003_book_pages_book_isbn");

    const result = await migrate({ migrations: [{ dir: dirs.hist! }] });
    expect(result.applied).toEqual(["hist.0001_initial", "hist.0002_seed", "hist.0003_book_pages_book_isbn"]);
    expect(seen.histSeen).toEqual({
      fields: ["id", "title", "shelf", "neighbours"],
      books: 2,
      sameClass: false,
    });
    expect(
      await Book.objects.filter({ neighbours__slug: "fiction" }).valuesList("title", { flat: true }),
    ).toEqual(["Dune"]);
    // the rows the historical models wrote, read through today's models (0003 filled the default)
    const books = await Book.objects.orderBy("title").values("title", "pages", "isbn", "shelf__name");
    expect(books).toEqual([
      { title: "Dune", pages: 100, isbn: null, shelf__name: "Fiction" },
      { title: "Emma", pages: 100, isbn: null, shelf__name: "Fiction" },
    ]);
    expect(getModel("hist.Book")).toBe(Book);
    expect(getModel("hist.Shelf")).toBe(Shelf);

    // backwards: the reverse code runs on the state before 0003 (historical models again)
    await migrate({ migrations: [{ dir: dirs.hist! }], target: ["hist", "0001_initial"] });
    expect(await Shelf.objects.count()).toBe(0);
    expect(getModel("hist.Book")).toBe(Book);
  });
});

describe("historical models of every kind of field", () => {
  it("store and read back values and recorded defaults (UUID key, decimal, JSON, array, datetime)", async () => {
    const Kinds = defineModel("histkinds.Kinds", {
      fields: {
        key: UUIDField({ primaryKey: true, default: () => crypto.randomUUID() }),
        price: DecimalField({ maxDigits: 8, decimalPlaces: 2, default: "1.50" }),
        data: JSONField({ default: () => ({ a: [1] }) }),
        tags: ArrayField(CharField({ maxLength: 10 }), { default: () => ["x"] }),
        flag: BooleanField({ default: true }),
        span: DurationField({ null: true }),
        at: DateTimeField({ default: new Date("2024-01-02T03:04:05.000Z") }),
      },
    });
    const [initial] = await makeMigrations({
      dirs: { histkinds: join(root, "histkinds") },
      models: [Kinds],
      dryRun: true,
    });
    let read: Record<string, unknown>[] = [];
    const data = defineMigration({
      app: "histkinds",
      name: "0002_data",
      dependencies: [["histkinds", "0001_initial"]],
      operations: [
        operations.RunCode({
          code: async ({ getModel }) => {
            const K = getModel("histkinds.kinds");
            await K.objects.create({ key: "00000000-0000-4000-8000-000000000001", span: 1500 });
            await K.objects.create({
              key: "00000000-0000-4000-8000-000000000002",
              price: "12.34",
              data: { b: null },
              tags: ["p", "q"],
              flag: false,
            });
            read = await K.objects.orderBy("key").values("price", "data", "tags", "flag", "span", "at");
          },
        }),
      ],
    });
    await migrate({ migrations: [initial!.migration, data] });
    const at = new Date("2024-01-02T03:04:05.000Z");
    expect(read).toEqual([
      { price: "1.50", data: { a: [1] }, tags: ["x"], flag: true, span: 1500, at },
      { price: "12.34", data: { b: null }, tags: ["p", "q"], flag: false, span: null, at },
    ]);
    expect(await Kinds.objects.count()).toBe(2);
  });
});
