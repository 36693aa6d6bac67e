// Managers for the "many" side of relations: reverse ForeignKey (author.books) and ManyToMany.
import { FieldError } from "../errors.js";
import type { Fields } from "../fields/types.js";
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

// biome-ignore lint/suspicious/noExplicitAny: the erased queryset the managers build on
type AnyQS = QuerySet<any, any> & Record<string, any>;

function withCache(qs: AnyQS, instance: AnyInstance, name: string): AnyQS {
  const cached = stateOf(instance).cache.get(PREFETCH_PREFIX + name) as unknown[] | undefined;
  return cached ? qs.withResultCache(cached) : qs;
}

export function relatedManagerFor(instance: AnyInstance, name: string): AnyQS {
  const model = instance.constructor as AnyModel;
  const m2mField = model.meta.manyToMany.find((f) => f.name === name);
  if (m2mField) {
    const info = m2mInfo(m2mField);
    return m2mManager(
      instance,
      name,
      m2mField.relatedModel!(),
      info.through,
      info.sourceField.attname,
      info.targetField.attname,
      false,
    );
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
    return m2mManager(
      instance,
      name,
      rel.relatedModel,
      info.through,
      info.targetField.attname,
      info.sourceField.attname,
      true,
    );
  }
  // reverse ForeignKey
  const related = rel.relatedModel;
  const fk = rel.field;
  requireSaved(instance, fk.name);
  const base = (related.objects as AnyQS).filter({ [fk.attname]: instance.pk });
  const qs = withCache(base, instance, name);
  const methods = {
    all: () => withCache(base, instance, name),
    async create(data: Record<string, unknown>) {
      return related.objects.create({ ...data, [fk.name]: instance });
    },
    async add(...objs: unknown[]) {
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
    async remove(...objs: unknown[]) {
      if (!fk.null)
        throw new TypeError(
          `remove() is only available when ${related.meta.objectName}.${fk.name} is nullable`,
        );
      const pks = objs.map(pkOf);
      await base
        .unfiltered()
        .filter({ pk__in: pks, [fk.attname]: instance.pk })
        .update({ [fk.attname]: null });
      for (const o of objs) if (typeof o === "object" && o !== null) (o as AnyInstance)[fk.attname] = null;
    },
    async clear() {
      if (!fk.null)
        throw new TypeError(
          `clear() is only available when ${related.meta.objectName}.${fk.name} is nullable`,
        );
      await base
        .unfiltered()
        .filter({ [fk.attname]: instance.pk })
        .update({ [fk.attname]: null });
    },
    async set(objs: readonly unknown[]) {
      const keep = new Set(objs.map(pkOf));
      if (fk.null) {
        await base
          .unfiltered()
          .filter({ [fk.attname]: instance.pk })
          .exclude({ pk__in: [...keep] })
          .update({ [fk.attname]: null });
      }
      await methods.add(...objs);
    },
  };
  return Object.assign(qs, methods);
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
      stateOf(instance).cache.delete(PREFETCH_PREFIX + name);
      await signal("post_add", missing);
    },
    async remove(...objs: unknown[]) {
      const pks = objs.map(pkOf);
      await signal("pre_remove", pks);
      await throughRows()
        .filter({ [`${targetCol}__in`]: pks })
        .rawDelete();
      stateOf(instance).cache.delete(PREFETCH_PREFIX + name);
      await signal("post_remove", pks);
    },
    async clear() {
      await signal("pre_clear");
      await throughRows().rawDelete();
      stateOf(instance).cache.delete(PREFETCH_PREFIX + name);
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
