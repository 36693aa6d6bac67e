// defineAbstract / defineModel: build a model class, its meta and managers from field specs.
import { FieldError, MultipleObjectsReturned, ObjectDoesNotExist } from "../errors.js";
import { OneToOneField } from "../fields/relations.js";
import { AutoField } from "../fields/scalar.js";
import type { AnyField, Fields } from "../fields/types.js";
import { CASCADE } from "../fields/types.js";
import { QuerySet } from "../query/queryset.js";
import { ModelBase } from "./instance.js";
import type { AnyInstance, AnyModel, FieldMetaWithSpec } from "./internal.js";
import { buildMeta } from "./meta.js";
import { addPendingRelation, registerModel } from "./registry.js";
import { installRelationAccessors } from "./relations.js";
import type { CreateInput, Instance, MetaOptions, UnionToIntersectionOf, WithPk } from "./types.js";

export interface AbstractModel<F extends Fields = Fields, M = object> {
  readonly abstract: true;
  readonly fields: F;
  readonly meta: MetaOptions;
  readonly methods: M;
  readonly querySet: object;
}

// biome-ignore lint/suspicious/noExplicitAny: any abstract base, whatever its fields/methods
type AnyAbstract = AbstractModel<any, any>;
type BaseFields<B extends readonly AnyAbstract[]> = [B[number]] extends [never]
  ? {}
  : UnionToIntersectionOf<B[number]["fields"]>;
type BaseMethods<B extends readonly AnyAbstract[]> = [B[number]] extends [never]
  ? {}
  : UnionToIntersectionOf<B[number]["methods"]>;

/** The QuerySet type of a model, with its custom QuerySet methods. */
export type QS<I, F, QM> = QuerySet<I, F> & QM;

export type ModelClass<F, M, MG extends string = never, QM = {}> = {
  new (data?: CreateInput<F>): Instance<F, M>;
  readonly prototype: Instance<F, M>;
  readonly meta: import("./types.js").ModelMeta;
  readonly objects: QS<Instance<F, M>, F, QM>;
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
  /** phantom: the field specs, for type-level helpers */
  readonly fieldSpecs: F;
} & { readonly [K in MG]: QS<Instance<F, M>, F, QM> };

export interface AbstractDefinition<F extends Fields, B extends readonly AnyAbstract[], M> {
  extends?: B;
  fields: F;
  meta?: MetaOptions;
  methods?: M & ThisType<Instance<WithPk<BaseFields<B> & F>, M & BaseMethods<B>>>;
  querySet?: object;
}

/** A reusable abstract base (TimeStamped, SoftDelete): fields, meta defaults and methods, no table. */
export function defineAbstract<
  const F extends Fields,
  const B extends readonly AnyAbstract[] = [],
  M extends object = {},
>(def: AbstractDefinition<F, B, M>): AbstractModel<BaseFields<B> & F, BaseMethods<B> & M> {
  const bases = def.extends ?? [];
  const fields = Object.assign({}, ...bases.map((b) => b.fields), def.fields);
  const meta = Object.assign({}, ...bases.map((b) => b.meta), def.meta ?? {});
  const methods = {};
  for (const b of bases) Object.defineProperties(methods, Object.getOwnPropertyDescriptors(b.methods));
  if (def.methods) Object.defineProperties(methods, Object.getOwnPropertyDescriptors(def.methods));
  const querySet = Object.assign({}, ...bases.map((b) => b.querySet), def.querySet ?? {});
  return { abstract: true, fields, meta, methods, querySet } as AbstractModel<
    BaseFields<B> & F,
    BaseMethods<B> & M
  >;
}

export interface ModelDefinition<
  F extends Fields,
  B extends readonly AnyAbstract[],
  M,
  MG extends string,
  QM,
> {
  /** abstract bases, combined in order (their fields first) */
  extends?: B;
  fields: F;
  meta?: MetaOptions;
  /** instance methods and getters (computed properties); `this` is the instance */
  methods?: M & ThisType<Instance<WithPk<BaseFields<B> & F>, M & BaseMethods<B>>>;
  /** extra managers: each starts from the default queryset (`active: (qs) => qs.filter({...})`) */
  managers?: Record<
    MG,
    // typed by the fields only (not the methods), so TypeScript can infer both independently
    (qs: QuerySet<AnyInstance, WithPk<BaseFields<B> & F>>) => QuerySet<AnyInstance, WithPk<BaseFields<B> & F>>
  >;
  /** custom QuerySet methods, callable on managers and querysets; `this` is the queryset */
  querySet?: QM &
    ThisType<QS<Instance<WithPk<BaseFields<B> & F>, M & BaseMethods<B>>, WithPk<BaseFields<B> & F>, QM>>;
}

