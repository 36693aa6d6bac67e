import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CharField,
  configureDatabase,
  defineModel,
  makeMigrations,
  migrate,
  SlugField,
} from "../src/index.js";
import { openDatabase } from "./migrations-db.js";

// RunCode gets historical models (built from the migration state, see
// migrations-historical.test.ts); this file keeps one version of its models.
const User = defineModel("mkusers.User", {
  fields: { username: CharField({ maxLength: 150, unique: true }) },
});
const Category = defineModel("mkshop.Category", {
  fields: { name: CharField({ maxLength: 100 }), slug: SlugField({ unique: true, maxLength: 50 }) },
  meta: { dbTable: "mk_category" },
});

let root: string;
let dirs: Record<string, string>;
let close: () => Promise<void>;

beforeEach(async () => {
  root = await mkdtemp(join(import.meta.dirname, ".tmp-migrations-"));
  dirs = { mkusers: join(root, "mkusers"), mkshop: join(root, "mkshop") };
  const opened = await openDatabase();
  close = opened.close;
  configureDatabase(opened.db);
});
afterEach(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

describe("data migrations", () => {
  it("run TypeScript with the ORM inside the migration's transaction, and reverse", async () => {
    await makeMigrations({ dirs, models: [User, Category] });
    await writeFile(
      join(dirs.mkshop!, "0002_seed_categories.ts"),
      [
        'import { defineMigration, operations as ops } from "@x/models";',
        "export default defineMigration({",
        '  app: "mkshop",',
        '  dependencies: [["mkshop", "0001_initial"]],',
        "  operations: [",
        "    ops.RunCode({",
        '      description: "seed categories",',
        "      code: async ({ getModel }) => {",
        '        const Category = getModel("mkshop.Category");',
        '        await Category.objects.create({ name: "Books", slug: "books" });',
        '        await Category.objects.create({ name: "Games", slug: "games" });',
        "      },",
        "      reverseCode: async ({ getModel }) => {",
        '        await getModel("mkshop.Category").objects.filter({ slug__in: ["books", "games"] }).delete();',
        "      },",
        "    }),",
        "  ],",
        "});",
        "",
      ].join("\n"),
    );
    const sources = [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }];
    await migrate({ migrations: sources });
    expect(await Category.objects.orderBy("slug").valuesList("slug", { flat: true })).toEqual([
      "books",
      "games",
    ]);
    await migrate({ migrations: sources, target: ["mkshop", "0001_initial"] });
    expect(await Category.objects.count()).toBe(0);
  });

  it("roll back the whole migration when the code fails", async () => {
    await makeMigrations({ dirs, models: [User, Category] });
    const failing = {
      app: "mkshop",
      name: "0002_fail",
      dependencies: [["mkshop", "0001_initial"]] as [string, string][],
      operations: [
        {
          op: "RunCode" as const,
          code: async () => {
            await Category.objects.create({ name: "Half", slug: "half" });
            throw new Error("boom");
          },
        },
      ],
    };
    await expect(
      migrate({ migrations: [{ dir: dirs.mkshop! }, { dir: dirs.mkusers! }, failing] }),
    ).rejects.toThrow("boom");
    expect(await Category.objects.count()).toBe(0);
  });
});
