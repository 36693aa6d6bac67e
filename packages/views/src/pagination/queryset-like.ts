/** What pagination needs from a QuerySet (an @x/models QuerySet satisfies it). */
export interface SliceableQuerySet<T> extends PromiseLike<T[]> {
  count(): Promise<number>;
  slice(start: number, end?: number): PromiseLike<T[]>;
}

export type Paginatable<T> = PromiseLike<T[]> | T[];

export function isSliceable<T>(queryset: Paginatable<T>): queryset is SliceableQuerySet<T> {
  return (
    !Array.isArray(queryset) &&
    typeof Reflect.get(queryset, "count") === "function" &&
    typeof Reflect.get(queryset, "slice") === "function"
  );
}

/** A page of rows and, when it can be told from the page alone, the total (no COUNT query). */
export async function fetchWindow<T>(
  queryset: Paginatable<T>,
  offset: number,
  limit: number,
): Promise<{ rows: T[]; count: () => Promise<number> }> {
  if (isSliceable(queryset)) {
    const rows = await queryset.slice(offset, offset + limit);
    // A short, non-empty page (or an empty first page) is the last one: its end is the total.
    const known = (rows.length > 0 && rows.length < limit) || (rows.length === 0 && offset === 0);
    return { rows, count: known ? async () => offset + rows.length : () => queryset.count() };
  }
  const all = Array.isArray(queryset) ? queryset : await queryset;
  return { rows: all.slice(offset, offset + limit), count: async () => all.length };
}

/** The total row count (one COUNT query for a QuerySet). */
export async function countOf<T>(queryset: Paginatable<T>): Promise<number> {
  if (isSliceable(queryset)) return queryset.count();
  return (Array.isArray(queryset) ? queryset : await queryset).length;
}
