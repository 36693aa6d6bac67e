// ModelSerializer: fields, validators and required-ness derived from the model; create/update on
// the model, nested writes in one transaction.
import type { Validator } from "../fields/field.js";
import { FileField } from "../fields/file.js";
import { ReadOnlyField } from "../fields/special.js";
import { HyperlinkedIdentityField, HyperlinkedRelatedField } from "../relations/fields.js";
import { BaseSerializer, type QueryPlan } from "../serializer/base.js";
import { ListSerializer } from "../serializer/list.js";
import { inTransaction } from "../serializer/transaction.js";
import type { AnyField, FieldMap } from "../serializer/types.js";
import { buildModelField } from "./build-field.js";
import { onlyColumns } from "./columns.js";
import type { FieldMetaLike, ModelLike } from "./model-types.js";
import { writeNested } from "./nested-write.js";
import type { ModelRead, ModelWrite } from "./shapes.js";
import { UniqueTogetherValidator } from "./validators.js";

/** DRF's `class Meta` of a ModelSerializer. */
export interface ModelSerializerMeta<M extends ModelLike, L extends readonly string[] | "__all__"> {
  model: M;
  fields?: L;
  exclude?: readonly string[];
  readOnlyFields?: readonly string[];
  /** Extra options per field (`{ url: { viewName: "product-detail" }, password: { writeOnly: true } }`). */
  extraKwargs?: Record<string, Record<string, unknown>>;
  /** Nest related objects this many levels deep (read-only), instead of primary keys. */
  depth?: number;
  /** Serializer-level validators; by default the model's unique_together. */
  // biome-ignore lint/suspicious/noExplicitAny: validators receive this serializer's attrs
  validators?: readonly Validator<any>[];
}

type InstanceOfModel<M> = M extends abstract new (...args: never[]) => infer I ? I : Record<string, unknown>;

const ALL = "__all__";
const queryPlans = new WeakMap<object, QueryPlan>();

export class ModelSerializer<
  R = Record<string, unknown>,
  W = Record<string, unknown>,
  I = unknown,
> extends BaseSerializer<R, W, I> {
  static meta: ModelSerializerMeta<ModelLike, readonly string[] | "__all__"> | undefined;
  /** What a field named in `fields` that is a relation becomes (HyperlinkedModelSerializer: URLs). */
  static relationStyle: "pk" | "hyperlink" = "pk";

  /**
   * A model serializer class: `class ProductSerializer extends ModelSerializer.of({ model: Product,
   * fields: ["id", "name"] }) {}`; declared fields (second argument) win over model fields.
   */
  static of<
    M extends ModelLike,
    const L extends readonly string[] | "__all__",
    const D extends FieldMap = {},
    const RO extends readonly string[] = [],
  >(
    meta: ModelSerializerMeta<M, L> & { readOnlyFields?: RO },
    declared?: D,
  ): typeof ModelSerializer<ModelRead<M, L, D>, ModelWrite<M, L, D, RO>, InstanceOfModel<M>> {
    return class extends ModelSerializer<ModelRead<M, L, D>, ModelWrite<M, L, D, RO>, InstanceOfModel<M>> {
      static override meta = meta as ModelSerializerMeta<ModelLike, readonly string[] | "__all__">;
      static override declaredFields: FieldMap = declared ?? {};
    };
  }

  static override buildFields(): AnyField[] {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own Meta)
    return fieldsOf(this);
  }

  /**
   * The relations to join and prefetch, plus `only`: the columns the representation reads, so a
   * view loads no column it does not render. Computed once per class.
   */
  static override queryPlan(): QueryPlan {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own Meta)
    return queryPlanOf(this);
  }

  // biome-ignore lint/suspicious/noExplicitAny: see Meta.validators
  static override buildValidators(): readonly Validator<any>[] {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own Meta)
    return validatorsOf(this);
  }

  protected get model(): ModelLike {
    return (this.constructor as typeof ModelSerializer).meta!.model;
  }

  /** DRF's ModelSerializer.create: the row, many-to-many values, nested objects, in one transaction. */
  override create(validatedData: W): I | Promise<I> {
    return inTransaction(() =>
      writeNested(this.model, this.plan.writable, null, validatedData as Record<string, unknown>),
    ) as Promise<I>;
  }

  /** DRF's ModelSerializer.update: set attributes, save, many-to-many and nested, in one transaction. */
  override update(instance: I, validatedData: W): I | Promise<I> {
    return inTransaction(() =>
      writeNested(
        this.model,
        this.plan.writable,
        instance as object,
        validatedData as Record<string, unknown>,
      ),
    ) as Promise<I>;
  }

  /**
   * many=True create: plain rows (no nested, many-to-many or file values, create() not
   * overridden) go in with one INSERT (the model's bulkCreate); others are created one by one.
   */
  async bulkCreate(items: W[]): Promise<I[]> {
    const m = this.model.meta;
    const m2m = new Set(m.manyToMany.map((f) => f.name));
    const plain =
      this.create === ModelSerializer.prototype.create &&
      !this.plan.writable.some(
        (f) =>
          f instanceof BaseSerializer ||
          f instanceof ListSerializer ||
          f instanceof FileField ||
          m2m.has(f.sourceAttrs[0] ?? ""),
      );
    if (!plain) {
      const out: I[] = [];
      for (const item of items) out.push(await this.create(item));
      return out;
    }
    // a model class is a constructor of unsaved instances (ModelLike only describes what is read)
    const Model = this.model as unknown as new (data: Record<string, unknown>) => object;
    return (await this.model.objects.bulkCreate(
      items.map((d) => new Model(d as Record<string, unknown>)),
    )) as I[];
  }

  override async save(
    extra: Partial<Record<keyof W | (string & {}), unknown>> = {},
  ): Promise<Awaited<ReturnType<this["create"]>>> {
    return inTransaction(() => super.save(extra));
  }
}