function splitLabel(label: string): [string, string] {
  const i = label.indexOf(".");
  if (i <= 0 || i === label.length - 1) {
    throw new FieldError(`Model label "${label}" must be "app_label.ModelName"`);
  }
  return [label.slice(0, i), label.slice(i + 1)];
}

/** Defines a concrete model ("app_label.ModelName") and returns its class. */
export function defineModel<
  const F extends Fields,
  const B extends readonly AnyAbstract[] = [],
  M extends object = {},
  MG extends string = never,
  QM extends object = {},
>(
  label: string,
  def: ModelDefinition<F, B, M, MG, QM>,
): ModelClass<WithPk<BaseFields<B> & F>, BaseMethods<B> & M, MG, QM> {
  const [appLabel, objectName] = splitLabel(label);
  const bases = def.extends ?? [];
  const specs: Record<string, AnyField> = Object.assign({}, ...bases.map((b) => b.fields), def.fields);
  const hasPk = Object.values(specs).some((f) => f.spec.primaryKey);
  const allSpecs: Record<string, AnyField> = hasPk ? specs : { id: AutoField(), ...specs };
  const metaOptions: MetaOptions = Object.assign({}, ...bases.map((b) => b.meta), def.meta ?? {});
  if (def.meta && !("ordering" in def.meta) && bases.length === 0) {
    // nothing inherited: keep Django's default (no ordering)
  }

  const Model = class extends ModelBase {} as unknown as AnyModel & { prototype: object };
  Object.defineProperty(Model, "name", { value: objectName });

  const meta = buildMeta(Model, appLabel, objectName, allSpecs, metaOptions);
  const DoesNotExist = class extends ObjectDoesNotExist {};
  Object.defineProperty(DoesNotExist, "name", { value: `${objectName}.DoesNotExist` });
  const Multiple = class extends MultipleObjectsReturned {};
  Object.defineProperty(Multiple, "name", { value: `${objectName}.MultipleObjectsReturned` });
  Object.defineProperties(Model, {
    meta: { value: meta, enumerable: true },
    DoesNotExist: { value: DoesNotExist },
    MultipleObjectsReturned: { value: Multiple },
  });

  // methods: bases first, then own (own override base, e.g. SoftDelete.delete)
  for (const b of bases)
    Object.defineProperties(Model.prototype, Object.getOwnPropertyDescriptors(b.methods));
  if (def.methods) Object.defineProperties(Model.prototype, Object.getOwnPropertyDescriptors(def.methods));
  installRelationAccessors(Model);

  const qsMethods: object = Object.assign({}, ...bases.map((b) => b.querySet), def.querySet ?? {});
  const objects = QuerySet.forModel(Model, qsMethods);
  Object.defineProperty(Model, "objects", { value: objects, enumerable: true });
  for (const [name, build] of Object.entries(def.managers ?? {}) as [string, (qs: unknown) => unknown][]) {
    Object.defineProperty(Model, name, { value: build(objects), enumerable: true });
  }

  registerModel(Model);
  for (const f of meta.allFields as FieldMetaWithSpec[]) if (f.isRelation) addPendingRelation(Model, f);
  // resolve now when targets already exist (registerModel ran before the fields were queued)
  registerModel(Model);
  return Model as unknown as ModelClass<WithPk<BaseFields<B> & F>, BaseMethods<B> & M, MG, QM>;
}

type ProxyParent = AnyModel & { readonly fieldSpecs: Fields };
type ParentInstance<P> = P extends abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: matching any constructor signature
  ...args: any
) => infer I
  ? I
  : never;

/** The custom QuerySet methods of a model's default manager. */
type QuerySetMethodsOf<P extends ProxyParent> = Omit<P["objects"], keyof QuerySet<unknown, Fields>>;

