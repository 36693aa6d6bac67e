// Managers for the "many" side of relations: reverse ForeignKey (author.books) and ManyToMany.
import { FieldError } from "../errors.js";
import type { FieldMeta, Fields } from "../fields/types.js";
import type { QuerySet } from "../query/queryset.js";
import { m2mChanged } from "../signals.js";
import { type AnyInstance, type AnyModel, stateOf } from "./internal.js";
import { m2mInfo } from "./relations.js";
import type { InstanceBase } from "./types.js";

type FieldsOf<I> = I extends InstanceBase<infer F> ? F : Fields;
type PkLike = number | string;

/** A QuerySet of the related objects plus the methods that change the relation. */
export type RelatedManager<I> = QuerySet<I, FieldsOf<I>> & {
  /** the related objects (from the prefetch cache when prefetchRelated loaded them) */
  all(): QuerySet<I, FieldsOf<I>>;
  add(...objs: (I | PkLike)[]): Promise<void>;
  remove(...objs: (I | PkLike)[]): Promise<void>;
  clear(): Promise<void>;
  set(objs: readonly (I | PkLike)[]): Promise<void>;
  create(data: Record<string, unknown>): Promise<I>;
};

function pkOf(v: unknown): PkLike {
  if (typeof v === "object" && v !== null) return (v as AnyInstance).pk as PkLike;
  return v as PkLike;
}

function requireSaved(instance: AnyInstance, name: string): void {
  if (instance.pk === null || instance.pk === undefined) {
    throw new TypeError(
      `"${String(instance)}" needs to have a value for field "${name}" before this relationship can be used.`,
    );
  }
}

export const PREFETCH_PREFIX = "prefetch:";

// Relation names are few: a key concatenated on every access was flattened and hashed afresh by
// each cache lookup, a kept one is hashed once.
const prefetchKeys = new Map<string, string>();

/** Where a reverse or many-to-many relation's prefetched objects are cached: PREFETCH_PREFIX + name. */
export function prefetchKey(name: string): string {
  let key = prefetchKeys.get(name);
  if (key === undefined) {
    key = PREFETCH_PREFIX + name;
    prefetchKeys.set(name, key);
  }
  return key;
}

// biome-ignore lint/suspicious/noExplicitAny: the erased queryset the managers build on
type AnyQS = QuerySet<any, any> & Record<string, any>;

function withCache(qs: AnyQS, instance: AnyInstance, name: string): AnyQS {
  const cached = stateOf(instance).cache.get(prefetchKey(name)) as unknown[] | undefined;
  return cached ? qs.withResultCache(cached) : qs;
}

/** What a relation name of a model resolves to (looked up once per model class and name). */
type Resolved =
  | {
      kind: "m2m";
      target: AnyModel;
      through: AnyModel;
      sourceCol: string;
      targetCol: string;
      reverse: boolean;
    }
  | { kind: "fk"; methods: object };

const resolvedRelations = new WeakMap<AnyModel, Map<string, Resolved>>();

function resolveRelation(model: AnyModel, name: string): Resolved {
  let byName = resolvedRelations.get(model);
  if (!byName) {
    byName = new Map();
    resolvedRelations.set(model, byName);
  }
  let resolved = byName.get(name);
  if (!resolved) {
    resolved = findRelation(model, name);
    byName.set(name, resolved);
  }
  return resolved;
}

function findRelation(model: AnyModel, name: string): Resolved {
  const m2mField = model.meta.manyToMany.find((f) => f.name === name);
  if (m2mField) {
    const info = m2mInfo(m2mField);
    return {
      kind: "m2m",
      target: m2mField.relatedModel!(),
      through: info.through,
      sourceCol: info.sourceField.attname,
      targetCol: info.targetField.attname,
      reverse: false,
    };
  }
  const rel = model.meta.relatedObjects.find((r) => r.name === name);
  if (!rel) {
    const names = [
      ...model.meta.manyToMany.map((f) => f.name),
      ...model.meta.relatedObjects.map((r) => r.name),
    ];
    throw new FieldError(
      `${model.meta.objectName} has no relation named '${name}'. Choices are: ${names.join(", ")}`,
    );
  }
  if (rel.field.manyToMany) {
    const info = m2mInfo(rel.field);
    return {
      kind: "m2m",
      target: rel.relatedModel,
      through: info.through,
      sourceCol: info.targetField.attname,
      targetCol: info.sourceField.attname,
      reverse: true,
    };
  }
  return { kind: "fk", methods: reverseFkMethods(rel.relatedModel, rel.field, name) };
}