function queryPlanOf(cls: typeof ModelSerializer): QueryPlan {
  let plan = queryPlans.get(cls);
  if (!plan) {
    plan = BaseSerializer.queryPlan.call(cls);
    if (cls.meta) {
      const only = onlyColumns(cls.meta.model, cls.getPlan().readable);
      if (only) plan.only = only;
      plan.model = cls.meta.model;
    }
    queryPlans.set(cls, plan);
  }
  return plan;
}

function fieldsOf(cls: typeof ModelSerializer): AnyField[] {
  const meta = cls.meta;
  if (!meta) throw new Error(`${cls.name} has no Meta: use ModelSerializer.of({ model, fields })`);
  return buildAll(meta, cls.declaredFields, cls.relationStyle, cls.name);
}

/** Meta.validators, else the model's unique_together groups whose fields are all written. */
// biome-ignore lint/suspicious/noExplicitAny: see Meta.validators
function validatorsOf(cls: typeof ModelSerializer): readonly Validator<any>[] {
  const meta = cls.meta;
  if (!meta) return [];
  if (meta.validators) return meta.validators;
  const written = new Set(
    fieldsOf(cls)
      .filter((f) => !f.readOnly)
      .map((f) => f.sourceAttrs[0] ?? ""),
  );
  return meta.model.meta.uniqueTogether
    .filter((group) => group.every((f) => written.has(f)))
    .map((fields) => new UniqueTogetherValidator({ queryset: meta.model.objects, fields }));
}

/** The fields of a ModelSerializer, in `fields` order (DRF's get_fields). */
function buildAll(
  meta: ModelSerializerMeta<ModelLike, readonly string[] | "__all__">,
  declared: FieldMap,
  style: "pk" | "hyperlink",
  serializerName: string,
): AnyField[] {
  const model = meta.model;
  const m = model.meta;
  const byName = new Map<string, FieldMetaLike>();
  for (const f of [...m.fields, ...m.manyToMany]) byName.set(f.name, f);
  const attnames = new Map<string, FieldMetaLike>();
  for (const f of m.fields) if (f.attname !== f.name) attnames.set(f.attname, f);

  let names: string[];
  if (meta.fields === undefined || meta.fields === ALL) {
    names = [
      ...(style === "hyperlink" ? ["url"] : []),
      ...m.fields.map((f) => f.name),
      ...m.manyToMany.map((f) => f.name),
    ];
    for (const d of Object.keys(declared)) if (!names.includes(d)) names.push(d);
  } else {
    names = [...meta.fields];
    for (const d of Object.keys(declared))
      if (!names.includes(d))
        throw new Error(
          `The field '${d}' was declared on serializer ${serializerName || `${m.objectName}Serializer`}, but has not been included in the 'fields' option.`,
        );
  }
  if (meta.exclude) names = names.filter((n) => !meta.exclude!.includes(n));
  if (meta.fields === undefined && !meta.exclude)
    throw new Error(
      `Creating a ModelSerializer without either \`fields\` or \`exclude\` is not allowed (${m.objectName}).`,
    );

  const readOnly = new Set(meta.readOnlyFields ?? []);
  const depth = meta.depth ?? 0;
  return names.map((name) => {
    const extra: Record<string, unknown> = { ...(meta.extraKwargs?.[name] ?? {}) };
    if (readOnly.has(name)) extra.readOnly = true;
    const decl = declared[name];
    if (decl) {
      const bound = decl.bind(name);
      const related = manyToManyTarget(model, name);
      if (bound instanceof ListSerializer && !bound.readOnly && related) {
        const isPk = pkLike(related);
        bound.matchRows = (pks) => related.objects.filter({ pk__in: pks.filter(isPk) });
      }
      return bound;
    }
    if (name === "url" && style === "hyperlink")
      return new HyperlinkedIdentityField({
        viewName: `${m.modelName}-detail`,
        ...(extra as object),
      } as { viewName: string }).bind(name);
    const fieldMeta = byName.get(name);
    if (fieldMeta) {
      if (fieldMeta.isRelation && depth > 0) return nestedReadOnly(fieldMeta, depth, style).bind(name);
      if (fieldMeta.isRelation && style === "hyperlink") {
        const related = fieldMeta.relatedModel!();
        return new HyperlinkedRelatedField({
          viewName: `${related.meta.modelName}-detail`,
          queryset: related.objects,
          many: fieldMeta.manyToMany,
          ...(modelKw(model, fieldMeta, extra) as object),
        }).bind(name);
      }
      return buildModelField(model, fieldMeta, extra).bind(name);
    }
    const fk = attnames.get(name);
    // `category_id` in fields: the foreign key by its id, written to the relation
    if (fk) return buildModelField(model, fk, { source: fk.name, ...extra }).bind(name);
    const reverse = m.relatedObjects.find((r) => r.name === name);
    if (reverse) {
      const many = reverse.multiple;
      return buildReverse(reverse.relatedModel, many, extra).bind(name);
    }
    if (name in (model.prototype as object) || hasInstanceProperty(model, name))
      return new ReadOnlyField({ ...(extra as object) }).bind(name);
    throw new Error(`Field name \`${name}\` is not valid for model \`${m.objectName}\`.`);
  });
}

