// The baseline: the benchmarked shop-api endpoints written by hand on Hono,
// answering with the same JSON bodies, byte for byte, and the same heads (respond.ts, node-head.ts).
import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { type ListQuery, pageNumber, parseListQuery } from "./list-query.js";
import { createOrder } from "./orders.js";
import { averageRating, pageLink } from "./render.js";
import { ALLOW, type BaselineContext, type Head, respond } from "./respond.js";
import type { Store } from "./store.js";
import { ratesFromEnv, type ThrottleRates, throttles } from "./throttle.js";

const CATEGORY_TTL_MS = 15 * 60 * 1000;

interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** DRF's PageNumberPagination over a count and a page query; undefined is "Invalid page.". */
async function paginate<T>(
  url: URL,
  size: number,
  countRows: () => Promise<number>,
  pageRows: (offset: number, limit: number) => Promise<T[]>,
): Promise<Page<T> | undefined> {
  const total = await countRows();
  const pages = Math.max(1, Math.ceil(total / size));
  const page = pageNumber(url.searchParams.get("page"), pages);
  if (page === undefined) return undefined;
  const results = await pageRows((page - 1) * size, size);
  return {
    count: total,
    next: page < pages ? pageLink(url, page + 1) : null,
    previous: page > 1 ? pageLink(url, page === 2 ? null : page - 1) : null,
    results,
  };
}

const json = (c: BaselineContext, status: number, data: unknown, head: Head) =>
  respond(c, status, JSON.stringify(data), head);
const invalidPage = (c: BaselineContext, head: Head) => json(c, 404, { detail: "Invalid page." }, head);
const notFound = (c: BaselineContext) => json(c, 404, { detail: "Not found." }, { allow: ALLOW.detail });

export interface BaselineOptions {
  /** The shop-api's SECRET_KEY: access tokens it issues authenticate here too. */
  secretKey: string;
  /** The contract's THROTTLE_ANON and THROTTLE_USER; default: from the environment. */
  throttleRates?: ThrottleRates;
}

export function baselineApp(store: Store, options: BaselineOptions): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  // The category list changes only with a deploy, as in the shop-api: cached per URL for 15 minutes.
  const categoryCache = new Map<string, { body: string; expires: number }>();
  // Every read here is anonymous (credentials are only read by order creation): counted by address.
  const throttle = throttles(options.throttleRates ?? ratesFromEnv(process.env));

  app.get("/api/v1/", (c) => {
    const refused = throttle.anonymous(c, ALLOW.readOnly);
    if (refused) return refused;
    const base = `${new URL(c.req.url).origin}/api/v1`;
    return json(
      c,
      200,
      {
        categories: `${base}/categories/`,
        products: `${base}/products/`,
        reviews: `${base}/reviews/`,
        orders: `${base}/orders/`,
        users: `${base}/users/`,
      },
      { allow: ALLOW.readOnly },
    );
  });

  app.get("/api/v1/categories/", async (c) => {
    const refused = throttle.anonymous(c, ALLOW.readOnly);
    if (refused) return refused;
    const cached = categoryCache.get(c.req.url);
    const head = { allow: ALLOW.readOnly, cacheControl: "max-age=900" };
    if (cached && cached.expires > Date.now()) return respond(c, 200, cached.body, head);
    const url = new URL(c.req.url);
    const page = await paginate(
      url,
      20,
      () => store.countCategories(),
      (offset, limit) => store.categoryPage(offset, limit),
    );
    if (!page) return invalidPage(c, head);
    const body = JSON.stringify(page);
    categoryCache.set(c.req.url, { body, expires: Date.now() + CATEGORY_TTL_MS });
    return respond(c, 200, body, head);
  });

  app.get("/api/v1/products/", async (c) => {
    const refused = throttle.anonymous(c, ALLOW.list);
    if (refused) return refused;
    const url = new URL(c.req.url);
    const parsed = parseListQuery(url.searchParams);
    const head = { allow: ALLOW.list, etag: true };
    if ("errors" in parsed) return json(c, 400, parsed.errors, head);
    const query: ListQuery = parsed.query;
    const productUrl = `${url.origin}/api/v1/products/`;
    const page = await paginate(
      url,
      query.pageSize,
      () => store.countProducts(query),
      (offset, limit) => store.productPage(query, offset, limit),
    );
    if (!page) return invalidPage(c, head);
    return json(
      c,
      200,
      {
        ...page,
        results: page.results.map((p) => ({
          id: p.id,
          url: `${productUrl}${p.id}/`,
          name: p.name,
          slug: p.slug,
          price: p.price,
          discount_percentage: p.discount_percentage,
          stock: p.stock,
          is_in_stock: p.stock > 0,
          category: p.category,
          tags: p.tags,
        })),
      },
      head,
    );
  });

  app.get("/api/v1/products/:id{[0-9]+}/", async (c) => {
    const refused = throttle.anonymous(c, ALLOW.detail);
    if (refused) return refused;
    const found = await store.productDetail(Number(c.req.param("id")));
    if (!found) return notFound(c);
    const { product: p, reviews } = found;
    const sum = reviews.reduce((total, r) => total + r.rating, 0);
    return json(
      c,
      200,
      {
        id: p.id,
        url: `${new URL(c.req.url).origin}/api/v1/products/${p.id}/`,
        name: p.name,
        slug: p.slug,
        description: p.description,
        price: p.price,
        discount_percentage: p.discount_percentage,
        stock: p.stock,
        is_in_stock: p.stock > 0,
        tags: p.tags,
        metadata: p.metadata,
        is_featured: p.is_featured,
        category: p.category,
        reviews,
        average_rating: averageRating(sum, reviews.length),
        // Anonymous requests only: favourites need a user.
        is_favorited: false,
        created_at: p.created_at,
        updated_at: p.updated_at,
      },
      { allow: ALLOW.detail, etag: true },
    );
  });

  app.post("/api/v1/orders/", (c) => createOrder(c, store, options.secretKey, throttle));

  return app;
}
