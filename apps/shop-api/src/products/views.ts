// Products, categories and reviews (CONTRACT.md). Every list and detail runs a
// constant number of queries: relations are joined or prefetched, rating
// summaries are annotated, never fetched per row.
import { DjangoModelPermissionsOrAnonReadOnly, IsAuthenticated, IsAuthenticatedOrReadOnly } from "@x/auth";
import { DjangoFilterBackend, SearchFilter } from "@x/filters";
import { Count, IntegrityError, Prefetch, Sum } from "@x/models";
import {
  type ActionsOf,
  AllowAny,
  cacheActions,
  conditionalActions,
  DestroyModelMixin,
  GenericViewSet,
  ListModelMixin,
  ModelViewSet,
  ReadOnlyModelViewSet,
  type Request,
  Response,
  RetrieveModelMixin,
  UpdateModelMixin,
  withMixins,
} from "@x/views";
import { BadRequest } from "../errors.js";
import { currentUser } from "../users/current.js";
import { User } from "../users/models.js";
import { ProductFilter } from "./filters.js";
import {
  Category,
  type CategoryInstance,
  Product,
  type ProductInstance,
  Review,
  type ReviewInstance,
} from "./models.js";
import { StableOrderingFilter } from "./ordering.js";
import { IsAuthorOrStaffOrReadOnly } from "./permissions.js";
import {
  CategorySerializer,
  FavoriteStatusSerializer,
  ProductDetailSerializer,
  ProductListSerializer,
  ProductListV2Serializer,
  ProductWriteSerializer,
  ReviewSerializer,
} from "./serializers.js";

class AlreadyReviewed extends BadRequest {
  static override defaultDetail = "You have already reviewed this product.";
  static override defaultCode = "already_reviewed";
}

/**
 * The querysets of the product pages, built once on first use: a QuerySet is immutable (every
 * method returns a new one) and keeps no rows, so one built per request would only repeat work.
 */
let listings: { v1: ReturnType<typeof listingV1>; v2: ReturnType<typeof listingV2> } | undefined;

function listingV1() {
  return Product.active.selectRelated("category").orderBy("-created_at", "-id");
}

function listingV2() {
  return listingV1().annotate({ rating_sum: Sum("reviews__rating"), review_count: Count("reviews") });
}

/** The list serializer for the request's API version, and the queryset it needs. */
export function productListing(request: Request) {
  listings ??= { v1: listingV1(), v2: listingV2() };
  if (request.version === "v2") return { serializer: ProductListV2Serializer, queryset: listings.v2 };
  return { serializer: ProductListSerializer, queryset: listings.v1 };
}

/**
 * The detail's queryset: the category joined, and the reviews with the columns ReviewSerializer
 * renders (its query plan) and the key back to the product, with the author's username only (not
 * the whole user row: no password hash read for a public page). Built on the first detail.
 */
let detailQueryset: ReturnType<typeof buildDetailQueryset> | undefined;
function buildDetailQueryset() {
  const plan = ReviewSerializer.queryPlan();
  const reviews = Review.objects.selectRelated(...plan.selectRelated).only(...(plan.only ?? []), "product");
  // reviews with their authors in one query (a JOIN), not two: the same two queries a hand-written detail runs
  return Product.active.selectRelated("category").prefetchRelated(Prefetch("reviews", { queryset: reviews }));
}

export class ProductViewSet extends ModelViewSet<ProductInstance> {
  static override queryset = Product.active.all();
  static override serializerClass = ProductWriteSerializer;
  static override filterBackends = [DjangoFilterBackend, SearchFilter, StableOrderingFilter];
  static filtersetClass = ProductFilter;
  static searchFields = ["name", "description", "category__name"];
  static orderingFields = ["price", "created_at", "name", "stock"];
  static ordering = ["-created_at", "-id"];

  static override actions: ActionsOf<ProductViewSet> = {
    featured: { detail: false, methods: ["get"] },
    reviews: {
      detail: true,
      methods: ["get"],
      schema: { responses: { 200: { type: "array", items: ReviewSerializer } } },
    },
    addReview: {
      detail: true,
      methods: ["post"],
      urlPath: "add-review",
      urlName: "add-review",
      schema: { request: ReviewSerializer, responses: { 201: ReviewSerializer } },
    },
    favorite: { detail: true, methods: ["post"], schema: { responses: { 200: FavoriteStatusSerializer } } },
    unfavorite: {
      detail: true,
      methods: ["post"],
      schema: { responses: { 200: FavoriteStatusSerializer } },
    },
  };

  override getPermissions() {
    // Reading is open; writes need the model permission (per HTTP method, so
    // OPTIONS shows POST/PUT only to users who may use them), except the
    // customer actions, which need a login.
    switch (this.action) {
      case "addReview":
      case "favorite":
      case "unfavorite":
        return [new IsAuthenticated()];
      default:
        return [new DjangoModelPermissionsOrAnonReadOnly()];
    }
  }

  override getQueryset() {
    if (this.action === "list" || this.action === "featured") return productListing(this.request).queryset;
    if (this.action === "retrieve") {
      detailQueryset ??= buildDetailQueryset();
      return detailQueryset;
    }
    return Product.active.all();
  }

  override getSerializerClass() {
    if (this.action === "list" || this.action === "featured") return productListing(this.request).serializer;
    if (this.action === "retrieve") return ProductDetailSerializer;
    return ProductWriteSerializer;
  }

