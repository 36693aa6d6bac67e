// All concrete models by label; resolves lazy relation targets and wires reverse relations.
import { FieldError } from "../errors.js";
import type { AnyModel, FieldMetaWithSpec } from "./internal.js";

const models = new Map<string, AnyModel>();
const pending: { model: AnyModel; field: FieldMetaWithSpec }[] = [];
type Resolver = (model: AnyModel, field: FieldMetaWithSpec, target: AnyModel) => void;
let onResolved: Resolver = () => {};

export function setRelationResolver(fn: Resolver): void {
  onResolved = fn;
}

export function registerModel(model: AnyModel): void {
  models.set(model.meta.label.toLowerCase(), model);
  resolvePending();
}

/** Takes a label out of the registry (migrations' historical models are registered only while being defined). */
export function unregisterModel(label: string): void {
  models.delete(label.toLowerCase());
}

export function getModel(label: string): AnyModel {
  const m = models.get(label.toLowerCase());
  if (!m) throw new FieldError(`Model "${label}" is not defined (known: ${[...models.keys()].join(", ")})`);
  return m;
}

export function allModels(): AnyModel[] {
  return [...new Set(models.values())];
}

export function addPendingRelation(model: AnyModel, field: FieldMetaWithSpec): void {
  pending.push({ model, field });
}

function tryTarget(model: AnyModel, field: FieldMetaWithSpec): AnyModel | undefined {
  const target = field.spec.target;
  if (target === "self") return model;
  if (typeof target === "string") {
    const label = target.includes(".") ? target : `${model.meta.appLabel}.${target}`;
    return models.get(label.toLowerCase());
  }
  try {
    return target?.() ?? undefined;
  } catch (err) {
    // a thunk naming a model whose `const` is not initialised yet
    if (err instanceof ReferenceError) return undefined;
    throw err;
  }
}

/** Resolves every relation whose target now exists. */
export function resolvePending(): void {
  for (let i = 0; i < pending.length; ) {
    const p = pending[i]!;
    const target = tryTarget(p.model, p.field);
    if (target) {
      pending.splice(i, 1);
      onResolved(p.model, p.field, target);
    } else i++;
  }
}

/** Throws naming unresolved relations (called before the first query). */
export function ensureResolved(): void {
  if (pending.length === 0) return;
  resolvePending();
  if (pending.length > 0) {
    const names = pending.map(
      (p) => `${p.model.meta.label}.${p.field.name} → ${String(p.field.spec.target)}`,
    );
    throw new FieldError(`Unresolved related models: ${names.join(", ")}`);
  }
}