/** The model on the other side of a many-to-many relation `name` (forward or reverse). */
function manyToManyTarget(model: ModelLike, name: string): ModelLike | undefined {
  const forward = model.meta.manyToMany.find((f) => f.name === name);
  if (forward) return forward.relatedModel!();
  const reverse = model.meta.relatedObjects.find((r) => r.name === name && r.field.manyToMany);
  return reverse?.relatedModel;
}

const INTEGER_PK = /^(Small|Big)?AutoField$|^(Big)?IntegerField$/;

/** Values that can be a pk of `model` (so a lookup never sends "abc" to an integer column). */
function pkLike(model: ModelLike): (pk: unknown) => boolean {
  if (!INTEGER_PK.test(model.meta.pk.type)) return (pk) => typeof pk === "string" || typeof pk === "number";
  return (pk) =>
    (typeof pk === "number" && Number.isSafeInteger(pk)) || (typeof pk === "string" && /^\d{1,15}$/.test(pk));
}

function modelKw(
  model: ModelLike,
  meta: FieldMetaLike,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const built = buildModelField(model, meta, extra);
  return {
    ...built.options,
    queryset: undefined,
    ...(built.readOnly ? {} : { queryset: meta.relatedModel!().objects }),
  };
}

function buildReverse(related: ModelLike, many: boolean, extra: Record<string, unknown>): AnyField {
  return buildModelField(
    related,
    {
      ...related.meta.pk,
      name: related.meta.pk.name,
      type: "ManyToManyField",
      isRelation: true,
      manyToMany: many,
      relatedModel: () => related,
    },
    { readOnly: true, ...extra },
  );
}

/** depth > 0: the related object as a nested read-only ModelSerializer of all its fields. */
function nestedReadOnly(meta: FieldMetaLike, depth: number, style: "pk" | "hyperlink"): AnyField {
  const related = meta.relatedModel!();
  const Base = style === "hyperlink" ? HyperlinkedModelSerializer : ModelSerializer;
  const Nested = class extends Base {
    static override meta = { model: related, fields: ALL as "__all__", depth: depth - 1 };
  };
  return new Nested({ readOnly: true, many: meta.manyToMany });
}

function hasInstanceProperty(model: ModelLike, name: string): boolean {
  let proto: object | null = model.prototype;
  while (proto && proto !== Object.prototype) {
    if (Object.getOwnPropertyDescriptor(proto, name)) return true;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return false;
}

/** Relations as URLs and a `url` identity field (view names `<model>-detail`). */
export class HyperlinkedModelSerializer<
  R = Record<string, unknown>,
  W = Record<string, unknown>,
  I = unknown,
> extends ModelSerializer<R, W, I> {
  static override relationStyle: "pk" | "hyperlink" = "hyperlink";

  static override of<
    M extends ModelLike,
    const L extends readonly string[] | "__all__",
    const D extends FieldMap = {},
    const RO extends readonly string[] = [],
  >(
    meta: ModelSerializerMeta<M, L> & { readOnlyFields?: RO },
    declared?: D,
  ): typeof HyperlinkedModelSerializer<ModelRead<M, L, D>, ModelWrite<M, L, D, RO>, InstanceOfModel<M>> {
    return class extends HyperlinkedModelSerializer<
      ModelRead<M, L, D>,
      ModelWrite<M, L, D, RO>,
      InstanceOfModel<M>
    > {
      static override meta = meta as ModelSerializerMeta<ModelLike, readonly string[] | "__all__">;
      static override declaredFields: FieldMap = declared ?? {};
    };
  }
}
