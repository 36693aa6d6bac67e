import {
  ArrayField,
  BooleanField,
  CASCADE,
  CharField,
  DateTimeField,
  DecimalField,
  defineAbstract,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
  JSONField,
  ManyToManyField,
  MaxValueValidator,
  MinValueValidator,
  PositiveSmallIntegerField,
  PROTECT,
  SET_NULL,
  SlugField,
  saveInstance,
  TextField,
} from "@x/models";
import { User } from "../users/models.js";

/** The handbook's TimeStampedModel. */
export const TimeStamped = defineAbstract({
  fields: {
    created_at: DateTimeField({ autoNowAdd: true }),
    updated_at: DateTimeField({ autoNow: true }),
  },
  meta: { ordering: ["-created_at"] },
});

/** The handbook's SoftDeleteModel: delete() only marks the row. */
export const SoftDelete = defineAbstract({
  fields: {
    is_deleted: BooleanField({ default: false }),
    deleted_at: DateTimeField({ null: true, blank: true }),
  },
  methods: {
    async delete(): Promise<void> {
      this.is_deleted = true;
      this.deleted_at = new Date();
      await saveInstance(this, { updateFields: ["is_deleted", "deleted_at", "updated_at"] });
    },
  },
});

export const Category = defineModel("products.Category", {
  fields: {
    name: CharField({ maxLength: 100 }),
    slug: SlugField({ maxLength: 100, unique: true }),
    description: TextField({ blank: true, default: "" }),
  },
  meta: { dbTable: "products_category", ordering: ["name"], verboseNamePlural: "categories" },
  methods: {
    toString(): string {
      return this.name;
    },
  },
});
export type CategoryInstance = InstanceOf<typeof Category>;

export const Product = defineModel("products.Product", {
  extends: [TimeStamped, SoftDelete],
  fields: {
    name: CharField({ maxLength: 200, dbIndex: true }),
    slug: SlugField({ maxLength: 200, unique: true }),
    description: TextField({ blank: true, default: "" }),
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2, validators: [MinValueValidator("0")] }),
    cost: DecimalField({ maxDigits: 10, decimalPlaces: 2, validators: [MinValueValidator("0")] }),
    discount_percentage: IntegerField({
      default: 0,
      validators: [MinValueValidator(0), MaxValueValidator(100)],
    }),
    stock: IntegerField({ default: 0, validators: [MinValueValidator(0)] }),
    tags: ArrayField(CharField({ maxLength: 50 }), { blank: true, default: () => [] }),
    metadata: JSONField({ blank: true, default: () => ({}) }),
    category: ForeignKey(() => Category, { onDelete: PROTECT, relatedName: "products" }),
    is_featured: BooleanField({ default: false }),
    created_by: ForeignKey(() => User, {
      onDelete: SET_NULL,
      null: true,
      blank: true,
      relatedName: "products_created",
    }),
    favorited_by: ManyToManyField(() => User, { blank: true, relatedName: "favorites" }),
  },
  meta: {
    dbTable: "products_product",
    ordering: ["-created_at", "-id"],
    // Every read filters on is_deleted and the default order is newest first: one index serves
    // both (a lone is_deleted index would win the planner's choice and force a sort of every row).
    indexes: [
      { fields: ["is_deleted", "-created_at", "-id"] },
      { fields: ["price"] },
      { fields: ["is_featured"] },
    ],
  },
  managers: {
    // Only live products are visible anywhere in the API.
    active: (qs) => qs.filter({ is_deleted: false }),
  },
  methods: {
    toString(): string {
      return this.name;
    },
    get is_in_stock(): boolean {
      return this.stock > 0;
    },
  },
});
export type ProductInstance = InstanceOf<typeof Product>;

export const Review = defineModel("products.Review", {
  fields: {
    product: ForeignKey(() => Product, { onDelete: CASCADE, relatedName: "reviews" }),
    user: ForeignKey(() => User, { onDelete: CASCADE, relatedName: "reviews" }),
    rating: PositiveSmallIntegerField({ validators: [MinValueValidator(1), MaxValueValidator(5)] }),
    comment: TextField({ blank: true, default: "" }),
    created_at: DateTimeField({ autoNowAdd: true }),
  },
  meta: {
    dbTable: "products_review",
    ordering: ["-created_at", "-id"],
    uniqueTogether: [["product", "user"]],
  },
});
export type ReviewInstance = InstanceOf<typeof Review>;
