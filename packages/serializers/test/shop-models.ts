// Test models shaped like the handbook's / the shop contract's.
import * as m from "@x/models";

export const User = m.defineModel("tests.User", {
  fields: {
    username: m.CharField({ maxLength: 150, unique: true }),
    email: m.EmailField({ blank: true }),
    first_name: m.CharField({ maxLength: 150, blank: true }),
    last_name: m.CharField({ maxLength: 150, blank: true }),
  },
  methods: {
    toString() {
      return this.username;
    },
    get_full_name() {
      return `${this.first_name} ${this.last_name}`.trim();
    },
  },
});

export const Profile = m.defineModel("tests.Profile", {
  fields: {
    user: m.OneToOneField(() => User, { onDelete: m.CASCADE, relatedName: "profile" }),
    bio: m.TextField({ blank: true }),
  },
});

export const Category = m.defineModel("tests.Category", {
  fields: {
    name: m.CharField({ maxLength: 100 }),
    slug: m.SlugField({ unique: true }),
    description: m.TextField({ blank: true }),
  },
  methods: {
    toString() {
      return this.name;
    },
  },
});

export const Product = m.defineModel("tests.Product", {
  fields: {
    name: m.CharField({ maxLength: 200 }),
    slug: m.SlugField({ unique: true, maxLength: 200 }),
    description: m.TextField({ blank: true }),
    price: m.DecimalField({ maxDigits: 10, decimalPlaces: 2, validators: [m.MinValueValidator("0")] }),
    cost: m.DecimalField({ maxDigits: 10, decimalPlaces: 2, default: "0.00" }),
    stock: m.IntegerField({ default: 0 }),
    discount_percentage: m.IntegerField({
      default: 0,
      validators: [m.MinValueValidator(0), m.MaxValueValidator(100)],
    }),
    status: m.CharField({
      maxLength: 10,
      choices: [
        ["draft", "Draft"],
        ["live", "Live"],
      ],
      default: "draft",
    }),
    tags: m.ArrayField(m.CharField({ maxLength: 50 }), { default: () => [], blank: true }),
    metadata: m.JSONField({ default: () => ({}), blank: true }),
    image: m.ImageField({ uploadTo: "products/", blank: true }),
    category: m.ForeignKey(() => Category, { onDelete: m.PROTECT, relatedName: "products", null: true }),
    created_at: m.DateTimeField({ autoNowAdd: true }),
  },
  meta: { ordering: ["id"] },
  methods: {
    toString(): string {
      return this.name;
    },
    get is_in_stock(): boolean {
      return this.stock > 0;
    },
  },
});

export const Review = m.defineModel("tests.Review", {
  fields: {
    product: m.ForeignKey(() => Product, { onDelete: m.CASCADE, relatedName: "reviews" }),
    user: m.ForeignKey(() => User, { onDelete: m.CASCADE, relatedName: "reviews" }),
    rating: m.PositiveSmallIntegerField({}),
    comment: m.TextField({ blank: true }),
  },
  meta: { uniqueTogether: [["user", "product"]], ordering: ["id"] },
});

export const Order = m.defineModel("tests.Order", {
  fields: {
    user: m.ForeignKey(() => User, { onDelete: m.CASCADE, relatedName: "orders" }),
    status: m.CharField({
      maxLength: 20,
      choices: [
        ["pending", "Pending"],
        ["completed", "Completed"],
      ],
      default: "pending",
    }),
  },
  meta: { ordering: ["id"] },
});

export const OrderItem = m.defineModel("tests.OrderItem", {
  fields: {
    order: m.ForeignKey(() => Order, { onDelete: m.CASCADE, relatedName: "items" }),
    product: m.ForeignKey(() => Product, { onDelete: m.PROTECT }),
    quantity: m.PositiveIntegerField({}),
    price: m.DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  },
  meta: { ordering: ["id"] },
});

export const Tag = m.defineModel("tests.Tag", {
  fields: { name: m.CharField({ maxLength: 30 }) },
});

export const Article = m.defineModel("tests.Article", {
  fields: {
    title: m.CharField({ maxLength: 100 }),
    tags: m.ManyToManyField(() => Tag, { relatedName: "articles" }),
  },
});

export const allModels = [User, Profile, Category, Product, Review, Order, OrderItem, Tag, Article];
