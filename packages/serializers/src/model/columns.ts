// The `only(...)` part of a ModelSerializer's queryPlan(): the columns its representation reads,
// per table it reaches through selectRelated. Anything it cannot see through (a model property or
// method, a method field, the whole object) loads every column of that table, unless the field
// declares what it reads (`requires`).
import { SerializerMethodField } from "../fields/special.js";
import {
  HyperlinkedIdentityField,
  HyperlinkedRelatedField,
  StringRelatedField,
} from "../relations/fields.js";
import { RelatedField } from "../relations/related.js";
import { BaseSerializer } from "../serializer/base.js";
import { ListSerializer } from "../serializer/list.js";
import type { AnyField } from "../serializer/types.js";
import type { FieldMetaLike, ModelLike } from "./model-types.js";

/** Columns per joined table: "" is the queryset's model, "category" the one selectRelated joins. */
type Levels = Map<string, Set<string> | "all">;

const ALL = "all" as const;

/**
 * The field names for `only()`, or undefined when the model's own columns cannot be narrowed
 * and no joined table can either (then the view loads whole rows, as without a plan).
 */
export function onlyColumns(model: ModelLike, readable: readonly AnyField[]): string[] | undefined {
  const levels: Levels = new Map([["", new Set<string>()]]);
  readFields(model, "", readable, levels);
  // a table whose every column is read is not narrowed (and not spelled out column by column)
  for (const [path, cols] of levels) {
    const m = path ? levelModel(model, path) : model;
    if (cols !== ALL && m.meta.fields.every((f) => f.primaryKey || cols.has(f.name))) levels.set(path, ALL);
  }
  const root = levels.get("")!;
  const out: string[] = [];
  if (root === ALL) {
    const narrowed = [...levels.entries()].some(([path, cols]) => path !== "" && cols !== ALL);
    if (!narrowed) return undefined;
    // a joined table can still be narrowed: name every column of the model itself
    out.push(...model.meta.fields.map((f) => f.name));
  } else {
    out.push(model.meta.pk.name);
    for (const c of root) if (c !== model.meta.pk.name) out.push(c);
  }
  for (const [path, cols] of levels) {
    // a joined table with no entry loads all its columns (models' only() rule)
    if (path === "" || cols === ALL) continue;
    for (const c of cols) out.push(`${path}__${c}`);
  }
  return out;
}

function levelModel(model: ModelLike, path: string): ModelLike {
  let m = model;
  for (const step of path.split("__")) m = joinable(m, step)!;
  return m;
}

function readFields(model: ModelLike, level: string, fields: readonly AnyField[], levels: Levels): void {
  for (const f of fields) readField(model, level, f, levels);
}

function use(levels: Levels, level: string, column: string): void {
  const cols = levels.get(level);
  if (cols === ALL) return;
  if (cols) cols.add(column);
  else levels.set(level, new Set([column]));
}

function useAll(levels: Levels, level: string): void {
  levels.set(level, ALL);
}

const sub = (level: string, name: string) => (level ? `${level}__${name}` : name);

function concrete(model: ModelLike, name: string): FieldMetaLike | undefined {
  return model.meta.fields.find((f) => f.name === name || f.attname === name);
}

/** A forward FK / one-to-one or a reverse one-to-one: a table selectRelated can join. */
function joinable(model: ModelLike, name: string): ModelLike | undefined {
  const forward = model.meta.fields.find((f) => f.name === name && f.isRelation);
  if (forward) return forward.relatedModel!();
  const reverse = model.meta.relatedObjects.find((r) => r.name === name && !r.multiple);
  return reverse && !reverse.field.manyToMany ? reverse.relatedModel : undefined;
}

/** A relation loaded by its own query (prefetchRelated): the owner only needs its pk. */
function prefetched(model: ModelLike, name: string): boolean {
  return (
    model.meta.manyToMany.some((f) => f.name === name) ||
    model.meta.relatedObjects.some((r) => r.name === name && (r.multiple || r.field.manyToMany))
  );
}

function declaredRequires(f: AnyField): readonly string[] | undefined {
  if (f instanceof SerializerMethodField) return f.methodOptions.requires;
  return (f.options as { requires?: readonly string[] }).requires;
}

