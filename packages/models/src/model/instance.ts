// The runtime base of every model class: construction, save, delete, refresh, validation.

import { getDatabase } from "../db/registry.js";
import { collectAndDelete } from "../deletion/collector.js";
import { NON_FIELD_ERRORS, ValidationError, type ValidationMessage } from "../errors.js";
import type { FieldMeta } from "../fields/types.js";
import { isExpression } from "../query/expressions.js";
import { postSave, preSave } from "../signals.js";
import { fieldCleanErrors } from "./clean.js";
import { type AnyInstance, type AnyModel, InstanceState, STATE, stateOf } from "./internal.js";
import { insertInstance, updateInstance } from "./persist.js";
import { relatedManagerFor } from "./related-manager.js";

export interface SaveInstanceOptions {
  updateFields?: readonly string[];
  forceInsert?: boolean;
  forceUpdate?: boolean;
  /** loaddata: save exactly what is given; receivers see `raw: true` */
  raw?: boolean;
}

function emptyValue(f: FieldMeta): unknown {
  // Django: fields that allow empty strings default to "" when not nullable
  if (f.storage === "string" && !f.null && !f.primaryKey) return "";
  return null;
}

export class ModelBase {
  declare [STATE]: InstanceState;

  constructor(data?: Record<string, unknown>) {
    const model = this.constructor as AnyModel;
    this[STATE] = new InstanceState(true, undefined);
    const input = data ?? {};
    const self = this as unknown as Record<string, unknown>;
    for (const f of model.meta.fields) {
      if (f.name in input) self[f.name] = input[f.name];
      else if (f.attname in input) self[f.attname] = input[f.attname];
      else if (f.hasDefault) {
        const d = f.getDefault();
        self[f.isRelation ? f.name : f.attname] = d;
      } else self[f.attname] = emptyValue(f);
    }
    for (const key of Object.keys(input)) {
      if (key === "pk") {
        self.pk = input.pk;
        continue;
      }
      const f = model.meta.allFields.find((x) => x.name === key || x.attname === key);
      if (!f) {
        throw new TypeError(
          `${model.meta.objectName}() got an unexpected keyword argument '${key}'. Fields: ${model.meta.allFields.map((x) => x.name).join(", ")}`,
        );
      }
      if (f.manyToMany) {
        throw new TypeError(
          `Direct assignment to the forward side of a many-to-many set is prohibited. Use ${key}.set() instead.`,
        );
      }
    }
  }

  get pk(): unknown {
    const model = this.constructor as AnyModel;
    return (this as unknown as Record<string, unknown>)[model.meta.pk.attname];
  }
  set pk(value: unknown) {
    const model = this.constructor as AnyModel;
    (this as unknown as Record<string, unknown>)[model.meta.pk.attname] = value;
  }

  async save(options: SaveInstanceOptions = {}): Promise<void> {
    await saveInstance(this as unknown as AnyInstance, options);
  }

  async delete(): Promise<[number, Record<string, number>]> {
    return deleteInstance(this as unknown as AnyInstance);
  }

  async refreshFromDb(options: { fields?: readonly string[] } = {}): Promise<void> {
    const model = this.constructor as AnyModel;
    const qs = model.objects.unfiltered();
    const fresh = options.fields
      ? await qs.only(...options.fields).get({ pk: this.pk })
      : await qs.get({ pk: this.pk });
    const self = this as unknown as Record<string, unknown>;
    const names = options.fields ?? model.meta.fields.map((f) => f.name);
    for (const name of names) {
      const f = model.meta.getField(name);
      if (!f.concrete) continue;
      self[f.attname] = (fresh as Record<string, unknown>)[f.attname];
      if (f.isRelation) this[STATE].cache.delete(f.name);
    }
    if (!options.fields) this[STATE].cache.clear();
    const deferred = this[STATE].deferred;
    if (deferred) {
      const remaining = new Set(deferred);
      for (const n of names) remaining.delete(n);
      this[STATE].deferred = remaining;
    }
  }

