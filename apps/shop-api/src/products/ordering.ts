import { OrderingFilter } from "@x/filters";
import type { Request, ViewLike } from "@x/views";

/**
 * DRF's OrderingFilter, made deterministic: rows that tie on the client's
 * ordering (`?ordering=stock`) come back by id, on every database, so pages
 * never overlap or skip a row.
 */
export class StableOrderingFilter extends OrderingFilter {
  override getOrdering(request: Request, view: ViewLike): string[] | undefined {
    const requested = super.getOrdering(request, view);
    // One term per column, the first one winning, as Django's SQL compiler does:
    // `?ordering=price,price,...` must not reach the database as thousands of terms.
    const seen = new Set<string>();
    const ordering = requested?.filter((f) => {
      const column = f.replace(/^-/, "");
      if (seen.has(column)) return false;
      seen.add(column);
      return true;
    });
    if (!ordering || ordering.some((f) => f === "id" || f === "-id" || f === "pk" || f === "-pk"))
      return ordering;
    return [...ordering, "id"];
  }
}
