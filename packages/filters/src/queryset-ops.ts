// The one place a generic QuerySet (the `Q` of @x/views' `filterQueryset<Q>`) is used through the
// structural QuerySetLike: backends receive an unconstrained type parameter, so these functions take
// `QS` and give back the same `QS` (every QuerySet method returns a QuerySet of its own type).
import { Q } from "@x/models";
import { type Condition, NOTHING_LOOKUPS } from "./condition.js";

type QObject = ReturnType<typeof Q>;

interface Operable<QS> {
  filter(condition: object): QS;
  exclude(condition: object): QS;
  orderBy(...fields: string[]): QS;
  distinct(): QS;
  values(...fields: string[]): unknown;
  annotate(annotations: Record<string, unknown>): QS;
}

function operable<QS>(queryset: QS): Operable<QS> {
  // biome-ignore lint/suspicious/noExplicitAny: QS is an unconstrained QuerySet type parameter (see above).
  return queryset as any;
}

/** The @x/models Q of a condition. */
export function toQ(condition: Condition): QObject {
  switch (condition.kind) {
    case "lookups":
      return Q(condition.lookups);
    case "or":
      return condition.parts.map(toQ).reduce((left, right) => left.or(right));
    case "and":
      return condition.parts.map(toQ).reduce((left, right) => left.and(right));
    case "not":
      return toQ(condition.part).not();
  }
}

/**
 * `filter()` (or `exclude()`) by a condition. A top-level AND is applied as chained filter() calls, which
 * is what "conjoined" means across to-many relations (each value may match a different related row).
 */
export function applyCondition<QS>(queryset: QS, condition: Condition, exclude = false, chainAnd = true): QS {
  // excluding "every row" (an empty condition) keeps nothing
  if (exclude && condition.kind === "lookups" && Object.keys(condition.lookups).length === 0)
    return operable(queryset).filter(NOTHING_LOOKUPS);
  if (exclude)
    return operable(queryset).exclude(condition.kind === "lookups" ? condition.lookups : toQ(condition));
  if (condition.kind === "and" && chainAnd)
    return condition.parts.reduce((qs, part) => applyCondition(qs, part), queryset);
  return operable(queryset).filter(condition.kind === "lookups" ? condition.lookups : toQ(condition));
}

export function orderQueryset<QS>(queryset: QS, ordering: readonly string[]): QS {
  return operable(queryset).orderBy(...ordering);
}

export function distinctQueryset<QS>(queryset: QS): QS {
  return operable(queryset).distinct();
}

/**
 * `base` restricted to the rows of `filtered` through a primary-key subquery: DRF 3.15's SearchFilter
 * de-duplication (it replaced `.distinct()`, which breaks `ORDER BY` on other tables on PostgreSQL).
 */
export function restrictToRowsOf<QS>(base: QS, filtered: QS): QS {
  return operable(base).filter({ pk__in: operable(filtered).values("pk") });
}

export function annotateQueryset<QS>(queryset: QS, annotations: Record<string, unknown>): QS {
  return operable(queryset).annotate(annotations);
}
