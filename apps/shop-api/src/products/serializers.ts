// Wire shapes of the products module (CONTRACT.md "Products", "Reviews").
import { decimal } from "@x/models";
import {
  CharField,
  DecimalField,
  DictField,
  HyperlinkedIdentityField,
  IntegerField,
  ListField,
  ModelSerializer,
  ReadOnlyField,
  Serializer,
  SerializerMethodField,
  SlugRelatedField,
  ValidationError,
} from "@x/serializers";
import * as v from "valibot";
import { Category, Product, type ProductInstance, Review } from "./models.js";

export class CategorySerializer extends ModelSerializer.of({
  model: Category,
  fields: ["id", "name", "slug", "description"],
}) {}

export class ReviewSerializer extends ModelSerializer.of(
  {
    model: Review,
    fields: ["id", "user", "rating", "comment", "created_at"],
    readOnlyFields: ["created_at"],
  },
  {
    user: new SlugRelatedField({ slugField: "username", readOnly: true }),
    rating: new IntegerField({ minValue: 1, maxValue: 5 }),
  },
) {}

/** List item (`ProductList`). */
export class ProductListSerializer extends ModelSerializer.of(
  {
    model: Product,
    fields: [
      "id",
      "url",
      "name",
      "slug",
      "price",
      "discount_percentage",
      "stock",
      "is_in_stock",
      "category",
      "tags",
    ],
  },
  {
    url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
    is_in_stock: new ReadOnlyField({ output: v.boolean(), requires: ["stock"] }),
    category: new SlugRelatedField({ slugField: "slug", readOnly: true }),
  },
) {}

/** `/api/v2/` list items add the rating summary (annotated by the view, never per row). */
export class ProductListV2Serializer extends ModelSerializer.of(
  {
    model: Product,
    fields: [
      "id",
      "url",
      "name",
      "slug",
      "price",
      "discount_percentage",
      "stock",
      "is_in_stock",
      "category",
      "tags",
      "average_rating",
      "review_count",
    ],
  },
  {
    url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
    is_in_stock: new ReadOnlyField({ output: v.boolean(), requires: ["stock"] }),
    category: new SlugRelatedField({ slugField: "slug", readOnly: true }),
    // reads the view's annotations only (no column): queryPlan().only stays narrow
    average_rating: new SerializerMethodField(v.nullable(v.number()), { requires: [] }),
    review_count: new ReadOnlyField({ output: v.pipe(v.number(), v.integer()) }),
  },
) {
  get_average_rating(
    product: ProductInstance & { rating_sum?: unknown; review_count?: unknown },
  ): number | null {
    const count = Number(product.review_count ?? 0);
    if (!count) return null;
    return averageRating(String(product.rating_sum), count);
  }
}

/**
 * The mean rating rounded half-to-even to 2 places, computed exactly from the
 * sum and the count (a database AVG may come back as a float), as a JSON number.
 */
export function averageRating(sum: string, count: number): number | null {
  if (count === 0) return null;
  return Number(decimal.div(sum, count, 2, "ROUND_HALF_EVEN"));
}

function reviewsOf(product: ProductInstance) {
  return product.related<typeof Review>("reviews").all();
}

function meanRating(reviews: readonly { rating: number }[]): number | null {
  const sum = reviews.reduce((total, r) => total + r.rating, 0);
  return averageRating(String(sum), reviews.length);
}

/** Detail (`ProductDetail`). */
export class ProductDetailSerializer extends ModelSerializer.of(
  {
    model: Product,
    fields: [
      "id",
      "url",
      "name",
      "slug",
      "description",
      "price",
      "discount_percentage",
      "stock",
      "is_in_stock",
      "tags",
      "metadata",
      "is_featured",
      "category",
      "reviews",
      "average_rating",
      "is_favorited",
      "created_at",
      "updated_at",
    ],
  },
  {
    url: new HyperlinkedIdentityField({ viewName: "product-detail" }),
    is_in_stock: new ReadOnlyField({ output: v.boolean(), requires: ["stock"] }),
    category: new CategorySerializer({ readOnly: true }),
    reviews: new ReviewSerializer({ many: true, readOnly: true }),
    // the prefetched reviews and the view's `favorited` flag: no column of the product itself
    average_rating: new SerializerMethodField(v.nullable(v.number()), {
      reads: { prefetch: ["reviews"] },
      requires: [],
    }),
    is_favorited: new SerializerMethodField(v.boolean(), { requires: [] }),
  },
) {
  get_average_rating(product: ProductInstance): number | null | Promise<number | null> {
    // Prefetched with the product (queryPlan reads "reviews"): read in place, no query and no
    // promise; a product loaded without the prefetch reads its reviews.
    const reviews = reviewsOf(product);
    const ratings = reviews.prefetched();
    return ratings ? meanRating(ratings) : reviews.then(meanRating);
  }

  get_is_favorited(product: ProductInstance & { favorited?: boolean }): boolean {
    return product.favorited === true;
  }
}

const PRICE_LIMIT = "1000000";

/** The answer of `favorite` / `unfavorite`. */
export class FavoriteStatusSerializer extends Serializer.of({
  status: new CharField({ readOnly: true }),
}) {}

/** Write shape (`ProductWrite`), also the body of create/update responses. */
export class ProductWriteSerializer extends ModelSerializer.of(
  {
    model: Product,
    fields: [
      "id",
      "name",
      "slug",
      "description",
      "price",
      "cost",
      "discount_percentage",
      "stock",
      "tags",
      "metadata",
      "is_featured",
      "category",
    ],
  },
  {
    price: new DecimalField({ maxDigits: 10, decimalPlaces: 2, minValue: "0" }),
    cost: new DecimalField({ maxDigits: 10, decimalPlaces: 2, minValue: "0" }),
    discount_percentage: new IntegerField({ minValue: 0, maxValue: 100, required: false }),
    // Bounded by the integer column, as a ModelSerializer derives it: no overflow 500 on PostgreSQL.
    stock: new IntegerField({ minValue: 0, maxValue: 2147483647, required: false }),
    tags: new ListField({ child: new CharField({ maxLength: 50 }), required: false }),
    metadata: new DictField({ required: false }),
    category: new SlugRelatedField({ slugField: "slug", queryset: Category.objects.all() }),
  },
) {
  validate_price(value: string): string {
    if (decimal.gt(value, PRICE_LIMIT)) throw new ValidationError("Price too high");
    return value;
  }

  async validate_name(value: string): Promise<string> {
    let others = Product.active.filter({ name__iexact: value });
    const instance = this.instance as ProductInstance | undefined;
    if (instance) others = others.exclude({ pk: instance.pk });
    if (await others.exists()) throw new ValidationError("Product with this name already exists");
    return value;
  }

  override validate(attrs: this["validatedData"]) {
    // A partial update is checked against the stored values.
    const instance = this.instance as ProductInstance | undefined;
    const price = attrs.price ?? instance?.price;
    const cost = attrs.cost ?? instance?.cost;
    if (price !== undefined && cost !== undefined && decimal.lt(price, cost)) {
      throw new ValidationError({ price: ["Price cannot be less than cost"] });
    }
    return attrs;
  }
}
