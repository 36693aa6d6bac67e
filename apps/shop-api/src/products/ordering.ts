import { OrderingFilter } from "@x/filters";
import type { Request, ViewLike } from "@x/views";

/**
 * DRF's OrderingFilter, made deterministic: rows that tie on the client's
 * ordering (`?ordering=stock`) come back by id, on every database, so pages
 * never overlap or skip a row.
 */
export class StableOrderingFilter extends OrderingFilter {
  override getOrdering(request: Request, view: ViewLike): string[] | undefined {
    const ordering = super.getOrdering(request, view);
    if (!ordering || ordering.some((f) => f === "id" || f === "-id" || f === "pk" || f === "-pk"))
      return ordering;
    return [...ordering, "id"];
  }
}