export function relatedManagerFor(instance: AnyInstance, name: string): AnyQS {
  const resolved = resolveRelation(instance.constructor as AnyModel, name);
  if (resolved.kind === "m2m") {
    return m2mManager(
      instance,
      name,
      resolved.target,
      resolved.through,
      resolved.sourceCol,
      resolved.targetCol,
      resolved.reverse,
    );
  }
  // reverse ForeignKey: the relation's methods (shared, reading the manager's instance and base)
  const fk = resolved.methods as ReverseFkMethods;
  requireSaved(instance, fk.fkName);
  const cache = stateOf(instance).cache;
  const rows = cache.get(prefetchKey(name)) as unknown[] | undefined;
  // Prefetched: the manager made for these rows is kept with them (a serializer reads a
  // relation once per field that renders it; each access made a QuerySet, its filter and a
  // copy of the rows). Valid while the prefetch cache holds the same rows for the same pk.
  const keyOfManager = managerKey(name);
  if (rows !== undefined) {
    const kept = cache.get(keyOfManager) as ReverseFkManager | undefined;
    if (kept !== undefined && kept[ROWS] === rows && kept[PK] === instance.pk) return kept;
  }
  const base = (fk.related.objects as AnyQS).filter({ [fk.fkAttname]: instance.pk });
  const qs = (rows ? base.withResultCache(rows) : base) as ReverseFkManager;
  Object.assign(qs, fk.shared);
  qs[INSTANCE] = instance;
  qs[BASE] = base;
  qs[ROWS] = rows;
  qs[PK] = instance.pk;
  qs[ALL] = undefined;
  if (rows !== undefined) cache.set(keyOfManager, qs);
  return qs;
}

const INSTANCE = Symbol("x.relatedInstance");
const BASE = Symbol("x.relatedBase");
const ROWS = Symbol("x.relatedRows");
const PK = Symbol("x.relatedPk");
const ALL = Symbol("x.relatedAll");

/**
 * A reverse ForeignKey manager: a QuerySet of the related rows plus the methods, which read
 * these. ROWS and PK: the prefetched rows and the instance's pk it was made for; ALL: its
 * `all()` for those rows, made on first use.
 */
type ReverseFkManager = AnyQS & {
  [INSTANCE]: AnyInstance;
  [BASE]: AnyQS;
  [ROWS]: unknown[] | undefined;
  [PK]: unknown;
  [ALL]: AnyQS | undefined;
};

const managerKeys = new Map<string, string>();

/** Where a prefetched reverse relation's manager is kept beside its rows. */
function managerKey(name: string): string {
  let key = managerKeys.get(name);
  if (key === undefined) {
    key = `manager:${name}`;
    managerKeys.set(name, key);
  }
  return key;
}

interface ReverseFkMethods {
  related: AnyModel;
  fkName: string;
  fkAttname: string;
  /** the manager's methods, the same functions for every instance (no closures per access) */
  shared: object;
}