export type ProxyClass<P extends ProxyParent, M, MG extends string, QM> = {
  new (data?: CreateInput<P["fieldSpecs"]>): ParentInstance<P> & M;
  readonly prototype: ParentInstance<P> & M;
  readonly meta: import("./types.js").ModelMeta;
  readonly objects: QuerySet<ParentInstance<P> & M, P["fieldSpecs"]> & QuerySetMethodsOf<P> & QM;
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
  readonly fieldSpecs: P["fieldSpecs"];
} & { readonly [K in MG]: QuerySet<ParentInstance<P> & M, P["fieldSpecs"]> & QuerySetMethodsOf<P> & QM };

export interface ProxyDefinition<P extends ProxyParent, M, MG extends string, QM> {
  /** ordering, verbose names; the table and fields are the parent's */
  meta?: Pick<MetaOptions, "ordering" | "verboseName" | "verboseNamePlural">;
  methods?: M & ThisType<ParentInstance<P> & M>;
  managers?: Record<
    MG,
    (qs: QuerySet<AnyInstance, P["fieldSpecs"]>) => QuerySet<AnyInstance, P["fieldSpecs"]>
  >;
  querySet?: QM & ThisType<QuerySet<ParentInstance<P> & M, P["fieldSpecs"]> & QM>;
}

/**
 * Django's proxy model: the parent's table and fields, other managers, ordering
 * and methods. Instances are `instanceof` the parent.
 */
export function defineProxy<
  P extends ProxyParent,
  M extends object = {},
  MG extends string = never,
  QM extends object = {},
>(label: string, parent: P, def: ProxyDefinition<P, M, MG, QM> = {}): ProxyClass<P, M, MG, QM> {
  const [appLabel, objectName] = splitLabel(label);
  const Parent = parent as unknown as new (...args: unknown[]) => object;
  const Model = class extends Parent {} as unknown as AnyModel & { prototype: object };
  Object.defineProperty(Model, "name", { value: objectName });
  const pm = parent.meta;
  const verboseName =
    def.meta?.verboseName ?? objectName.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  const meta = {
    ...pm,
    label: `${appLabel}.${objectName}`,
    appLabel,
    modelName: objectName.toLowerCase(),
    objectName,
    ordering: def.meta?.ordering ?? pm.ordering,
    verboseName,
    verboseNamePlural: def.meta?.verboseNamePlural ?? `${verboseName}s`,
    proxy: true,
    concreteModel: pm.concreteModel,
  };
  const DoesNotExist = class extends parent.DoesNotExist {};
  Object.defineProperty(DoesNotExist, "name", { value: `${objectName}.DoesNotExist` });
  const Multiple = class extends parent.MultipleObjectsReturned {};
  Object.defineProperty(Multiple, "name", { value: `${objectName}.MultipleObjectsReturned` });
  Object.defineProperties(Model, {
    meta: { value: meta, enumerable: true },
    DoesNotExist: { value: DoesNotExist },
    MultipleObjectsReturned: { value: Multiple },
  });
  if (def.methods) Object.defineProperties(Model.prototype, Object.getOwnPropertyDescriptors(def.methods));
  // custom QuerySet methods: the parent's, then the proxy's
  const parentMethods = Object.getPrototypeOf(parent.objects) as object;
  const qsMethods: Record<string, PropertyDescriptor> = {};
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(parentMethods))) qsMethods[k] = d;
  const methods = Object.defineProperties({}, qsMethods);
  if (def.querySet) Object.defineProperties(methods, Object.getOwnPropertyDescriptors(def.querySet));
  const objects = QuerySet.forModel(Model, methods);
  Object.defineProperty(Model, "objects", { value: objects, enumerable: true });
  for (const [name, build] of Object.entries(def.managers ?? {}) as [string, (qs: unknown) => unknown][]) {
    Object.defineProperty(Model, name, { value: build(objects), enumerable: true });
  }
  registerModel(Model);
  return Model as unknown as ProxyClass<P, M, MG, QM>;
}

export type ChildClass<P extends ProxyParent, F, M, MG extends string, QM> = {
  new (data?: CreateInput<P["fieldSpecs"] & F>): ParentInstance<P> & Instance<F, M>;
  readonly prototype: ParentInstance<P> & Instance<F, M>;
  readonly meta: import("./types.js").ModelMeta;
  readonly objects: QuerySet<ParentInstance<P> & Instance<F, M>, P["fieldSpecs"] & F> & QM;
  readonly DoesNotExist: typeof ObjectDoesNotExist;
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
  readonly fieldSpecs: P["fieldSpecs"] & F;
} & { readonly [K in MG]: QuerySet<ParentInstance<P> & Instance<F, M>, P["fieldSpecs"] & F> & QM };