  cleanFields(options: { exclude?: readonly string[] } = {}): void {
    const model = this.constructor as AnyModel;
    const errors: Record<string, ValidationMessage[]> = {};
    for (const f of model.meta.fields) {
      if (options.exclude?.includes(f.name)) continue;
      const value = (this as unknown as Record<string, unknown>)[f.attname];
      const errs = fieldCleanErrors(f, value);
      if (errs.length > 0) errors[f.name] = errs;
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  /** Hook for model-wide validation; override in `methods`. */
  clean(): void | Promise<void> {}

  async validateUnique(options: { exclude?: readonly string[] } = {}): Promise<void> {
    const model = this.constructor as AnyModel;
    const exclude = new Set(options.exclude ?? []);
    const self = this as unknown as Record<string, unknown>;
    const errors: Record<string, ValidationMessage[]> = {};
    const checks: string[][] = [];
    for (const f of model.meta.fields) if (f.unique && !exclude.has(f.name)) checks.push([f.name]);
    for (const group of model.meta.uniqueTogether) checks.push([...group]);
    for (const c of model.meta.constraints) if (c.kind === "unique") checks.push([...c.fields]);
    for (const names of checks) {
      if (names.some((n) => exclude.has(n))) continue;
      const lookup: Record<string, unknown> = {};
      let skip = false;
      for (const n of names) {
        const f = model.meta.getField(n);
        const v = self[f.attname];
        if (v === null || v === undefined) skip = true;
        lookup[f.attname] = v;
      }
      if (skip) continue;
      let qs = model.objects.unfiltered().filter(lookup);
      if (!this[STATE].adding && this.pk !== null && this.pk !== undefined) qs = qs.exclude({ pk: this.pk });
      if (await qs.exists()) {
        if (names.length === 1) {
          const f = model.meta.getField(names[0]!);
          pushError(errors, f.name, {
            message: `${capitalize(model.meta.verboseName)} with this ${capitalize(f.verboseName)} already exists.`,
            code: "unique",
          });
        } else {
          const labels = names.map((n) => capitalize(model.meta.getField(n).verboseName));
          const list = `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
          pushError(errors, NON_FIELD_ERRORS, {
            message: `${capitalize(model.meta.verboseName)} with this ${list} already exists.`,
            code: "unique_together",
          });
        }
      }
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  /** Django's full_clean(): clean_fields + clean + validate_unique, errors merged by field. */
  async fullClean(options: { exclude?: readonly string[]; validateUnique?: boolean } = {}): Promise<void> {
    const errors: Record<string, ValidationMessage[]> = {};
    const merge = (err: unknown) => {
      if (!(err instanceof ValidationError)) throw err;
      if (err.errorDict) {
        for (const [k, v] of Object.entries(err.errorDict)) pushError(errors, k, ...v);
      } else pushError(errors, NON_FIELD_ERRORS, ...err.errorList);
    };
    try {
      this.cleanFields(options);
    } catch (err) {
      merge(err);
    }
    try {
      await this.clean();
    } catch (err) {
      merge(err);
    }
    if (options.validateUnique !== false) {
      const failed = Object.keys(errors);
      try {
        await this.validateUnique({ exclude: [...(options.exclude ?? []), ...failed] });
      } catch (err) {
        merge(err);
      }
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  getDisplay(field: string): string {
    const model = this.constructor as AnyModel;
    const f = model.meta.getField(field);
    const value = (this as unknown as Record<string, unknown>)[f.attname];
    const choice = f.choices?.find(([v]) => v === value);
    return choice ? choice[1] : value === null || value === undefined ? "" : String(value);
  }

  async fetchRelated(...names: string[]): Promise<void> {
    const model = this.constructor as AnyModel;
    const self = this as unknown as Record<string, unknown>;
    for (const name of names) {
      const reverse = model.meta.relatedObjects.find(
        (r) => r.name === name && !r.multiple && !r.field.manyToMany,
      );
      if (reverse && !model.meta.allFields.some((x) => x.name === name)) {
        // reverse one-to-one (user.profile): the row pointing here, or null (reading it then raises DoesNotExist)
        const rows = (await reverse.relatedModel.objects
          .unfiltered()
          .filter({ [reverse.field.attname]: this.pk })
          .slice(0, 1)) as unknown[];
        this[STATE].cache.set(name, rows[0] ?? null);
        continue;
      }
      const f = model.meta.getField(name);
      const id = self[f.attname];
      if (id === null || id === undefined) {
        this[STATE].cache.set(name, null);
        continue;
      }
      const target = f.relatedModel!();
      this[STATE].cache.set(name, await target.objects.unfiltered().get({ pk: id }));
    }
  }

  related(name: string): unknown {
    return relatedManagerFor(this as unknown as AnyInstance, name);
  }

  toString(): string {
    const model = this.constructor as AnyModel;
    return `${model.meta.objectName} object (${String(this.pk ?? "None")})`;
  }
}

/** auto_now values: a Date for DateTimeField, "YYYY-MM-DD" for DateField, "HH:MM:SS.ffffff" for TimeField (UTC). */
export function nowFor(f: FieldMeta, now: Date): unknown {
  const iso = now.toISOString();
  if (f.storage === "date") return iso.slice(0, 10);
  if (f.storage === "time") return `${iso.slice(11, 23)}000`;
  return now;
}

function pushError(
  errors: Record<string, ValidationMessage[]>,
  key: string,
  ...msgs: ValidationMessage[]
): void {
  const list = errors[key] ?? [];
  list.push(...msgs);
  errors[key] = list;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Django's Model.save_base: the default save behaviour (overrides call it as "super"). */
export async function saveInstance(instance: AnyInstance, options: SaveInstanceOptions = {}): Promise<void> {
  const model = instance.constructor as AnyModel;
  const state = stateOf(instance);
  const raw = options.raw ?? false;
  await preSave.send({ sender: model, instance, raw, updateFields: options.updateFields });
  const now = new Date();
  const self = instance as Record<string, unknown>;
  const adding = state.adding || instance.pk === null || instance.pk === undefined;
  if (!raw) {
    for (const f of model.meta.fields) {
      if (
        f.autoNow ||
        (f.autoNowAdd && adding && (self[f.attname] === null || self[f.attname] === undefined))
      ) {
        self[f.attname] = nowFor(f, now);
      }
    }
  }
  let created = false;
  if (adding && !options.forceUpdate) {
    await insertInstance(model, instance);
    created = true;
  } else {
    const updated = await updateInstance(model, instance, options.updateFields);
    if (!updated) {
      if (options.updateFields || options.forceUpdate) {
        throw new ValidationError(`Save with update_fields did not affect any rows.`, { code: "no_rows" });
      }
      await insertInstance(model, instance);
      created = true;
    }
  }
  state.adding = false;
  for (const f of model.meta.fields)
    if (isExpression(self[f.attname])) state.cache.set(`expr:${f.name}`, true);
  await postSave.send({ sender: model, instance, raw, created, updateFields: options.updateFields });
}

/** Django's Model.delete: collects cascades, enforces on_delete, deletes; returns [total, per model]. */
export async function deleteInstance(instance: AnyInstance): Promise<[number, Record<string, number>]> {
  const model = instance.constructor as AnyModel;
  if (instance.pk === null || instance.pk === undefined) {
    throw new ValidationError(
      `${model.meta.objectName} object can't be deleted because its ${model.meta.pk.attname} attribute is set to None.`,
    );
  }
  const result = await collectAndDelete(model, [instance]);
  instance.pk = null;
  stateOf(instance).adding = true;
  return result;
}

export { getDatabase };
