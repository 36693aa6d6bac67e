// Automatic query planning: a serializer states which relations its
// representation reads; the view fetches them up front (constant query count).
import type { QueryPlan, QuerySetLike } from "./contracts.js";

/** What a QuerySet already decided about relation loading (read from @x/models' QuerySet when it exposes it). */
interface PlanIntrospection {
  hasSelectRelated?(): boolean;
  hasPrefetchRelated?(): boolean;
  hasDeferredLoading?(): boolean;
}

export function applyQueryPlan<T>(queryset: QuerySetLike<T>, plan: QueryPlan | null): QuerySetLike<T> {
  if (!plan) return queryset;
  const probe = queryset as QuerySetLike<T> & PlanIntrospection;
  let qs = queryset;
  // getQueryset's own choices win: only fill in what it left unset.
  if (plan.selectRelated?.length && !probe.hasSelectRelated?.()) qs = qs.selectRelated(...plan.selectRelated);
  if (plan.prefetchRelated?.length && !probe.hasPrefetchRelated?.())
    qs = qs.prefetchRelated(...plan.prefetchRelated);
  if (plan.only?.length && !probe.hasDeferredLoading?.()) qs = qs.only(...plan.only);
  return qs;
}
