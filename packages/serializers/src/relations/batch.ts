// Lookups of related objects made in the same tick are answered by one `__in` query: a list of
// 50 order items with a product pk each costs one query, not 50 (a DataLoader, keyed by context).
// The pending batches are kept in plain Maps and dropped when their query starts, not in WeakMaps
// keyed by the request's context: a long-lived WeakMap holds what a request left in it until a
// full GC (serializer/context-scopes.ts).
import type { SerializerContext } from "../context.js";
import type { QuerySetLike } from "./queryset.js";

interface Batch {
  keys: Map<string, unknown>;
  result: Promise<Map<string, unknown>>;
}

type Pending = Map<object, Map<QuerySetLike, Map<string, Batch>>>;

const batches: Pending = new Map();

/** The batches of `context` and `queryset`, made when none is pending. */
function pendingOf(pending: Pending, context: object, queryset: QuerySetLike): Map<string, Batch> {
  let byQs = pending.get(context);
  if (!byQs) {
    byQs = new Map();
    pending.set(context, byQs);
  }
  let byKey = byQs.get(queryset);
  if (!byKey) {
    byKey = new Map();
    byQs.set(queryset, byKey);
  }
  return byKey;
}

/** Forgets `key`'s batch (its query is starting): later lookups start a new one. */
function settle(pending: Pending, context: object, queryset: QuerySetLike, key: string): void {
  const byQs = pending.get(context);
  const byKey = byQs?.get(queryset);
  if (!byQs || !byKey) return;
  byKey.delete(key);
  if (byKey.size > 0) return;
  byQs.delete(queryset);
  if (byQs.size === 0) pending.delete(context);
}

/**
 * The rows of `queryset` whose `field` is one of the values asked for `context` in this tick, by
 * `keyOf(row)` as a string: one `__in` query for the whole batch.
 */
function batchedRows(
  pending: Pending,
  context: object,
  queryset: QuerySetLike,
  field: string,
  value: unknown,
  keyOf: (row: unknown) => unknown,
): Promise<Map<string, unknown>> {
  const byField = pendingOf(pending, context, queryset);
  let batch = byField.get(field);
  if (!batch) {
    const keys = new Map<string, unknown>();
    const result = Promise.resolve().then(async () => {
      settle(pending, context, queryset, field);
      const rows = await queryset.filter({ [`${field}__in`]: [...keys.values()] });
      return new Map(rows.map((r) => [String(keyOf(r)), r]));
    });
    batch = { keys, result };
    byField.set(field, batch);
  }
  batch.keys.set(String(value), value);
  return batch.result;
}

/** The object whose `lookup` equals `key` (undefined when none), fetched with its tick's batch. */
export function loadRelated(
  context: SerializerContext,
  queryset: QuerySetLike,
  lookup: string,
  key: unknown,
  keyOf: (row: unknown) => unknown,
): Promise<unknown> {
  return batchedRows(batches, context, queryset, lookup, key, keyOf).then((m) => m.get(String(key)));
}

const existsBatches: Pending = new Map();

/**
 * Whether a row with `field` = `value` exists, answered for every value asked in the same tick
 * with one `__in` query (bulk creates check uniqueness of 100 rows with one query).
 */
export function valueExists(
  context: SerializerContext,
  queryset: QuerySetLike,
  field: string,
  value: string | number,
): Promise<boolean> {
  const keyOf = (row: unknown) => (row as Record<string, unknown>)[field];
  return batchedRows(existsBatches, context, queryset, field, value, keyOf).then((m) => m.has(String(value)));
}
