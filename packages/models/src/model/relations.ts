// Relation wiring: forward accessors, reverse relations and accessors, M2M through models.
import { FieldError } from "../errors.js";
import type { FieldMeta } from "../fields/types.js";
import { type AnyInstance, type AnyModel, type FieldMetaWithSpec, stateOf } from "./internal.js";
import { getModel, setRelationResolver } from "./registry.js";
import { relatedManagerFor } from "./related-manager.js";
import type { ReverseRelation } from "./types.js";

export interface M2MInfo {
  through: AnyModel;
  /** FK on the through model pointing at the model declaring the M2M */
  sourceField: FieldMeta;
  /** FK on the through model pointing at the target */
  targetField: FieldMeta;
  autoCreated: boolean;
}

const m2m = new WeakMap<FieldMeta, M2MInfo>();

type ThroughFactory = (model: AnyModel, field: FieldMeta, target: AnyModel) => AnyModel;
let throughFactory: ThroughFactory | undefined;
export function setThroughFactory(fn: ThroughFactory): void {
  throughFactory = fn;
}

export function m2mInfo(field: FieldMeta): M2MInfo {
  const known = m2m.get(field);
  if (known) return known;
  const spec = (field as FieldMetaWithSpec).spec;
  const t = spec.throughTarget;
  if (!t || !field.relatedModel)
    throw new FieldError(`${field.model.meta.label}.${field.name} is not resolved yet`);
  const through =
    typeof t === "string" ? getModel(t.includes(".") ? t : `${field.model.meta.appLabel}.${t}`) : t();
  const target = field.relatedModel();
  const fks = through.meta.fields.filter((f) => f.isRelation);
  const source = fks.find((f) => f.relatedModel?.() === field.model);
  const dest = fks.find((f) => f !== source && f.relatedModel?.() === target);
  if (!source || !dest) {
    throw new FieldError(
      `The through model ${through.meta.label} of ${field.model.meta.label}.${field.name} needs foreign keys to ${field.model.meta.label} and ${target.meta.label}`,
    );
  }
  const info = { through, sourceField: source, targetField: dest, autoCreated: false };
  m2m.set(field, info);
  return info;
}

function notLoaded(model: AnyModel, name: string): Error {
  return new FieldError(
    `${model.meta.objectName}.${name} is not loaded: add selectRelated("${name}") (or prefetchRelated) to the query, or await instance.fetchRelated("${name}") first`,
  );
}

/** Forward FK/O2O getters+setters and M2M manager getters on the model prototype. */
export function installRelationAccessors(model: AnyModel): void {
  const proto = model.prototype as object;
  for (const f of model.meta.allFields) {
    if (f.isRelation && f.concrete) {
      Object.defineProperty(proto, f.name, {
        configurable: true,
        get(this: AnyInstance) {
          const id = this[f.attname];
          const cache = stateOf(this).cache;
          if (cache.has(f.name)) {
            const cached = cache.get(f.name) as AnyInstance | null;
            if (
              cached === null
                ? id === null || id === undefined
                : cached.pk === id || id === null || id === undefined
            ) {
              return cached;
            }
          }
          if (id === null || id === undefined) return null;
          throw notLoaded(model, f.name);
        },
        set(this: AnyInstance, value: unknown) {
          const cache = stateOf(this).cache;
          if (value === null || value === undefined) {
            this[f.attname] = null;
            cache.set(f.name, null);
          } else if (typeof value === "object" && "pk" in (value as object)) {
            this[f.attname] = (value as AnyInstance).pk ?? null;
            cache.set(f.name, value);
          } else {
            this[f.attname] = value;
            cache.delete(f.name);
          }
        },
      });
    } else if (f.manyToMany) {
      Object.defineProperty(proto, f.name, {
        configurable: true,
        get(this: AnyInstance) {
          return relatedManagerFor(this, f.name);
        },
      });
    }
  }
}

function installReverseAccessor(target: AnyModel, rel: ReverseRelation): void {
  if (rel.name.includes("+")) return;
  const proto = target.prototype as object;
  if (Object.hasOwn(proto, rel.name)) return;
  if (rel.multiple) {
    Object.defineProperty(proto, rel.name, {
      configurable: true,
      get(this: AnyInstance) {
        return relatedManagerFor(this, rel.name);
      },
    });
    return;
  }
  // reverse one-to-one: loaded by selectRelated/prefetchRelated/fetchRelated; missing → DoesNotExist
  Object.defineProperty(proto, rel.name, {
    configurable: true,
    get(this: AnyInstance) {
      const cache = stateOf(this).cache;
      if (!cache.has(rel.name)) throw notLoaded(target, rel.name);
      const v = cache.get(rel.name);
      if (v === null) {
        throw new rel.relatedModel.DoesNotExist(`${target.meta.objectName} has no ${rel.name}.`);
      }
      return v;
    },
    set(this: AnyInstance, value: unknown) {
      stateOf(this).cache.set(rel.name, value);
    },
  });
}

function reverseName(model: AnyModel, field: FieldMeta): string {
  if (field.relatedName) return field.relatedName;
  return field.oneToOne ? model.meta.modelName : `${model.meta.modelName}_set`;
}

setRelationResolver((model, field, target) => {
  field.relatedModel = () => target;
  if (field.manyToMany) {
    const spec = field.spec;
    if (!spec.throughTarget) {
      if (!throughFactory) throw new Error("through factory not installed");
      const through = throughFactory(model, field, target);
      spec.throughTarget = () => through;
      const fks = through.meta.fields.filter((f) => f.isRelation);
      m2m.set(field, { through, sourceField: fks[0]!, targetField: fks[1]!, autoCreated: true });
    }
    field.through = () => m2mInfo(field).through;
    const rel: ReverseRelation = {
      name: reverseName(model, field),
      relatedModel: model,
      field,
      multiple: true,
    };
    if (field.relatedName !== "+") {
      target.meta.relatedObjects.push(rel);
      installReverseAccessor(target, rel);
    }
    return;
  }
  const rel: ReverseRelation = {
    name: reverseName(model, field),
    relatedModel: model,
    field,
    multiple: !field.oneToOne,
  };
  target.meta.relatedObjects.push(rel);
  installReverseAccessor(target, rel);
});
