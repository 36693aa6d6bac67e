// What the baseline's handlers need from a database, in wire-ready values
// (decimals as strings, datetimes rendered): one implementation per dialect.
import type { ListQuery } from "./list-query.js";

export interface CategoryRow {
  id: number;
  name: string;
  slug: string;
  description: string;
}

export interface ProductListRow {
  id: number;
  name: string;
  slug: string;
  price: string;
  discount_percentage: number;
  stock: number;
  category: string;
  tags: string[];
}

export interface ReviewRow {
  id: number;
  user: string;
  rating: number;
  comment: string;
  created_at: string;
}

export interface ProductDetailRow {
  id: number;
  name: string;
  slug: string;
  description: string;
  price: string;
  discount_percentage: number;
  stock: number;
  tags: string[];
  metadata: unknown;
  is_featured: boolean;
  category: CategoryRow;
  created_at: string;
  updated_at: string;
}

export interface Store {
  countCategories(): Promise<number>;
  categoryPage(offset: number, limit: number): Promise<CategoryRow[]>;
  countProducts(query: ListQuery): Promise<number>;
  productPage(query: ListQuery, offset: number, limit: number): Promise<ProductListRow[]>;
  /** The live product with its category, and its reviews newest first with their authors. */
  productDetail(id: number): Promise<{ product: ProductDetailRow; reviews: ReviewRow[] } | undefined>;
  /** An active user by id (the JWT's user_id), as simplejwt loads it. */
  activeUser(id: number): Promise<{ id: number; username: string } | undefined>;
  /** The live products among `ids`, with their price in cents. */
  productsForOrder(ids: number[]): Promise<Map<number, OrderProduct>>;
  /** Stock taken line by line, the order and its items inserted, all in one transaction. */
  placeOrder(userId: number, lines: PricedLine[]): Promise<PlacedOrder | { short: ShortLine }>;
  close(): Promise<void>;
}

export interface OrderProduct {
  name: string;
  priceCents: bigint;
  discount_percentage: number;
}
export interface PricedLine {
  product: number;
  quantity: number;
  /** The unit price after the discount. */
  priceCents: bigint;
}
export interface PlacedOrder {
  id: number;
  createdAt: Date;
  itemIds: number[];
}
export interface ShortLine {
  product: number;
  available: number;
  requested: number;
}

/** Thrown inside an order transaction to roll it back when a line asks for more than is left. */
export class NotEnoughStock extends Error {
  constructor(readonly short: ShortLine) {
    super(`not enough stock for product ${short.product}`);
  }
}
