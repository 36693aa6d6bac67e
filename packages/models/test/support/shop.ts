// The handbook's Part 2 models, in our API (shared by the tests).
import {
  ArrayField,
  BooleanField,
  CASCADE,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  decimal,
  defineAbstract,
  defineModel,
  deleteInstance,
  ForeignKey,
  ImageField,
  IntegerField,
  JSONField,
  ManyToManyField,
  MaxValueValidator,
  MinValueValidator,
  OneToOneField,
  PROTECT,
  SET_NULL,
  SlugField,
  TextChoices,
  TextField,
  ValidationError,
} from "../../src/index.js";

export const TimeStamped = defineAbstract({
  fields: {
    created_at: DateTimeField({ autoNowAdd: true }),
    updated_at: DateTimeField({ autoNow: true }),
  },
  meta: { ordering: ["-created_at"] },
});

export const SoftDelete = defineAbstract({
  fields: {
    is_deleted: BooleanField({ default: false }),
    deleted_at: DateTimeField({ null: true, blank: true }),
  },
  methods: {
    async delete(): Promise<[number, Record<string, number>]> {
      this.is_deleted = true;
      this.deleted_at = new Date();
      await this.save();
      return [0, {}];
    },
    async hardDelete() {
      return deleteInstance(this);
    },
  },
});

export const CategoryChoices = TextChoices({
  ELECTRONICS: ["ELEC", "Electronics"],
  CLOTHING: ["CLTH", "Clothing"],
  BOOKS: ["BOOK", "Books"],
});

export const Category = defineModel("shop.Category", {
  fields: {
    name: CharField({ maxLength: 100, unique: true }),
    parent: ForeignKey("self", { onDelete: CASCADE, null: true, blank: true, relatedName: "children" }),
  },
  meta: { ordering: ["name"], verboseNamePlural: "categories" },
  methods: {
    toString(): string {
      return this.name;
    },
  },
});

export const Product = defineModel("shop.Product", {
  extends: [TimeStamped, SoftDelete],
  fields: {
    name: CharField({ maxLength: 200, dbIndex: true, helpText: "Product name" }),
    slug: SlugField({ unique: true, maxLength: 200 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2, validators: [MinValueValidator("0")] }),
    cost: DecimalField({ maxDigits: 10, decimalPlaces: 2, default: "0.00" }),
    stock: IntegerField({ default: 0 }),
    discount_percentage: IntegerField({
      default: 0,
      validators: [MinValueValidator(0), MaxValueValidator(100)],
    }),
    tags: ArrayField(CharField({ maxLength: 50 }), { blank: true, default: () => [] as string[] }),
    metadata: JSONField({ default: () => ({}), blank: true }),
    image: ImageField({ uploadTo: "products/%Y/%m/%d/", blank: true }),
    kind: CharField({ maxLength: 4, choices: CategoryChoices.choices, default: CategoryChoices.ELECTRONICS }),
    category: ForeignKey(() => Category, { onDelete: PROTECT, null: true, relatedName: "products" }),
    description: TextField({ blank: true }),
  },
  meta: {
    dbTable: "products",
    indexes: [{ fields: ["name"] }, { fields: ["-created_at"] }],
  },
  managers: {
    active: (qs) => qs.filter({ is_deleted: false }),
  },
  querySet: {
    inStock() {
      return this.filter({ stock__gt: 0 });
    },
  },
  methods: {
    toString(): string {
      return this.name;
    },
    get is_in_stock(): boolean {
      return this.stock > 0;
    },
    clean(): void {
      if (decimal.lt(this.price, this.cost)) {
        throw new ValidationError({ price: "Price cannot be less than cost" });
      }
    },
  },
});

export const Customer = defineModel("shop.Customer", {
  fields: {
    username: CharField({ maxLength: 150, unique: true }),
    email: CharField({ maxLength: 254, blank: true }),
  },
  methods: {
    toString(): string {
      return this.username;
    },
  },
});

export const Profile = defineModel("shop.Profile", {
  fields: {
    user: OneToOneField(() => Customer, { onDelete: CASCADE, relatedName: "profile" }),
    bio: TextField({ blank: true }),
  },
});

export const OrderStatus = TextChoices({
  PENDING: ["pending", "Pending"],
  PROCESSING: ["processing", "Processing"],
  COMPLETED: ["completed", "Completed"],
  CANCELLED: ["cancelled", "Cancelled"],
});

export const Order = defineModel("shop.Order", {
  extends: [TimeStamped],
  fields: {
    user: ForeignKey(() => Customer, { onDelete: CASCADE, relatedName: "orders" }),
    status: CharField({ maxLength: 20, choices: OrderStatus.choices, default: OrderStatus.PENDING }),
    discount: IntegerField({ default: 0 }),
  },
  methods: {
    async cancel() {
      if (this.status === "pending" || this.status === "processing") {
        this.status = "cancelled";
        await this.save();
      } else {
        throw new Error("Cannot cancel completed orders");
      }
    },
  },
});

export const OrderItem = defineModel("shop.OrderItem", {
  fields: {
    order: ForeignKey(() => Order, { onDelete: CASCADE, relatedName: "items" }),
    product: ForeignKey(() => Product, { onDelete: PROTECT, relatedName: "order_items" }),
    quantity: IntegerField({ default: 1 }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  },
  methods: {
    get subtotal(): string {
      return decimal.mul(this.price, this.quantity, 2);
    },
  },
});

export const Author = defineModel("library.Author", {
  fields: { name: CharField({ maxLength: 100 }) },
  meta: { ordering: ["name"] },
});

export const Book = defineModel("library.Book", {
  fields: {
    title: CharField({ maxLength: 200 }),
    author: ForeignKey(() => Author, { onDelete: CASCADE, relatedName: "books" }),
    sales: IntegerField({ default: 0 }),
    published: DateField({ null: true }),
    editor: ForeignKey(() => Author, { onDelete: SET_NULL, null: true, relatedName: "edited_books" }),
  },
  meta: { ordering: ["title"] },
});

export const Student = defineModel("school.Student", {
  fields: {
    name: CharField({ maxLength: 100 }),
    courses: ManyToManyField(() => Course, { through: "school.Enrollment", relatedName: "students" }),
    clubs: ManyToManyField(() => Club, { relatedName: "members", blank: true }),
  },
});

export const Course = defineModel("school.Course", {
  fields: { name: CharField({ maxLength: 100 }) },
});

export const Club = defineModel("school.Club", {
  fields: { name: CharField({ maxLength: 100 }) },
  meta: { ordering: ["name"] },
});

export const Enrollment = defineModel("school.Enrollment", {
  fields: {
    student: ForeignKey(() => Student, { onDelete: CASCADE }),
    course: ForeignKey(() => Course, { onDelete: CASCADE }),
    enrolled_date: DateField({ autoNowAdd: true }),
    grade: CharField({ maxLength: 2, blank: true }),
  },
  meta: { uniqueTogether: [["student", "course"]] },
});

export const allModels = [
  Category,
  Product,
  Customer,
  Profile,
  Order,
  OrderItem,
  Author,
  Book,
  Student,
  Course,
  Club,
  Enrollment,
];
