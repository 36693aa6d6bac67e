// The shop-api migrations' tables as PostgreSQL stores them: only the columns the baseline reads.
import { boolean, integer, jsonb, numeric, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";

export const category = pgTable("products_category", {
  id: integer("id").primaryKey(),
  name: varchar("name", { length: 100 }).notNull(),
  slug: varchar("slug", { length: 100 }).notNull(),
  description: text("description").notNull(),
});

export const product = pgTable("products_product", {
  id: integer("id").primaryKey(),
  created_at: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  updated_at: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  is_deleted: boolean("is_deleted").notNull(),
  name: varchar("name", { length: 200 }).notNull(),
  slug: varchar("slug", { length: 200 }).notNull(),
  description: text("description").notNull(),
  price: numeric("price", { precision: 10, scale: 2 }).notNull(),
  discount_percentage: integer("discount_percentage").notNull(),
  stock: integer("stock").notNull(),
  tags: varchar("tags", { length: 50 }).array().notNull(),
  metadata: jsonb("metadata").notNull(),
  category_id: integer("category_id").notNull(),
  is_featured: boolean("is_featured").notNull(),
});

export const review = pgTable("products_review", {
  id: integer("id").primaryKey(),
  product_id: integer("product_id").notNull(),
  user_id: integer("user_id").notNull(),
  rating: integer("rating").notNull(),
  comment: text("comment").notNull(),
  created_at: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const user = pgTable("users_user", {
  id: integer("id").primaryKey(),
  username: varchar("username", { length: 150 }).notNull(),
});

export const account = pgTable("users_user", {
  id: integer("id").primaryKey(),
  username: varchar("username", { length: 150 }).notNull(),
  is_active: boolean("is_active").notNull(),
});

export const order = pgTable("orders_order", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  created_at: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  updated_at: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  user_id: integer("user_id").notNull(),
  status: varchar("status", { length: 20 }).notNull(),
});

export const orderItem = pgTable("orders_orderitem", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  order_id: integer("order_id").notNull(),
  product_id: integer("product_id").notNull(),
  quantity: integer("quantity").notNull(),
  price: numeric("price", { precision: 10, scale: 2 }).notNull(),
});
