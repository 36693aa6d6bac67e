// Every field type through makemigrations + migrate, then the ORM round-trips values on the migrated tables.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArrayField,
  BigAutoField,
  BigIntegerField,
  BooleanField,
  CASCADE,
  CharField,
  configureDatabase,
  DateField,
  DateTimeField,
  DecimalField,
  DurationField,
  defineModel,
  EmailField,
  FloatField,
  ImageField,
  IntegerField,
  JSONField,
  makeMigrations,
  migrate,
  modelStateFromModel,
  OneToOneField,
  PositiveIntegerField,
  SlugField,
  SmallIntegerField,
  TextField,
  TimeField,
  URLField,
  UUIDField,
} from "../src/index.js";
import { openDatabase } from "./migrations-db.js";

const Owner = defineModel("mkfields.Owner", {
  fields: { id: BigAutoField({ primaryKey: true }), name: CharField({ maxLength: 50 }) },
});
const Everything = defineModel("mkfields.Everything", {
  fields: {
    uuid: UUIDField({ unique: true }),
    char: CharField({ maxLength: 20 }),
    text: TextField(),
    slug: SlugField({ maxLength: 30 }),
    email: EmailField({ maxLength: 254 }),
    url: URLField({ maxLength: 200 }),
    integer: IntegerField({ dbIndex: true }),
    big: BigIntegerField(),
    small: SmallIntegerField(),
    positive: PositiveIntegerField(),
    float: FloatField(),
    money: DecimalField({ maxDigits: 12, decimalPlaces: 2 }),
    flag: BooleanField({ default: false }),
    day: DateField(),
    moment: DateTimeField(),
    clock: TimeField(),
    span: DurationField(),
    data: JSONField({ default: () => ({}) }),
    tags: ArrayField(CharField({ maxLength: 10 }), { default: () => [] }),
    picture: ImageField({ uploadTo: "pics/%Y/", blank: true, maxLength: 100 }),
    owner: OneToOneField(() => Owner, { onDelete: CASCADE, null: true }),
  },
  meta: {
    // Names that would collide with automatic indexes (db_index, foreign key) or with each other.
    indexes: [
      { fields: ["owner"] },
      { fields: ["integer"] },
      { fields: ["-moment"] },
      { fields: ["moment"] },
    ],
  },
});

let close: () => Promise<void>;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(import.meta.dirname, ".tmp-migrations-"));
  const opened = await openDatabase();
  close = opened.close;
  configureDatabase(opened.db);
  const dirs = { mkfields: join(root, "mkfields") };
  await makeMigrations({ dirs, models: [Owner, Everything], format: "json" });
  await migrate({ migrations: [{ dir: dirs.mkfields }] });
});
afterAll(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

describe("migrated tables hold every field type", () => {
  it("names Meta.indexes apart from automatic indexes and from each other", () => {
    const names = modelStateFromModel(Everything).indexes.map((ix) => ix.name);
    expect(new Set(names).size).toBe(4);
    expect(names[2]).toBe("mkfields_everything_moment_idx");
    expect(names[3]).toMatch(/^mkfields_everything_moment_[0-9a-f]{6}_idx$/);
    // A one-to-one column is unique (its constraint is the index), so its name stays free.
    expect(names[0]).toBe("mkfields_everything_owner_id_idx");
    expect(names[1]).toMatch(/^mkfields_everything_integer_[0-9a-f]{6}_idx$/);
  });

  it("round-trips values through the ORM", async () => {
    const owner = await Owner.objects.create({ name: "ann" });
    const made = await Everything.objects.create({
      uuid: "6f1c2a9e-8f0e-4c1b-9a57-2d2c0e1f3a4b",
      char: "short",
      text: "long text ".repeat(50),
      slug: "a-slug",
      email: "a@example.com",
      url: "https://example.com/",
      integer: -7,
      big: 9_007_199_254_740_991,
      small: 12,
      positive: 3,
      float: 1.5,
      money: "1234567890.12",
      day: "2026-02-28",
      moment: new Date("2026-02-28T12:34:56.789Z"),
      clock: "08:30:00",
      span: 90_061_000,
      data: { a: [1, { b: null }] },
      tags: ["x", "y"],
      picture: "pics/2026/a.png",
      owner,
    });
    const got = await Everything.objects.get({ pk: made.pk });
    expect({ ...got, text: got.text.length }).toMatchObject({
      uuid: "6f1c2a9e-8f0e-4c1b-9a57-2d2c0e1f3a4b",
      char: "short",
      text: 500,
      integer: -7,
      big: 9_007_199_254_740_991,
      positive: 3,
      float: 1.5,
      money: "1234567890.12",
      flag: false,
      day: "2026-02-28",
      moment: new Date("2026-02-28T12:34:56.789Z"),
      span: 90_061_000,
      data: { a: [1, { b: null }] },
      tags: ["x", "y"],
      picture: "pics/2026/a.png",
      owner_id: owner.id,
    });
    expect(got.clock.startsWith("08:30:00")).toBe(true);
    expect(await Everything.objects.filter({ tags__contains: ["y"] }).count()).toBe(1);
  });

  it("enforces the column rules on both databases", async () => {
    const base = {
      text: "",
      slug: "s",
      email: "e@x.io",
      url: "http://x.io",
      integer: 1,
      big: 1,
      small: 1,
      float: 0,
      money: "1.00",
      day: "2026-01-01",
      moment: new Date(),
      clock: "00:00:00",
      span: 0,
    };
    await expect(
      Everything.objects.create({
        ...base,
        uuid: "00000000-0000-4000-8000-000000000001",
        char: "x".repeat(21),
        positive: 1,
      }),
    ).rejects.toThrow();
    await expect(
      Everything.objects.create({
        ...base,
        uuid: "00000000-0000-4000-8000-000000000002",
        char: "ok",
        positive: -1,
      }),
    ).rejects.toThrow();
  });
});
