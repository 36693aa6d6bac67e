// The baseline's SQLite queries: drizzle prepared statements for the fixed
// queries (default list page and count, detail, categories), the query builder
// for the filtered list. better-sqlite3 is synchronous; the Store is async for PostgreSQL's sake.
import Database from "better-sqlite3";
import { and, asc, count, desc, eq, gt, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { isDefaultListing as isDefault, type ListQuery } from "./list-query.js";
import { boundInCents, centsToDecimal, isoDateTime } from "./render.js";
import { NotEnoughStock, type ProductListRow, type Store } from "./store.js";
import { account, category, order, orderItem, product, review, user } from "./tables-sqlite.js";

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

type RawListRow = Omit<ProductListRow, "price" | "tags"> & { price: number; tags: string };

function listRow(row: RawListRow): ProductListRow {
  return { ...row, price: centsToDecimal(row.price), tags: JSON.parse(row.tags) as string[] };
}

const icontains = (column: SQLiteColumn, term: string): SQL =>
  sql`instr(lower(${column}), ${term.toLowerCase()}) > 0`;

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
  if (query.minPrice !== undefined)
    conditions.push(gte(product.price, Number(boundInCents(query.minPrice, "ceil"))));
  if (query.maxPrice !== undefined)
    conditions.push(lte(product.price, Number(boundInCents(query.maxPrice, "floor"))));
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

export function sqliteStore(file: string): Store {
  const client = new Database(file, { readonly: false });
  client.pragma("journal_mode = WAL");
  const db = drizzle(client);

  const live = eq(product.is_deleted, false);
  const countLive = db.select({ n: count() }).from(product).where(live).prepare();
  const defaultPage = db
    .select(listColumns)
    .from(product)
    .innerJoin(category, eq(category.id, product.category_id))
    .where(live)
    .orderBy(desc(product.created_at), desc(product.id))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare();
  const countCategories = db.select({ n: count() }).from(category).prepare();
  const categoryPage = db
    .select()
    .from(category)
    .orderBy(asc(category.name))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare();
  const detail = db
    .select({ product, category })
    .from(product)
    .innerJoin(category, eq(category.id, product.category_id))
    .where(and(eq(product.id, sql.placeholder("id")), live))
    .prepare();
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
    .prepare();

  const activeUser = db
    .select({ id: account.id, username: account.username })
    .from(account)
    .where(and(eq(account.id, sql.placeholder("id")), eq(account.is_active, true)))
    .prepare();

  return {
    async activeUser(id) {
      return activeUser.get({ id });
    },
    async productsForOrder(ids) {
      const rows = db
        .select({
          id: product.id,
          name: product.name,
          price: product.price,
          discount_percentage: product.discount_percentage,
        })
        .from(product)
        .where(and(inArray(product.id, ids), live))
        .all();
      return new Map(rows.map((r) => [r.id, { ...r, priceCents: BigInt(r.price) }]));
    },
    async placeOrder(userId, lines) {
      try {
        return db.transaction(
          (tx) => {
            for (const line of lines) {
              const taken = tx
                .update(product)
                .set({ stock: sql`${product.stock} - ${line.quantity}` })
                .where(and(eq(product.id, line.product), live, gte(product.stock, line.quantity)))
                .run();
              if (taken.changes === 0) {
                const left = tx
                  .select({ stock: product.stock })
                  .from(product)
                  .where(eq(product.id, line.product))
                  .get();
                throw new NotEnoughStock({
                  product: line.product,
                  available: left?.stock ?? 0,
                  requested: line.quantity,
                });
              }
            }
            const now = new Date();
            const stamp = now.toISOString();
            const created = tx
              .insert(order)
              .values({ created_at: stamp, updated_at: stamp, user_id: userId, status: "pending" })
              .returning({ id: order.id })
              .get();
            const items = tx
              .insert(orderItem)
              .values(
                lines.map((l) => ({
                  order_id: created.id,
                  product_id: l.product,
                  quantity: l.quantity,
                  price: Number(l.priceCents),
                })),
              )
              .returning({ id: orderItem.id })
              .all();
            return { id: created.id, createdAt: now, itemIds: items.map((i) => i.id) };
          },
          { behavior: "immediate" },
        );
      } catch (error) {
        if (error instanceof NotEnoughStock) return { short: error.short };
        throw error;
      }
    },
    async countCategories() {
      return countCategories.get()?.n ?? 0;
    },
    async categoryPage(offset, limit) {
      return categoryPage.all({ offset, limit });
    },
    async countProducts(query) {
      if (isDefault(query)) return countLive.get()?.n ?? 0;
      const filtered = db
        .select({ n: count() })
        .from(product)
        .innerJoin(category, eq(category.id, product.category_id))
        .where(where(query));
      return (await filtered.get())?.n ?? 0;
    },
    async productPage(query, offset, limit) {
      if (isDefault(query)) return defaultPage.all({ offset, limit }).map(listRow);
      const rows = db
        .select(listColumns)
        .from(product)
        .innerJoin(category, eq(category.id, product.category_id))
        .where(where(query))
        .orderBy(...query.ordering.map(([f, d]) => (d ? desc(orderColumns[f]) : asc(orderColumns[f]))))
        .limit(limit)
        .offset(offset)
        .all();
      return rows.map(listRow);
    },
    async productDetail(id) {
      const row = detail.get({ id });
      if (!row) return undefined;
      const p = row.product;
      return {
        product: {
          id: p.id,
          name: p.name,
          slug: p.slug,
          description: p.description,
          price: centsToDecimal(p.price),
          discount_percentage: p.discount_percentage,
          stock: p.stock,
          tags: JSON.parse(p.tags) as string[],
          metadata: JSON.parse(p.metadata) as unknown,
          is_featured: p.is_featured,
          category: row.category,
          created_at: isoDateTime(p.created_at),
          updated_at: isoDateTime(p.updated_at),
        },
        reviews: reviews.all({ id }).map((r) => ({ ...r, created_at: isoDateTime(r.created_at) })),
      };
    },
    async close() {
      client.close();
    },
  };
}
