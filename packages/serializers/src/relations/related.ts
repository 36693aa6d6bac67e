// RelatedField: the common part of relation fields (queryset lookups, many=True, the `_id` shortcut).
import type { RunState, SerializerContext } from "../context.js";
import { type ErrorDetail, ValidationError } from "../errors.js";
import { Field, type FieldOptions, type JsonSchema, type PlanPaths, readAttr } from "../fields/field.js";
import { pythonType } from "../fields/python.js";
import { iterate } from "../serializer/list.js";
import { loadRelated } from "./batch.js";
import type { QuerySetLike } from "./queryset.js";

export interface RelatedFieldOptions<T> extends FieldOptions {
  /** Where written values are looked up; required unless readOnly. */
  queryset?: QuerySetLike<T>;
  /** A list of related objects (DRF's ManyRelatedField). */
  many?: boolean;
  allowEmpty?: boolean;
}

type Many<O, V> = O extends { many: true } ? V[] : V;

/**
 * A relation field. Subclasses say how a related object is written (`toKey`/`lookupKwargs`) and
 * represented (`represent`); lookups for many=True run as one `__in` query.
 */
export abstract class RelatedField<T, Rep, O extends RelatedFieldOptions<T>> extends Field<
  Many<O, Rep>,
  Many<O, T>,
  O
> {
  protected override defaultMessages(): Record<string, string> {
    return {
      not_a_list: 'Expected a list of items but got type "{input_type}".',
      empty: "This list may not be empty.",
    };
  }

  get many(): boolean {
    return this.options.many === true;
  }

  override get syncRepresentation(): boolean {
    return !this.many;
  }

  /** The lookup field of the queryset (pk, the slug field...). */
  protected abstract get lookupField(): string;
  /** Check and normalise one input value into the lookup value (throws ValidationError). */
  protected abstract toKey(data: unknown, context: SerializerContext): unknown;
  /** The error for a value that matches no object. */
  protected abstract notFound(data: unknown): never;
  /** One related object → its representation. */
  protected abstract represent(related: unknown, context: SerializerContext): Rep;
  /** The key an object is matched by after a `__in` query. */
  protected keyOf(obj: unknown): unknown {
    return readAttr(obj, this.lookupField);
  }

  protected buildSchema(): never {
    throw new Error("Relation fields validate through the database");
  }

  override async toInternalValue(data: unknown, state: RunState): Promise<Many<O, T>> {
    const qs = this.options.queryset;
    if (!qs)
      throw new Error(
        `Relational field "${this.fieldName}" must provide a \`queryset\` option or set readOnly.`,
      );
    if (!this.many) {
      const key = this.toKey(data, state.context);
      const found = await loadRelated(state.context, qs, this.lookupField, key, (r) => this.keyOf(r));
      if (found === undefined) this.notFound(data);
      return found as Many<O, T>;
    }
    if (!Array.isArray(data)) this.fail("not_a_list", { input_type: pythonType(data) });
    if (data.length === 0 && this.options.allowEmpty === false) this.fail("empty");
    // each item's type errors keyed by index, then one query for all of them
    const keys: unknown[] = [];
    const detail: Record<string, ErrorDetail> = {};
    const codes: Record<string, ErrorDetail> = {};
    let failed = false;
    data.forEach((item, i) => {
      try {
        keys.push(this.toKey(item, state.context));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        failed = true;
        detail[i] = e.detail;
        codes[i] = e.codes;
      }
    });
    if (failed) throw ValidationError.fromTree(detail, codes);
    if (keys.length === 0) return [] as unknown as Many<O, T>;
    const rows = await qs.filter({ [`${this.lookupField}__in`]: keys });
    const byKey = new Map(rows.map((r) => [String(this.keyOf(r)), r]));
    return keys.map((k, i) => {
      const row = byKey.get(String(k));
      if (row === undefined) this.notFound(data[i]);
      return row;
    }) as Many<O, T>;
  }

  override toRepresentation(
    value: unknown,
    context: SerializerContext,
  ): Many<O, Rep> | Promise<Many<O, Rep>> {
    if (!this.many) return this.represent(value, context) as Many<O, Rep>;
    const items = iterate(value);
    if (items instanceof Promise) return items.then((list) => this.representAll(list, context));
    return this.representAll(items, context);
  }

  private representAll(list: unknown[], context: SerializerContext): Many<O, Rep> {
    return list.map((x) => this.represent(x, context)) as Many<O, Rep>;
  }

  override collectPlan(prefix: string, paths: PlanPaths): void {
    const path = prefix + this.sourceAttrs.join("__");
    if (!this.sourceAttrs.length) return;
    if (this.many) paths.prefetch.add(path);
    else if (this.needsObject()) paths.select.add(path);
    else if (this.sourceAttrs.length > 1) paths.select.add(prefix + this.sourceAttrs.slice(0, -1).join("__"));
  }

  /** False when the representation only needs the foreign key column (`author_id`). */
  protected needsObject(): boolean {
    return true;
  }

  protected itemSchema(): JsonSchema {
    return {};
  }

  protected override typeSchema(): JsonSchema {
    const item = this.itemSchema();
    return this.many ? { type: "array", items: item } : item;
  }
}

/** Read `<attr>_id` instead of loading the relation when only the key is needed (DRF's PKOnlyObject). */
export function fkValue(field: Field, instance: unknown): { pk: unknown } | undefined {
  const attrs = field.sourceAttrs;
  if (attrs.length === 0) return undefined;
  let owner: unknown = instance;
  for (let i = 0; i < attrs.length - 1; i++) {
    if (owner == null) return undefined;
    owner = readAttr(owner, attrs[i]!);
  }
  if (owner == null || typeof owner !== "object") return undefined;
  const idAttr = idAttrOf(attrs);
  if (!(idAttr in owner)) return undefined;
  const id = (owner as Record<string, unknown>)[idAttr];
  return id == null ? undefined : { pk: id };
}

/** `<last attr>_id`, made once per bound source (bind() gives each field its own array). */
const idAttrs = new WeakMap<readonly string[], string>();
function idAttrOf(attrs: readonly string[]): string {
  let name = idAttrs.get(attrs);
  if (name === undefined) {
    name = `${attrs[attrs.length - 1]}_id`;
    idAttrs.set(attrs, name);
  }
  return name;
}
