// The product list's query string, parsed once per request into plain data
// both database stores compile: filters, search terms, ordering, page.
import { parseDecimal, searchTerms } from "./render.js";

export type OrderField = "price" | "created_at" | "name" | "stock" | "id";
export interface ListQuery {
  category?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  isFeatured?: boolean;
  name?: string;
  search: string[];
  /** `[field, descending]`, always ending on id so pages are stable. */
  ordering: [OrderField, boolean][];
  page: number;
  pageSize: number;
}

const ORDERING_FIELDS = new Set<OrderField>(["price", "created_at", "name", "stock"]);
export const DEFAULT_ORDERING: [OrderField, boolean][] = [
  ["created_at", true],
  ["id", true],
];

/** No filter, no search, default ordering: the one listing worth a prepared statement. */
export function isDefaultListing(query: ListQuery): boolean {
  return (
    query.ordering === DEFAULT_ORDERING &&
    query.search.length === 0 &&
    query.category === undefined &&
    query.minPrice === undefined &&
    query.maxPrice === undefined &&
    query.inStock === undefined &&
    query.isFeatured === undefined &&
    query.name === undefined
  );
}

function booleanParam(value: string | undefined): boolean | undefined {
  const v = value?.toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return undefined;
}

function ordering(value: string | undefined): [OrderField, boolean][] {
  if (!value) return DEFAULT_ORDERING;
  const fields: [OrderField, boolean][] = [];
  for (const raw of value.split(",")) {
    const term = raw.trim();
    const desc = term.startsWith("-");
    const name = (desc ? term.slice(1) : term) as OrderField;
    if (ORDERING_FIELDS.has(name)) fields.push([name, desc]);
  }
  if (fields.length === 0) return DEFAULT_ORDERING;
  return [...fields, ["id", false]];
}

/** Page number and size as DRF's PageNumberPagination reads them (size 20, at most 100). */
function pageSize(value: string | undefined): number {
  const n = Number.parseInt(value ?? "", 10);
  if (!Number.isFinite(n) || n <= 0 || String(n) !== value?.trim()) return 20;
  return Math.min(n, 100);
}

export type Parsed = { query: ListQuery } | { errors: Record<string, string[]> };

export function parseListQuery(params: URLSearchParams): Parsed {
  const errors: Record<string, string[]> = {};
  const query: ListQuery = {
    search: searchTerms(params.get("search") ?? ""),
    ordering: ordering(params.get("ordering") ?? undefined),
    page: 1,
    pageSize: pageSize(params.get("page_size") ?? undefined),
  };
  const category = params.get("category");
  if (category) query.category = category;
  for (const [param, key] of [
    ["min_price", "minPrice"],
    ["max_price", "maxPrice"],
  ] as const) {
    const value = params.get(param);
    if (!value) continue;
    if (parseDecimal(value)) query[key] = value.trim();
    else errors[param] = ["Enter a number."];
  }
  const inStock = booleanParam(params.get("in_stock") ?? undefined);
  if (inStock !== undefined) query.inStock = inStock;
  const isFeatured = booleanParam(params.get("is_featured") ?? undefined);
  if (isFeatured !== undefined) query.isFeatured = isFeatured;
  const name = params.get("name");
  if (name) query.name = name;
  if (Object.keys(errors).length) return { errors };
  return { query };
}

/** `?page=`: a positive integer or "last"; undefined is DRF's "Invalid page." */
export function pageNumber(value: string | null, pages: number): number | undefined {
  if (value === null || value === "") return 1;
  if (value === "last") return pages;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > pages) return undefined;
  return n;
}
