import { anyOf, lookups, NOTHING } from "../condition.js";
import { messages } from "../messages.js";
import type { FieldLike } from "../ports.js";
import { type IntRange, integerRangeOfType } from "../values/integer.js";
import type { Parsed } from "../values/parse.js";
import { canonicalUuid } from "../values/uuid.js";
import {
  baseFilter,
  describe,
  type Filter,
  type FilterOptions,
  failure,
  lastValue,
  MAX_LIST_VALUES,
  requireIfNeeded,
  skip,
} from "./filter.js";

/** How a related key is read from the query string. */
export type KeyType = "integer" | "uuid" | "string";

export interface ModelChoiceOptions<V, QS> extends FilterOptions<V, QS> {
  /** Match the related model's field of this name instead of its primary key (`"slug"`). */
  toFieldName?: string;
  /** How the key is validated; taken from the related model's key field when the FilterSet has a model. */
  keyType?: KeyType;
  /** The integer key column's range (from the related model); keys outside it match nothing. */
  keyRange?: IntRange;
  /**
   * The rows a key may name (django-filter's `queryset`); by default the related model's rows when
   * the FilterSet has a model. A key naming none of them is a 400, checked by `FilterSet.validate()`.
   */
  queryset?: ExistsQuerySet;
}

/** What an existence check needs of a QuerySet. */
export interface ExistsQuerySet {
  filter(lookups: Record<string, unknown>): { count(): PromiseLike<number> };
}

function existsCheck<V>(
  options: { queryset?: ExistsQuerySet; toFieldName?: string },
  keysOf: (value: V) => (number | string)[],
  message: (missing: number | string) => string,
): ((value: V) => Promise<string | null>) | undefined {
  const queryset = options.queryset;
  if (!queryset) return undefined;
  const field = options.toFieldName ?? "pk";
  return async (value) => {
    const keys = [...new Set(keysOf(value))];
    if (keys.length === 0) return null;
    // One query whatever the number of keys; only on a miss, one more to name the first missing key.
    const found = await queryset.filter({ [`${field}__in`]: keys }).count();
    if (found === keys.length) return null;
    for (const key of keys) {
      if ((await queryset.filter({ [field]: key }).count()) === 0) return message(key);
    }
    return null;
  };
}

const INTEGER_TYPES = new Set([
  "AutoField",
  "BigAutoField",
  "SmallAutoField",
  "IntegerField",
  "BigIntegerField",
  "SmallIntegerField",
  "PositiveIntegerField",
  "PositiveSmallIntegerField",
  "PositiveBigIntegerField",
]);

/** The key type (and integer range) of the related model's pk, or of `toFieldName`, for a relation field. */
export function relatedKey(
  field: FieldLike | undefined,
  toFieldName: string | undefined,
): { keyType?: KeyType; keyRange?: IntRange; queryset?: ExistsQuerySet } {
  const related = field?.relatedModel?.();
  if (!related) return {};
  const key = toFieldName ? related.meta.getField(toFieldName) : related.meta.pk;
  const keyRange = integerRangeOfType(key.type);
  const objects = (related as { objects?: { all(): ExistsQuerySet } }).objects;
  const queryset = objects ? { queryset: objects.all() } : {};
  if (INTEGER_TYPES.has(key.type)) return { keyType: "integer", ...(keyRange && { keyRange }), ...queryset };
  return { keyType: key.type === "UUIDField" ? "uuid" : "string", ...queryset };
}

const inRange = (key: number | string, range: IntRange | undefined) =>
  typeof key !== "number" || !range || (BigInt(key) >= range.min && BigInt(key) <= range.max);

