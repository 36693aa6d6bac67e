// Automatic query planning: a serializer states which relations its
// representation reads; the view fetches them up front (constant query count).
import type { QueryPlan } from "./contracts.js";

/** The part of @x/models' QuerySet planning reads and extends. */
interface Plannable<Q> {
  readonly state: {
    readonly selectRelated: readonly string[];
    readonly prefetch: readonly unknown[];
    readonly only: readonly string[] | undefined;
    readonly defer: readonly string[];
  };
  selectRelated(...paths: string[]): Q;
  prefetchRelated(...lookups: string[]): Q;
  only(...fields: string[]): Q;
}

/**
 * Applies `plan` to `queryset`, except for what the queryset (getQueryset())
 * already chose: its own selectRelated, prefetchRelated or only/defer win.
 */
export function applyQueryPlan<Q extends Plannable<Q>>(queryset: Q, plan: QueryPlan | null): Q {
  if (!plan) return queryset;
  const state = queryset.state;
  let qs: Q = queryset;
  if (plan.selectRelated?.length && state.selectRelated.length === 0)
    qs = qs.selectRelated(...plan.selectRelated);
  if (plan.prefetchRelated?.length && state.prefetch.length === 0)
    qs = qs.prefetchRelated(...plan.prefetchRelated);
  if (plan.only?.length && state.only === undefined && state.defer.length === 0) qs = qs.only(...plan.only);
  return qs;
}
