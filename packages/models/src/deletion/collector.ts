// Django's deletion collector: follows reverse foreign keys and applies on_delete, the same on both databases.
import { ProtectedError, RestrictedError } from "../errors.js";
import type { FieldMeta } from "../fields/types.js";
import type { AnyInstance, AnyModel } from "../model/internal.js";
import type { QuerySet } from "../query/queryset.js";
import { postDelete, preDelete } from "../signals.js";
import { atomic } from "../transaction.js";

// biome-ignore lint/suspicious/noExplicitAny: erased querysets of any model
type AnyQS = QuerySet<any, any> & Record<string, any>;

interface FieldUpdate {
  model: AnyModel;
  field: FieldMeta;
  value: unknown;
  objs: AnyInstance[];
}

export async function collectAndDelete(
  model: AnyModel,
  instances: AnyInstance[],
): Promise<[number, Record<string, number>]> {
  return atomic(async () => {
    const collected = new Map<AnyModel, Map<unknown, AnyInstance>>();
    const updates: FieldUpdate[] = [];
    const protectedObjs: { objs: AnyInstance[]; rel: string }[] = [];
    const restricted: { objs: AnyInstance[]; rel: string }[] = [];

    const collect = async (m: AnyModel, objs: AnyInstance[]) => {
      let bucket = collected.get(m);
      if (!bucket) {
        bucket = new Map();
        collected.set(m, bucket);
      }
      const fresh = objs.filter((o) => !bucket.has(o.pk));
      for (const o of fresh) bucket.set(o.pk, o);
      if (fresh.length === 0) return;
      const pks = fresh.map((o) => o.pk);
      // a multi-table child's parent rows go with it
      for (const [parent, link] of m.meta.parents) {
        const parentObjs = (await (parent.objects as AnyQS)
          .unfiltered()
          .filter({ pk__in: fresh.map((o) => o[link.attname]) })) as AnyInstance[];
        await collect(parent, parentObjs);
      }
      for (const rel of m.meta.relatedObjects) {
        if (rel.field.manyToMany) continue; // join rows are reached through the through model's FKs
        const onDelete = rel.field.onDelete ?? "CASCADE";
        if (onDelete === "DO_NOTHING") continue;
        const related = (await (rel.relatedModel.objects as AnyQS)
          .unfiltered()
          .filter({ [`${rel.field.attname}__in`]: pks })) as AnyInstance[];
        if (related.length === 0) continue;
        const where = `${rel.relatedModel.meta.objectName}.${rel.field.name}`;
        if (onDelete === "CASCADE") await collect(rel.relatedModel, related);
        else if (onDelete === "PROTECT") protectedObjs.push({ objs: related, rel: where });
        else if (onDelete === "RESTRICT") restricted.push({ objs: related, rel: where });
        else if (onDelete === "SET_NULL")
          updates.push({ model: rel.relatedModel, field: rel.field, value: null, objs: related });
        else if (onDelete === "SET_DEFAULT") {
          updates.push({
            model: rel.relatedModel,
            field: rel.field,
            value: rel.field.getDefault(),
            objs: related,
          });
        }
      }
    };
    await collect(model, instances);

    if (protectedObjs.length > 0) {
      const objs = protectedObjs.flatMap((p) => p.objs);
      throw new ProtectedError(
        `Cannot delete some instances of model '${model.meta.objectName}' because they are referenced through protected foreign keys: ${[
          ...new Set(protectedObjs.map((p) => `'${p.rel}'`)),
        ].join(", ")}.`,
        objs,
      );
    }
    const stillRestricted = restricted
      .map((r) => ({
        ...r,
        objs: r.objs.filter((o) => !collected.get(o.constructor as AnyModel)?.has(o.pk)),
      }))
      .filter((r) => r.objs.length > 0);
    if (stillRestricted.length > 0) {
      throw new RestrictedError(
        `Cannot delete some instances of model '${model.meta.objectName}' because they are referenced through restricted foreign keys: ${[
          ...new Set(stillRestricted.map((r) => `'${r.rel}'`)),
        ].join(", ")}.`,
        stillRestricted.flatMap((r) => r.objs),
      );
    }

    for (const [m, bucket] of collected) {
      if (preDelete.hasListeners(m))
        for (const o of bucket.values()) await preDelete.send({ sender: m, instance: o });
    }
    for (const u of updates) {
      const objs = u.objs.filter((o) => !collected.get(u.model)?.has(o.pk));
      if (objs.length === 0) continue;
      await (u.model.objects as AnyQS)
        .unfiltered()
        .filter({ pk__in: objs.map((o) => o.pk) })
        .update({ [u.field.attname]: u.value });
      for (const o of objs) o[u.field.attname] = u.value;
    }
    // dependents were collected after the objects they point to: delete in reverse order
    const counts: Record<string, number> = {};
    let total = 0;
    for (const [m, bucket] of [...collected].reverse()) {
      const pks = [...bucket.keys()];
      let n = 0;
      for (let i = 0; i < pks.length; i += 500) {
        n += await (m.objects as AnyQS)
          .unfiltered()
          .filter({ pk__in: pks.slice(i, i + 500) })
          .rawDelete();
      }
      counts[m.meta.label] = n;
      total += n;
    }
    for (const [m, bucket] of collected) {
      if (postDelete.hasListeners(m))
        for (const o of bucket.values()) await postDelete.send({ sender: m, instance: o });
    }
    return [total, counts];
  });
}