function parseKey(keyType: KeyType, raw: string): number | string | null {
  const text = raw.trim();
  if (keyType === "uuid") return canonicalUuid(text);
  if (keyType === "string") return text.includes("\u0000") ? null : text;
  if (!/^[+-]?\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

const keyPath = (path: string, toFieldName: string | undefined) =>
  toFieldName ? `${path}__${toFieldName}` : path;
const keySchema = (keyType: KeyType) => (keyType === "integer" ? { type: "integer" } : { type: "string" });

/**
 * django-filter's ModelChoiceFilter: one related key (primary key, or `toFieldName`). A key that cannot be
 * a key of the related model (`abc` for an integer pk) is rejected with Django's message; a well-formed key
 * that matches no row simply matches nothing (checking existence would cost a query per request).
 */
export function modelChoiceFilter<QS = never>(
  options: ModelChoiceOptions<number | string, QS> = {},
): Filter<number | string, QS> {
  const base = baseFilter("ModelChoiceFilter", options);
  const keyType = options.keyType ?? "integer";
  const parseOne = (raw: string): Parsed<number | string> => {
    if (raw.trim() === "") return skip;
    const key = parseKey(keyType, raw);
    return key === null ? failure(messages.invalidModelChoice) : { ok: true, value: key };
  };
  return {
    ...base,
    params: (name) => [name],
    parseOne,
    clean(data, name) {
      const raw = lastValue(data, name);
      return requireIfNeeded(raw === undefined ? skip : parseOne(raw), base.required);
    },
    condition: (path, key) =>
      inRange(key, options.keyRange) ? lookups({ [keyPath(path, options.toFieldName)]: key }) : NOTHING,
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText),
        schema: keySchema(keyType),
      },
    ],
    bind: (field) => modelChoiceFilter({ ...relatedKey(field, options.toFieldName), ...options }),
    ...optional(
      "checkExists",
      existsCheck<number | string>(
        options,
        (key) => [key],
        () => messages.invalidModelChoice,
      ),
    ),
  };
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

/**
 * django-filter's ModelMultipleChoiceFilter: repeated keys (`?tags=1&tags=4`), OR-ed (AND-ed when
 * `conjoined`); a malformed key gives Django's `“x” is not a valid value.`.
 */
export function modelMultipleChoiceFilter<QS = never>(
  options: ModelChoiceOptions<(number | string)[], QS> & { conjoined?: boolean } = {},
): Filter<(number | string)[], QS> {
  const base = { ...baseFilter("ModelMultipleChoiceFilter", options), distinct: options.distinct ?? true };
  const keyType = options.keyType ?? "integer";
  const parseMany = (raws: string[]): Parsed<(number | string)[]> => {
    if (raws.length > MAX_LIST_VALUES) return failure(messages.tooManyItems(raws.length, MAX_LIST_VALUES));
    const keys: (number | string)[] = [];
    for (const raw of raws) {
      if (raw.trim() === "") continue;
      const key = parseKey(keyType, raw);
      if (key === null) return failure(messages.invalidPkValue(raw.trim()));
      keys.push(key);
    }
    return keys.length ? { ok: true, value: keys } : skip;
  };
  return {
    ...base,
    params: (name) => [name],
    parseOne: (raw) => parseMany([raw]),
    clean: (data, name) => requireIfNeeded(parseMany(data.getAll(name)), base.required),
    condition(path, allKeys) {
      const key = keyPath(path, options.toFieldName);
      const keys = allKeys.filter((value) => inRange(value, options.keyRange));
      if (keys.length === 0) return NOTHING;
      if (options.conjoined) return { kind: "and", parts: keys.map((value) => lookups({ [key]: value })) };
      return anyOf([lookups({ [`${key}__in`]: keys })]);
    },
    schema: (name) => [
      {
        name,
        in: "query",
        required: base.required,
        description: describe(name, base.label, base.helpText),
        schema: { type: "array", items: keySchema(keyType) },
        style: "form",
        explode: true,
      },
    ],
    bind: (field) => modelMultipleChoiceFilter({ ...relatedKey(field, options.toFieldName), ...options }),
    ...optional(
      "checkExists",
      existsCheck<(number | string)[]>(
        options,
        (keys) => keys,
        (missing) => messages.invalidChoice(String(missing)),
      ),
    ),
  };
}
