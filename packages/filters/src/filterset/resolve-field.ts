import type { FieldLike, ModelLike } from "../ports.js";

/** A model field by name: concrete fields, many-to-many fields, `pk`; undefined when there is none. */
export function findField(model: ModelLike, name: string): FieldLike | undefined {
  const meta = model.meta;
  if (name === "pk") return meta.pk;
  const field = meta.fields.find((f) => f.name === name) ?? meta.manyToMany?.find((f) => f.name === name);
  if (field) return field;
  try {
    return meta.getField(name);
  } catch {
    return undefined;
  }
}

function fieldNames(model: ModelLike): string[] {
  return [...model.meta.fields, ...(model.meta.manyToMany ?? [])].map((f) => f.name);
}

export interface ResolvedPath {
  /** The field at the end of the path. */
  field: FieldLike;
  /** The path crosses a many-to-many or reverse relation (rows may repeat without DISTINCT). */
  toMany: boolean;
}

/** Walks `category__name` through relations; undefined when a segment is not a field. */
export function resolvePath(model: ModelLike, path: string): ResolvedPath | undefined {
  let current: ModelLike = model;
  let toMany = false;
  const segments = path.split("__");
  for (const [index, segment] of segments.entries()) {
    const field = findField(current, segment);
    if (!field) return undefined;
    if (field.manyToMany || field.type === "ManyToManyField") toMany = true;
    if (index === segments.length - 1) return { field, toMany };
    const related = field.relatedModel?.();
    if (!related) return undefined;
    current = related;
  }
  return undefined;
}

/** Like resolvePath but throws Django's FieldError wording for a field that does not exist. */
export function requirePath(model: ModelLike, path: string): ResolvedPath {
  const resolved = resolvePath(model, path);
  if (resolved) return resolved;
  throw new Error(
    `Cannot resolve keyword '${path}' into field of ${model.meta.label}. Choices are: ${fieldNames(model).join(", ")}`,
  );
}