function reverseFkMethods(related: AnyModel, fk: FieldMeta, name: string): ReverseFkMethods {
  const shared = {
    all(this: ReverseFkManager) {
      const rows = this[ROWS];
      // the same rows as when the manager was made: one QuerySet of them, however often asked
      if (rows !== undefined && stateOf(this[INSTANCE]).cache.get(prefetchKey(name)) === rows) {
        this[ALL] ??= this[BASE].withResultCache(rows);
        return this[ALL];
      }
      return withCache(this[BASE], this[INSTANCE], name);
    },
    async create(this: ReverseFkManager, data: Record<string, unknown>) {
      return related.objects.create({ ...data, [fk.name]: this[INSTANCE] });
    },
    async add(this: ReverseFkManager, ...objs: unknown[]) {
      const instance = this[INSTANCE];
      for (const o of objs) {
        if (typeof o !== "object" || o === null) {
          throw new TypeError(`'${related.meta.objectName}' instance expected, got ${JSON.stringify(o)}`);
        }
      }
      const pks = objs.map(pkOf);
      await (related.objects as AnyQS)
        .unfiltered()
        .filter({ pk__in: pks })
        .update({ [fk.attname]: instance.pk });
      for (const o of objs) (o as AnyInstance)[fk.attname] = instance.pk;
    },
    async remove(this: ReverseFkManager, ...objs: unknown[]) {
      const instance = this[INSTANCE];
      if (!fk.null)
        throw new TypeError(
          `remove() is only available when ${related.meta.objectName}.${fk.name} is nullable`,
        );
      const pks = objs.map(pkOf);
      await this[BASE]
        .unfiltered()
        .filter({ pk__in: pks, [fk.attname]: instance.pk })
        .update({ [fk.attname]: null });
      for (const o of objs) if (typeof o === "object" && o !== null) (o as AnyInstance)[fk.attname] = null;
    },
    async clear(this: ReverseFkManager) {
      const instance = this[INSTANCE];
      if (!fk.null)
        throw new TypeError(
          `clear() is only available when ${related.meta.objectName}.${fk.name} is nullable`,
        );
      await this[BASE]
        .unfiltered()
        .filter({ [fk.attname]: instance.pk })
        .update({ [fk.attname]: null });
    },
    async set(this: ReverseFkManager, objs: readonly unknown[]) {
      const instance = this[INSTANCE];
      const keep = new Set(objs.map(pkOf));
      if (fk.null) {
        await this[BASE]
          .unfiltered()
          .filter({ [fk.attname]: instance.pk })
          .exclude({ pk__in: [...keep] })
          .update({ [fk.attname]: null });
      }
      await this.add(...objs);
    },
  };
  return { related, fkName: fk.name, fkAttname: fk.attname, shared };
}

function m2mManager(
  instance: AnyInstance,
  name: string,
  target: AnyModel,
  through: AnyModel,
  sourceCol: string,
  targetCol: string,
  reverse: boolean,
): AnyQS {
  requireSaved(instance, name);
  const model = instance.constructor as AnyModel;
  const throughRows = () => (through.objects as AnyQS).unfiltered().filter({ [sourceCol]: instance.pk });
  const base = (target.objects as AnyQS).filter({
    pk__in: throughRows().valuesList(targetCol, { flat: true }),
  });
  const qs = withCache(base, instance, name);
  const signal = async (
    action: "pre_add" | "post_add" | "pre_remove" | "post_remove" | "pre_clear" | "post_clear",
    pkSet?: PkLike[],
  ) => {
    if (m2mChanged.hasListeners(through)) {
      await m2mChanged.send({ sender: through, instance, action, reverse, model: target, pkSet });
    }
  };
  const methods = {
    all: () => withCache(base, instance, name),
    async add(...objs: unknown[]) {
      const pks = [...new Set(objs.map(pkOf))];
      if (pks.length === 0) return;
      const existing = new Set(
        (await throughRows()
          .filter({ [`${targetCol}__in`]: pks })
          .valuesList(targetCol, { flat: true })) as PkLike[],
      );
      const missing = pks.filter((p) => !existing.has(p));
      await signal("pre_add", missing);
      if (missing.length > 0) {
        // A concurrent add() of the same pair may have inserted it since the read above:
        // skipping the conflict keeps add() idempotent, as Django's ignore_conflicts does.
        await (through.objects as AnyQS).bulkCreate(
          missing.map((p) => new through({ [sourceCol]: instance.pk, [targetCol]: p })),
          { ignoreConflicts: true },
        );
      }
      stateOf(instance).cache.delete(prefetchKey(name));
      await signal("post_add", missing);
    },
    async remove(...objs: unknown[]) {
      const pks = objs.map(pkOf);
      await signal("pre_remove", pks);
      await throughRows()
        .filter({ [`${targetCol}__in`]: pks })
        .rawDelete();
      stateOf(instance).cache.delete(prefetchKey(name));
      await signal("post_remove", pks);
    },
    async clear() {
      await signal("pre_clear");
      await throughRows().rawDelete();
      stateOf(instance).cache.delete(prefetchKey(name));
      await signal("post_clear");
    },
    async set(objs: readonly unknown[]) {
      const wanted = new Set(objs.map(pkOf));
      const current = (await throughRows().valuesList(targetCol, { flat: true })) as PkLike[];
      const toRemove = current.filter((p) => !wanted.has(p));
      if (toRemove.length > 0) await methods.remove(...toRemove);
      await methods.add(...[...wanted].filter((p) => !current.includes(p)));
    },
    async create(data: Record<string, unknown>) {
      const obj = await target.objects.create(data);
      await methods.add(obj);
      return obj;
    },
  };
  void model;
  return Object.assign(qs, methods);
}
