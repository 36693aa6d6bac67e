// Lookups of related objects made in the same tick are answered by one `__in` query: a list of
// 50 order items with a product pk each costs one query, not 50 (a DataLoader, keyed by context).
import type { SerializerContext } from "../context.js";
import type { QuerySetLike } from "./queryset.js";

interface Batch {
  keys: Map<string, unknown>;
  result: Promise<Map<string, unknown>>;
}

const batches = new WeakMap<object, WeakMap<QuerySetLike, Map<string, Batch>>>();

/** The object whose `lookup` equals `key` (undefined when none), fetched with its tick's batch. */
export function loadRelated(
  context: SerializerContext,
  queryset: QuerySetLike,
  lookup: string,
  key: unknown,
  keyOf: (row: unknown) => unknown,
): Promise<unknown> {
  let byQs = batches.get(context);
  if (!byQs) {
    byQs = new WeakMap();
    batches.set(context, byQs);
  }
  let byLookup = byQs.get(queryset);
  if (!byLookup) {
    byLookup = new Map();
    byQs.set(queryset, byLookup);
  }
  let batch = byLookup.get(lookup);
  if (!batch) {
    const keys = new Map<string, unknown>();
    const lookups = byLookup;
    const result = Promise.resolve().then(async () => {
      lookups.delete(lookup); // later requests start a new batch
      const rows = await queryset.filter({ [`${lookup}__in`]: [...keys.values()] });
      return new Map(rows.map((r) => [String(keyOf(r)), r]));
    });
    batch = { keys, result };
    byLookup.set(lookup, batch);
  }
  batch.keys.set(String(key), key);
  return batch.result.then((m) => m.get(String(key)));
}

const existsBatches = new WeakMap<object, WeakMap<QuerySetLike, Map<string, Batch>>>();

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
  let byQs = existsBatches.get(context);
  if (!byQs) {
    byQs = new WeakMap();
    existsBatches.set(context, byQs);
  }
  let byField = byQs.get(queryset);
  if (!byField) {
    byField = new Map();
    byQs.set(queryset, byField);
  }
  let batch = byField.get(field);
  if (!batch) {
    const keys = new Map<string, unknown>();
    const fields = byField;
    const result = Promise.resolve().then(async () => {
      fields.delete(field);
      const rows = await queryset.filter({ [`${field}__in`]: [...keys.values()] });
      return new Map(rows.map((r) => [String((r as Record<string, unknown>)[field]), r]));
    });
    batch = { keys, result };
    byField.set(field, batch);
  }
  batch.keys.set(String(value), value);
  return batch.result.then((m) => m.has(String(value)));
}
