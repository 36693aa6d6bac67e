// The shop-api migrations' tables as SQLite stores them (decimals as integer cents,
// datetimes as ISO text, arrays and JSON as text): only the columns the baseline reads.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const category = sqliteTable("products_category", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  description: text("description").notNull(),
});

export const product = sqliteTable("products_product", {
  id: integer("id").primaryKey(),
  created_at: text("created_at").notNull(),
  updated_at: text("updated_at").notNull(),
  is_deleted: integer("is_deleted", { mode: "boolean" }).notNull(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  description: text("description").notNull(),
  price: integer("price").notNull(),
  discount_percentage: integer("discount_percentage").notNull(),
  stock: integer("stock").notNull(),
  tags: text("tags").notNull(),
  metadata: text("metadata").notNull(),
  category_id: integer("category_id").notNull(),
  is_featured: integer("is_featured", { mode: "boolean" }).notNull(),
});

export const review = sqliteTable("products_review", {
  id: integer("id").primaryKey(),
  product_id: integer("product_id").notNull(),
  user_id: integer("user_id").notNull(),
  rating: integer("rating").notNull(),
  comment: text("comment").notNull(),
  created_at: text("created_at").notNull(),
});

export const user = sqliteTable("users_user", {
  id: integer("id").primaryKey(),
  username: text("username").notNull(),
});

export const account = sqliteTable("users_user", {
  id: integer("id").primaryKey(),
  username: text("username").notNull(),
  is_active: integer("is_active", { mode: "boolean" }).notNull(),
});

export const order = sqliteTable("orders_order", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  created_at: text("created_at").notNull(),
  updated_at: text("updated_at").notNull(),
  user_id: integer("user_id").notNull(),
  status: text("status").notNull(),
});

export const orderItem = sqliteTable("orders_orderitem", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  order_id: integer("order_id").notNull(),
  product_id: integer("product_id").notNull(),
  quantity: integer("quantity").notNull(),
  price: integer("price").notNull(),
});