export interface ChildDefinition<P extends ProxyParent, F extends Fields, M, MG extends string, QM> {
  fields: F;
  meta?: MetaOptions;
  methods?: M & ThisType<ParentInstance<P> & Instance<F, M>>;
  managers?: Record<
    MG,
    (qs: QuerySet<AnyInstance, P["fieldSpecs"] & F>) => QuerySet<AnyInstance, P["fieldSpecs"] & F>
  >;
  querySet?: QM & ThisType<QuerySet<ParentInstance<P> & Instance<F, M>, P["fieldSpecs"] & F> & QM>;
}

/**
 * Multi-table inheritance (Django's `class Child(Parent)` with a concrete parent):
 * the child's table holds its own fields and a one-to-one `<parent>_ptr` primary key;
 * the parent's fields are read (joined), filtered and saved through the child.
 */
export function defineChild<
  P extends ProxyParent,
  const F extends Fields,
  M extends object = {},
  MG extends string = never,
  QM extends object = {},
>(label: string, parent: P, def: ChildDefinition<P, F, M, MG, QM>): ChildClass<P, F, M, MG, QM> {
  const [appLabel, objectName] = splitLabel(label);
  const pm = parent.meta;
  const ptrName = `${pm.modelName}_ptr`;
  const specs: Record<string, AnyField> = {
    [ptrName]: OneToOneField(() => parent, {
      onDelete: CASCADE,
      primaryKey: true,
      relatedName: objectName.toLowerCase(),
      editable: false,
    }),
    ...def.fields,
  };
  const Parent = parent as unknown as new (...args: unknown[]) => object;
  const Model = class extends Parent {} as unknown as AnyModel & { prototype: object };
  Object.defineProperty(Model, "name", { value: objectName });
  // ordering may name inherited fields: checked by the query compiler, not against the local fields
  const { ordering, ...metaOptions } = def.meta ?? {};
  const local = buildMeta(Model, appLabel, objectName, specs, metaOptions);
  const ptr = local.fields.find((f) => f.name === ptrName)!;
  const fields = [...pm.fields, ...local.fields];
  const allFields = [...pm.allFields, ...local.allFields];
  const meta = {
    ...local,
    ordering: ordering ?? pm.ordering,
    fields,
    allFields,
    localFields: local.fields,
    manyToMany: [...pm.manyToMany, ...local.manyToMany],
    parents: new Map([[parent as AnyModel, ptr]]),
    getField(name: string) {
      const f = allFields.find((x) => x.name === name) ?? (name === "pk" ? ptr : undefined);
      if (!f) {
        throw new FieldError(
          `${appLabel}.${objectName} has no field named '${name}'. Choices are: ${allFields.map((x) => x.name).join(", ")}`,
        );
      }
      return f;
    },
  };
  const DoesNotExist = class extends parent.DoesNotExist {};
  Object.defineProperty(DoesNotExist, "name", { value: `${objectName}.DoesNotExist` });
  const Multiple = class extends parent.MultipleObjectsReturned {};
  Object.defineProperty(Multiple, "name", { value: `${objectName}.MultipleObjectsReturned` });
  Object.defineProperties(Model, {
    meta: { value: meta, enumerable: true },
    DoesNotExist: { value: DoesNotExist },
    MultipleObjectsReturned: { value: Multiple },
  });
  if (def.methods) Object.defineProperties(Model.prototype, Object.getOwnPropertyDescriptors(def.methods));
  installRelationAccessors(Model);
  const objects = QuerySet.forModel(Model, def.querySet ?? {});
  Object.defineProperty(Model, "objects", { value: objects, enumerable: true });
  for (const [name, build] of Object.entries(def.managers ?? {}) as [string, (qs: unknown) => unknown][]) {
    Object.defineProperty(Model, name, { value: build(objects), enumerable: true });
  }
  registerModel(Model);
  for (const f of local.allFields as FieldMetaWithSpec[]) if (f.isRelation) addPendingRelation(Model, f);
  registerModel(Model);
  return Model as unknown as ChildClass<P, F, M, MG, QM>;
}
