// The baseline's PostgreSQL queries: named prepared statements for the fixed
// queries, the query builder for the filtered list, one pool per process.
import { and, asc, count, desc, eq, gt, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type { PgColumn } from "drizzle-orm/pg-core";
import pg from "pg";
import { isDefaultListing as isDefault, type ListQuery } from "./list-query.js";
import { centsToDecimal, isoDateTime } from "./render.js";
import { NotEnoughStock, type Store } from "./store.js";
import { account, category, order, orderItem, product, review, user } from "./tables-pg.js";

const listColumns = {
  id: product.id,
  name: product.name,
  slug: product.slug,
  price: product.price,
  discount_percentage: product.discount_percentage,
  stock: product.stock,
  category: category.slug,
  tags: product.tags,
};

const icontains = (column: PgColumn, term: string): SQL =>
  sql`strpos(lower(${column}), ${term.toLowerCase()}) > 0`;

const orderColumns = {
  price: product.price,
  created_at: product.created_at,
  name: product.name,
  stock: product.stock,
  id: product.id,
};

function where(query: ListQuery): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(product.is_deleted, false)];
  if (query.category !== undefined) conditions.push(eq(category.slug, query.category));
  if (query.minPrice !== undefined) conditions.push(gte(product.price, query.minPrice));
  if (query.maxPrice !== undefined) conditions.push(lte(product.price, query.maxPrice));
  if (query.inStock !== undefined)
    conditions.push(query.inStock ? gt(product.stock, 0) : eq(product.stock, 0));
  if (query.isFeatured !== undefined) conditions.push(eq(product.is_featured, query.isFeatured));
  if (query.name !== undefined) conditions.push(icontains(product.name, query.name));
  for (const term of query.search)
    conditions.push(
      or(icontains(product.name, term), icontains(product.description, term), icontains(category.name, term)),
    );
  return and(...conditions);
}

export function pgStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = drizzle(pool);

  const live = eq(product.is_deleted, false);
  const countLive = db.select({ n: count() }).from(product).where(live).prepare("count_live");
  const defaultPage = db
    .select(listColumns)
    .from(product)
    .innerJoin(category, eq(category.id, product.category_id))
    .where(live)
    .orderBy(desc(product.created_at), desc(product.id))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare("default_page");
  const countCategories = db.select({ n: count() }).from(category).prepare("count_categories");
  const categoryPage = db
    .select()
    .from(category)
    .orderBy(asc(category.name))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare("category_page");
  const detail = db
    .select({ product, category })
    .from(product)
    .innerJoin(category, eq(category.id, product.category_id))
    .where(and(eq(product.id, sql.placeholder("id")), live))
    .prepare("product_detail");
  const reviews = db
    .select({
      id: review.id,
      user: user.username,
      rating: review.rating,
      comment: review.comment,
      created_at: review.created_at,
    })
    .from(review)
    .innerJoin(user, eq(user.id, review.user_id))
    .where(eq(review.product_id, sql.placeholder("id")))
    .orderBy(desc(review.created_at), desc(review.id))
    .prepare("product_reviews");

  const activeUser = db
    .select({ id: account.id, username: account.username })
    .from(account)
    .where(and(eq(account.id, sql.placeholder("id")), eq(account.is_active, true)))
    .prepare("active_user");

  return {
    async activeUser(id) {
      return (await activeUser.execute({ id }))[0];
    },
    async productsForOrder(ids) {
      const rows = await db
        .select({
          id: product.id,
          name: product.name,
          price: product.price,
          discount_percentage: product.discount_percentage,
        })
        .from(product)
        .where(and(inArray(product.id, ids), live));
      // numeric(10,2) comes back with exactly two places: "292.01" is 29201 cents.
      return new Map(rows.map((r) => [r.id, { ...r, priceCents: BigInt(r.price.replace(".", "")) }]));
    },
    async placeOrder(userId, lines) {
      try {
        return await db.transaction(async (tx) => {
          for (const line of lines) {
            const taken = await tx
              .update(product)
              .set({ stock: sql`${product.stock} - ${line.quantity}` })
              .where(and(eq(product.id, line.product), live, gte(product.stock, line.quantity)))
              .returning({ id: product.id });
            if (taken.length === 0) {
              const [left] = await tx
                .select({ stock: product.stock })
                .from(product)
                .where(eq(product.id, line.product));
              throw new NotEnoughStock({
                product: line.product,
                available: left?.stock ?? 0,
                requested: line.quantity,
              });
            }
          }
          const now = new Date();
          const [created] = await tx
            .insert(order)
            .values({ created_at: now, updated_at: now, user_id: userId, status: "pending" })
            .returning({ id: order.id });
          const orderId = (created as { id: number }).id;
          const items = await tx
            .insert(orderItem)
            .values(
              lines.map((l) => ({
                order_id: orderId,
                product_id: l.product,
                quantity: l.quantity,
                price: centsToDecimal(l.priceCents),
              })),
            )
            .returning({ id: orderItem.id });
          return { id: orderId, createdAt: now, itemIds: items.map((i) => i.id) };
        });
      } catch (error) {
        if (error instanceof NotEnoughStock) return { short: error.short };
        throw error;
      }
    },
    async countCategories() {
      return (await countCategories.execute())[0]?.n ?? 0;
    },
    async categoryPage(offset, limit) {
      return categoryPage.execute({ offset, limit });
    },
    async countProducts(query) {
      if (isDefault(query)) return (await countLive.execute())[0]?.n ?? 0;
      const rows = await db
        .select({ n: count() })
        .from(product)
        .innerJoin(category, eq(category.id, product.category_id))
        .where(where(query));
      return rows[0]?.n ?? 0;
    },
    async productPage(query, offset, limit) {
      if (isDefault(query)) return defaultPage.execute({ offset, limit });
      return db
        .select(listColumns)
        .from(product)
        .innerJoin(category, eq(category.id, product.category_id))
        .where(where(query))
        .orderBy(...query.ordering.map(([f, d]) => (d ? desc(orderColumns[f]) : asc(orderColumns[f]))))
        .limit(limit)
        .offset(offset);
    },
    async productDetail(id) {
      // Both queries at once: they only need the id from the URL.
      const [rows, reviewRows] = await Promise.all([detail.execute({ id }), reviews.execute({ id })]);
      const row = rows[0];
      if (!row) return undefined;
      const p = row.product;
      return {
        product: {
          id: p.id,
          name: p.name,
          slug: p.slug,
          description: p.description,
          price: p.price,
          discount_percentage: p.discount_percentage,
          stock: p.stock,
          tags: p.tags,
          metadata: p.metadata,
          is_featured: p.is_featured,
          category: row.category,
          created_at: isoDateTime(p.created_at),
          updated_at: isoDateTime(p.updated_at),
        },
        reviews: reviewRows.map((r) => ({ ...r, created_at: isoDateTime(r.created_at) })),
      };
    },
    async close() {
      await pool.end();
    },
  };
}
