import { Q } from "@x/models";
import type { PositionValue } from "./cursor-codec.js";

export interface OrderField {
  /** Attribute name (`created_at`). */
  name: string;
  descending: boolean;
}

type Condition = Record<string, unknown>;

/**
 * Rows strictly after `position` in `ordering` (a keyset condition), as an
 * OR of AND-ed lookups. NULLs sort last ascending and first descending (the
 * @x/models rule on both databases), so "after NULL" and "after a value"
 * are spelled out explicitly.
 */
export function afterPosition(ordering: readonly OrderField[], position: readonly PositionValue[]) {
  const branches: Condition[] = [];
  const equalSoFar: Condition = {};
  ordering.forEach((field, i) => {
    const v = position[i] ?? null;
    for (const strictly of strictlyAfter(field, v)) branches.push({ ...equalSoFar, ...strictly });
    if (v === null) equalSoFar[`${field.name}__isnull`] = true;
    else equalSoFar[field.name] = v;
  });
  const [first, ...rest] = branches;
  // Nothing sorts after the last possible position: match nothing.
  if (!first) return Q({ pk__in: [] });
  return rest.length === 0 ? Q(first) : Q(first).or(...rest);
}

function strictlyAfter(field: OrderField, v: PositionValue): Condition[] {
  if (!field.descending) {
    // Ascending, NULLs last: larger values, then the NULLs.
    return v === null ? [] : [{ [`${field.name}__gt`]: v }, { [`${field.name}__isnull`]: true }];
  }
  // Descending, NULLs first: after NULL come all values; after a value, the smaller ones.
  return v === null ? [{ [`${field.name}__isnull`]: false }] : [{ [`${field.name}__lt`]: v }];
}

export const reverseOrdering = (ordering: readonly OrderField[]): OrderField[] =>
  ordering.map((f) => ({ name: f.name, descending: !f.descending }));

export const orderByArgs = (ordering: readonly OrderField[]): string[] =>
  ordering.map((f) => (f.descending ? `-${f.name}` : f.name));
