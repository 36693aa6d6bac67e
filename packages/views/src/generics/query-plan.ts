// Automatic query planning: a serializer states which relations its
// representation reads; the view fetches them up front (constant query count).
import type { QueryPlan } from "./contracts.js";

/** The part of @x/models' QuerySet planning reads and extends. */
interface Plannable<Q> {
  readonly model?: unknown;
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
 * Applies `plan` to `queryset` without overriding what the queryset (getQueryset())
 * already chose: relation paths it loads already are not added again (its own
 * `Prefetch` with a custom queryset stays), missing ones are added, and
 * `only` applies only when the queryset did not restrict its columns itself
 * (and not at all with `{ only: false }`). The same queryset and plan give the same
 * QuerySet every time (QuerySets are immutable; it is made once).
 */
export function applyQueryPlan<Q extends Plannable<Q>>(
  queryset: Q,
  plan: QueryPlan | null,
  options: { only?: boolean } = {},
): Q {
  // an action's serializer may describe another model than the view's queryset (a detail action
  // answering with related rows): its paths and columns mean nothing here
  if (!plan || (plan.model !== undefined && plan.model !== queryset.model)) return queryset;
  const only = options.only !== false;
  // A view's queryset (its class attribute, or one getQueryset keeps) and a serializer's plan
  // are the same objects on every request, and both are immutable: the planned QuerySet of the
  // last queryset seen with each plan is kept. A queryset made per request (filtered by its
  // user, say) only replaces it: nothing is allocated to remember it.
  let last = lastPlanned.get(plan);
  if (last === undefined) {
    last = { queryset: undefined, withOnly: undefined, withoutOnly: undefined };
    lastPlanned.set(plan, last);
  }
  if (last.queryset !== queryset) {
    last.queryset = queryset;
    last.withOnly = undefined;
    last.withoutOnly = undefined;
  }
  if (only) {
    last.withOnly ??= planQueryset(queryset, plan, true);
    return last.withOnly as Q;
  }
  last.withoutOnly ??= planQueryset(queryset, plan, false);
  return last.withoutOnly as Q;
}

interface Planned {
  queryset: object | undefined;
  withOnly: unknown;
  withoutOnly: unknown;
}

const lastPlanned = new WeakMap<QueryPlan, Planned>();

function planQueryset<Q extends Plannable<Q>>(queryset: Q, plan: QueryPlan, only: boolean): Q {
  const state = queryset.state;
  let qs: Q = queryset;
  const selected = new Set(state.selectRelated);
  const select = (plan.selectRelated ?? []).filter((p) => !selected.has(p));
  if (select.length > 0) qs = qs.selectRelated(...select);
  const prefetched = new Set(
    state.prefetch.map((p) => (typeof p === "string" ? p : (p as { path: string }).path)),
  );
  const prefetch = (plan.prefetchRelated ?? []).filter((p) => !prefetched.has(p));
  if (prefetch.length > 0) qs = qs.prefetchRelated(...prefetch);
  if (only && plan.only?.length && state.only === undefined && state.defer.length === 0)
    qs = qs.only(...plan.only);
  return qs;
}
