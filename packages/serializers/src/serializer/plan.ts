// The per-class field plan: bound fields split into readable/writable, computed once per class.
import type { Validator } from "../fields/field.js";
import type { AnyField } from "./types.js";

export interface FieldPlan {
  readonly fields: readonly AnyField[];
  readonly readable: readonly AnyField[];
  readonly writable: readonly AnyField[];
  readonly byName: ReadonlyMap<string, AnyField>;
  /** field name → its validate_<field> hook exists on the class */
  readonly hooks: ReadonlySet<string>;
  /** serializer-level validators (unique together, Meta validators) */
  // biome-ignore lint/suspicious/noExplicitAny: validators receive the validated attrs of any serializer
  readonly validators: readonly Validator<any>[];
}

export function makePlan(
  fields: readonly AnyField[],
  proto: object,
  // biome-ignore lint/suspicious/noExplicitAny: see FieldPlan.validators
  validators: readonly Validator<any>[],
): FieldPlan {
  const hooks = new Set<string>();
  for (const f of fields)
    if (typeof (proto as Record<string, unknown>)[`validate_${f.fieldName}`] === "function")
      hooks.add(f.fieldName);
  return {
    fields,
    readable: fields.filter((f) => !f.writeOnly),
    writable: fields.filter((f) => !f.readOnly),
    byName: new Map(fields.map((f) => [f.fieldName, f])),
    hooks,
    validators,
  };
}

const restricted = new WeakMap<FieldPlan, Map<string, FieldPlan>>();

/** Keep `only` (construction-time `fields`) and drop `exclude`: the dynamic-fields serializer. */
export function restrictPlan(
  plan: FieldPlan,
  proto: object,
  only?: readonly string[],
  exclude?: readonly string[],
): FieldPlan {
  if (!only && !exclude) return plan;
  // the same selection is asked for on every request: reuse its plan (and its compiled renderer)
  const key = `${only ? only.join(",") : "*"}|${exclude ? exclude.join(",") : ""}`;
  let byKey = restricted.get(plan);
  if (!byKey) {
    byKey = new Map();
    restricted.set(plan, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const keep = only ? new Set(only) : null;
  const drop = new Set(exclude ?? []);
  const made = makePlan(
    plan.fields.filter((f) => (!keep || keep.has(f.fieldName)) && !drop.has(f.fieldName)),
    proto,
    plan.validators,
  );
  if (byKey.size < 256) byKey.set(key, made);
  return made;
}

/** Write a validated value at its source path (`"a.b"` nests, `"*"` merges). */
export function setValue(target: Record<string, unknown>, attrs: readonly string[], value: unknown): void {
  if (attrs.length === 0) {
    Object.assign(target, value as object);
    return;
  }
  let t = target;
  for (let i = 0; i < attrs.length - 1; i++) {
    const k = attrs[i]!;
    t[k] ??= {};
    t = t[k] as Record<string, unknown>;
  }
  t[attrs[attrs.length - 1]!] = value;
}
