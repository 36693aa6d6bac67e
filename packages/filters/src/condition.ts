/**
 * A filter condition before it becomes an @x/models Q: lookups AND-ed inside one object, combined with
 * or/and/not. Kept as data so a FilterSet can OR several filters together and tests can read it.
 */
export type Condition =
  | { readonly kind: "lookups"; readonly lookups: Readonly<Record<string, unknown>> }
  | { readonly kind: "or"; readonly parts: readonly Condition[] }
  | { readonly kind: "and"; readonly parts: readonly Condition[] }
  | { readonly kind: "not"; readonly part: Condition };

export const lookups = (map: Record<string, unknown>): Condition => ({ kind: "lookups", lookups: map });
/** Matches no row (a value that cannot be in the column). */
export const NOTHING_LOOKUPS: Readonly<Record<string, unknown>> = { pk__in: [] };
export const NOTHING: Condition = { kind: "lookups", lookups: NOTHING_LOOKUPS };
/** Matches every row (a bound beyond the column's range). */
export const EVERYTHING: Condition = lookups({});
export const anyOf = (parts: readonly Condition[]): Condition =>
  parts.length === 1 ? parts[0]! : { kind: "or", parts };
export const allOf = (parts: readonly Condition[]): Condition =>
  parts.length === 1 ? parts[0]! : { kind: "and", parts };
export const not = (part: Condition): Condition => ({ kind: "not", part });

/** `price` + `gte` → `price__gte`; the `exact` lookup is left implicit as Django allows. */
export function lookupKey(path: string, lookupExpr: string): string {
  return lookupExpr === "exact" ? path : `${path}__${lookupExpr}`;
}
