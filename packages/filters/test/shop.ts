// A small catalogue (the handbook's Product with a category, tags and reviews) for the filter tests.
import {
  BooleanField,
  CASCADE,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  defineModel,
  ForeignKey,
  IntegerField,
  ManyToManyField,
  SlugField,
  TextField,
  TimeField,
  UUIDField,
} from "@x/models";

export const Category = defineModel("shop.Category", {
  fields: {
    name: CharField({ maxLength: 100 }),
    slug: SlugField({ maxLength: 100, unique: true }),
  },
  meta: { dbTable: "filters_category" },
});

export const Tag = defineModel("shop.Tag", {
  fields: { name: CharField({ maxLength: 50 }) },
  meta: { dbTable: "filters_tag" },
});

export const Product = defineModel("shop.Product", {
  fields: {
    name: CharField({ maxLength: 200 }),
    description: TextField({ blank: true, default: "" }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
    stock: IntegerField({ default: 0 }),
    is_featured: BooleanField({ default: false }),
    status: CharField({
      maxLength: 10,
      default: "draft",
      choices: [
        ["draft", "Draft"],
        ["live", "Live"],
        ["retired", "Retired"],
      ],
    }),
    uid: UUIDField({ default: () => crypto.randomUUID() }),
    release_date: DateField({ null: true }),
    opens_at: TimeField({ null: true }),
    created_at: DateTimeField(),
    category: ForeignKey(() => Category, { onDelete: CASCADE, relatedName: "products" }),
    tags: ManyToManyField(() => Tag, { relatedName: "products" }),
  },
  meta: { dbTable: "filters_product" },
});

export const Review = defineModel("shop.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    comment: TextField(),
    rating: IntegerField(),
  },
  meta: { dbTable: "filters_review" },
});

export const models = [Category, Tag, Product, Review];

/** Five products over two categories; names with non-ASCII letters for case-folding tests. */
export async function seed() {
  const lamps = await Category.objects.create({ name: "Lamps", slug: "lamps" });
  const desks = await Category.objects.create({ name: "Écritoires", slug: "desks" });
  const [red, oak] = [await Tag.objects.create({ name: "red" }), await Tag.objects.create({ name: "oak" })];
  const rows = [
    {
      name: "Red Lamp",
      description: "A bright reading lamp",
      price: "12.50",
      stock: 4,
      is_featured: true,
      status: "live",
      release_date: "2024-01-10",
      opens_at: "09:00:00",
      created_at: new Date("2024-01-10T10:00:00Z"),
      category: lamps,
    },
    {
      name: "Blue Lamp",
      description: "Soft light",
      price: "19.99",
      stock: 0,
      is_featured: false,
      status: "live",
      release_date: "2024-02-01",
      opens_at: "10:30:00",
      created_at: new Date("2024-02-01T08:00:00Z"),
      category: lamps,
    },
    {
      name: "ÉCLAT Desk",
      description: "Oak writing desk",
      price: "250.00",
      stock: 2,
      is_featured: true,
      status: "draft",
      release_date: "2024-03-15",
      opens_at: null,
      created_at: new Date("2024-03-15T12:00:00Z"),
      category: desks,
    },
    {
      name: "Small Desk",
      description: "Pine, compact",
      price: "99.90",
      stock: 0,
      is_featured: false,
      status: "retired",
      release_date: null,
      opens_at: "18:45:00",
      created_at: new Date("2024-04-20T16:30:00Z"),
      category: desks,
    },
    {
      name: "Desk Lamp",
      description: "Clamp-on, red shade",
      price: "12.49",
      stock: 10,
      is_featured: false,
      status: "live",
      release_date: "2024-05-05",
      opens_at: "07:15:00",
      created_at: new Date("2024-05-05T23:59:59Z"),
      category: lamps,
    },
  ];
  const products = [];
  for (const row of rows) products.push(await Product.objects.create(row));
  const [redLamp, , eclat, , deskLamp] = products as [
    (typeof products)[0],
    unknown,
    (typeof products)[0],
    unknown,
    (typeof products)[0],
  ];
  await redLamp.related("tags").add(red);
  await eclat.related("tags").add(oak);
  await deskLamp.related("tags").add(red, oak);
  await Review.objects.create({ product: redLamp, comment: "Lovely glow", rating: 5 });
  await Review.objects.create({ product: redLamp, comment: "Glow is too warm", rating: 3 });
  await Review.objects.create({ product: eclat, comment: "Sturdy oak", rating: 4 });
  return { lamps, desks, red, oak, products };
}
