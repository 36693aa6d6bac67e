// The immutable description of a QuerySet; every QuerySet method returns a copy with one change.
import type { Expression, OrderBy } from "./expressions.js";
import type { QNode } from "./q.js";

export interface PrefetchSpec {
  path: string;
  queryset: unknown;
  toAttr: string | undefined;
}

export interface ValuesSpec {
  fields: string[];
  mode: "dict" | "list" | "flat" | "named";
}

export interface QueryState {
  where: QNode[];
  /** undefined: the model's Meta ordering */
  order: (string | OrderBy)[] | undefined;
  reversed: boolean;
  limit: number | undefined;
  offset: number;
  distinct: boolean;
  distinctFields: string[];
  selectRelated: string[];
  prefetch: PrefetchSpec[];
  only: string[] | undefined;
  defer: string[];
  annotations: [string, Expression][];
  values: ValuesSpec | undefined;
  /** values() fields in force when aggregates were annotated: GROUP BY them */
  groupBy: string[] | undefined;
  none: boolean;
  forUpdate: { nowait: boolean; skipLocked: boolean; of: string[] } | undefined;
  /** the connection alias named by using() (undefined: the routing rules) */
  using: string | undefined;
}

export function initialState(): QueryState {
  return {
    where: [],
    order: undefined,
    reversed: false,
    limit: undefined,
    offset: 0,
    distinct: false,
    distinctFields: [],
    selectRelated: [],
    prefetch: [],
    only: undefined,
    defer: [],
    annotations: [],
    values: undefined,
    groupBy: undefined,
    none: false,
    forUpdate: undefined,
    using: undefined,
  };
}

/**
 * One empty list for every state that clears a part (get()'s ordering, count()'s joins), and one
 * `values("pk", flat)` spec: statement shapes are remembered by the identity of a state's parts
 * (template.ts), so a fresh `[]` per call would look new every time. Frozen: no state's list is
 * ever changed in place, and these are shared by all of them.
 */
// Typed as the mutable lists QueryState holds: frozen, so a write would throw, not leak.
export const NO_ITEMS = Object.freeze([]) as unknown as never[];
export const PK_FLAT: ValuesSpec = Object.freeze({
  fields: Object.freeze(["pk"]) as unknown as string[],
  mode: "flat",
});