  override async retrieve(request: Request) {
    const product = (await this.getObject()) as ProductInstance & { favorited?: boolean };
    product.favorited =
      request.user.isAuthenticated &&
      (await Product.objects.filter({ pk: product.pk, favorited_by: currentUser(request).pk }).exists());
    return new Response(await this.getSerializer({ instance: product }).data);
  }

  override async performCreate(serializer: { save(extra?: Record<string, unknown>): Promise<unknown> }) {
    await serializer.save({ created_by: this.request.user });
  }

  async featured(_request: Request) {
    const rows = await this.getQueryset().filter({ is_featured: true });
    return new Response(await this.getSerializer({ instance: rows, many: true }).data);
  }

  async reviews(_request: Request) {
    const product = await this.getObject();
    const rows = await Review.objects
      .filter({ product: product.pk })
      .selectRelated("user")
      .orderBy("-created_at", "-id");
    return new Response(await new ReviewSerializer({ instance: rows, many: true }).data);
  }

  async addReview(request: Request) {
    const product = await this.getObject();
    if (await Review.objects.filter({ product: product.pk, user: currentUser(request).pk }).exists()) {
      throw new AlreadyReviewed();
    }
    const serializer = new ReviewSerializer({
      data: await request.data,
      context: this.getSerializerContext(),
    });
    await serializer.isValid({ raiseException: true });
    try {
      await serializer.save({ product, user: request.user });
    } catch (err) {
      // a parallel request stored the same review first (the unique index decided the race)
      const mine = { product: product.pk, user: currentUser(request).pk };
      if (err instanceof IntegrityError && (await Review.objects.filter(mine).exists()))
        throw new AlreadyReviewed();
      throw err;
    }
    return new Response(await serializer.data, { status: 201 });
  }

  async favorite(request: Request) {
    const product = await this.getObject();
    await product.related("favorited_by").add(currentUser(request).pk);
    return new Response({ status: "product favorited" });
  }

  async unfavorite(request: Request) {
    const product = await this.getObject();
    await product.related("favorited_by").remove(currentUser(request).pk);
    return new Response({ status: "product unfavorited" });
  }
}

// Every product list and detail carries a strong ETag of its body and answers a
// matching If-None-Match with 304, cached or not (SHOP_CACHE_PRODUCTS=0 changes no header).
conditionalActions(ProductViewSet, { list: {}, retrieve: {}, featured: {} });

/**
 * ProductViewSet with the anonymous list, featured list and detail served from
 * the shared cache. Each page is keyed by the generations of the models its
 * body shows (category slugs and names, v2 rating summaries, reviewers'
 * usernames), so any committed write to them — in any process — retires it;
 * order placement and cancellation, which move stock with QuerySet.update(),
 * bump Product themselves (orders/services.ts). Authenticated requests are
 * not cached (`is_favorited` is per user).
 */
export class CachedProductViewSet extends ProductViewSet {}
// The same view to clients: the browsable API and OPTIONS name a view after its class.
Object.defineProperty(CachedProductViewSet, "name", { value: ProductViewSet.name });

const PRODUCT_PAGE_TTL = 10 * 60;
const listing = { ttl: PRODUCT_PAGE_TTL, dependsOn: [Product, Category, Review], etag: true };
cacheActions(CachedProductViewSet, {
  list: listing,
  featured: listing,
  retrieve: { ttl: PRODUCT_PAGE_TTL, dependsOn: [Product, Category, Review, User], etag: true },
});

export class CategoryViewSet extends ReadOnlyModelViewSet<CategoryInstance> {
  static override queryset = Category.objects.orderBy("name");
  static override serializerClass = CategorySerializer;
  static override lookupField = "slug";
  // Django's slug converter: anything else (NUL bytes, dots, spaces) never reaches the database.
  static override lookupValueRegex = "[-a-zA-Z0-9_]+";
  static override actions: ActionsOf<CategoryViewSet> = {
    products: {
      detail: true,
      methods: ["get"],
      // a page of list items of the version's shape: documented from getSerializerClass()
      schema: { paginated: true },
    },
  };

  override getSerializerClass() {
    if (this.action === "products") return productListing(this.request).serializer;
    return CategorySerializer;
  }

  override getPermissions() {
    return [new AllowAny()];
  }

  /** `/categories/{slug}/products/`: the category's live products as list items, paginated. */
  async products(request: Request) {
    const category = await this.getObject();
    const { queryset, serializer } = productListing(request);
    const page = (await this.paginateQueryset(
      queryset.filter({ category: category.pk }),
    )) as ProductInstance[];
    const data = await serializer.many({ instance: page, context: this.getSerializerContext() }).data;
    return this.getPaginatedResponse(data);
  }
}

// The category list changes only with a deploy or a fixture load: cached for 15 minutes
// (served from the shared cache, so every process behind a load balancer benefits).
cacheActions(CategoryViewSet, { list: { ttl: 15 * 60, tags: ["categories"], keyPrefix: "categories:" } });

/** Reviews are read by anyone and changed by their author or staff; created through `add-review`. */
export class ReviewViewSet extends withMixins(
  GenericViewSet<ReviewInstance>,
  ListModelMixin,
  RetrieveModelMixin,
  UpdateModelMixin,
  DestroyModelMixin,
) {
  static override queryset = Review.objects.selectRelated("user").orderBy("-created_at", "-id");
  static override serializerClass = ReviewSerializer;

  override getPermissions() {
    // Anonymous writers get 401 before anything else (DRF's order), authors and staff may change.
    return [new IsAuthenticatedOrReadOnly(), new IsAuthorOrStaffOrReadOnly()];
  }
}