function readField(model: ModelLike, level: string, f: AnyField, levels: Levels): void {
  const requires = declaredRequires(f);
  if (requires) {
    // the field says what it reads: that replaces what its source would tell
    for (const path of requires) readPath(model, level, path.split("__"), levels, "column");
    if (f instanceof SerializerMethodField) readMethodRelations(model, level, f, levels, false);
    return;
  }
  if (f instanceof SerializerMethodField) {
    readMethodRelations(model, level, f, levels, true);
    useAll(levels, level);
    return;
  }

  const attrs = f.sourceAttrs;
  if (f instanceof BaseSerializer || f instanceof ListSerializer) {
    const nested = (f instanceof ListSerializer ? f.child : f) as BaseSerializer;
    const nestedModel = (nested.constructor as { meta?: { model?: ModelLike } }).meta?.model;
    if (attrs.length === 0) {
      // source "*": the nested serializer reads this same object
      if (nestedModel === model && !(f instanceof ListSerializer)) readNested(model, level, nested, levels);
      else useAll(levels, level);
      return;
    }
    const target = readPath(model, level, attrs, levels, "object");
    if (target && !(f instanceof ListSerializer)) {
      if (nestedModel === target.model) readNested(target.model, target.level, nested, levels);
      else useAll(levels, target.level);
    }
    return;
  }

  if (f instanceof HyperlinkedIdentityField) {
    const lookup = f.options.lookupField ?? "pk";
    if (lookup !== "pk") readPath(model, level, [lookup], levels, "column");
    return;
  }
  if (attrs.length === 0) {
    useAll(levels, level);
    return;
  }

  if (f instanceof RelatedField || f instanceof StringRelatedField) {
    if ((f.options as { many?: boolean }).many === true) {
      readPath(model, level, attrs, levels, "object");
      return;
    }
    // what the field reads on the related object: a pk comes from the `<fk>_id` column
    const lookup =
      f instanceof StringRelatedField
        ? undefined
        : f instanceof HyperlinkedRelatedField
          ? (f.options.lookupField ?? "pk")
          : ((f.options as { slugField?: string }).slugField ?? "pk");
    if (lookup === "pk") {
      readPath(model, level, attrs, levels, "column");
      return;
    }
    const target = readPath(model, level, attrs, levels, "object");
    if (!target) return;
    // toString() reads what it likes
    if (lookup === undefined) useAll(levels, target.level);
    else readPath(target.model, target.level, [lookup], levels, "column");
    return;
  }
  readPath(model, level, attrs, levels, "column");
}

/**
 * A method field's `reads`: the foreign keys they follow; the related rows are read whole unless
 * the field's `requires` names what it reads there.
 */
function readMethodRelations(
  model: ModelLike,
  level: string,
  f: SerializerMethodField,
  levels: Levels,
  whole: boolean,
): void {
  const reads = f.methodOptions.reads;
  for (const path of [...(reads?.select ?? []), ...(reads?.prefetch ?? [])]) {
    const target = readPath(model, level, path.split("__"), levels, "object");
    if (target && whole) useAll(levels, target.level);
  }
}

function readNested(model: ModelLike, level: string, nested: BaseSerializer, levels: Levels): void {
  readFields(
    model,
    level,
    [...nested.fields.values()].filter((x) => !x.writeOnly),
    levels,
  );
}

/**
 * Follow a source path from `model` at `level`. Relations that selectRelated joins move to the
 * joined table; the last step is a column (`want: "column"`) or the related object itself
 * (`"object"`: its table is returned so the caller says what it reads there).
 */
function readPath(
  model: ModelLike,
  level: string,
  attrs: readonly string[],
  levels: Levels,
  want: "column" | "object",
): { model: ModelLike; level: string } | undefined {
  let m = model;
  let at = level;
  for (let i = 0; i < attrs.length; i++) {
    const name = attrs[i]!;
    const last = i === attrs.length - 1;
    if (name === "pk") return undefined;
    const field = concrete(m, name);
    const joined = joinable(m, name);
    if (joined && last && want === "column" && !field) return undefined; // a reverse one-to-one's pk
    if (joined && (!last || want === "object") && field?.attname !== name) {
      if (field) use(levels, at, field.name); // the foreign key column the join (or the pk read) uses
      at = sub(at, name);
      m = joined;
      if (last) return { model: m, level: at };
      continue;
    }
    if (field) {
      use(levels, at, field.name);
      return undefined; // a plain column (a dotted path below it reads inside its value)
    }
    if (prefetched(m, name)) return undefined;
    const display = /^get_(.+)_display$/.exec(name);
    if (display && concrete(m, display[1]!)) {
      use(levels, at, concrete(m, display[1]!)!.name);
      return undefined;
    }
    // a model property or method reads what it likes; anything else (an annotation) is no column
    if (name in (m.prototype as object)) useAll(levels, at);
    return undefined;
  }
  return undefined;
}
