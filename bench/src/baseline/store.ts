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
  close(): Promise<void>;
}
