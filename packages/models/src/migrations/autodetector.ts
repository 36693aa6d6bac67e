// Diffs two states into operations per app (Django's MigrationAutodetector, without rename questions).

import type { FieldState, ModelState, ProjectState } from "../ddl/state.js";
import type { Operation } from "./operations.js";

/** Field states compare without their one-off `default`, which only fills existing rows. */
function sameField(a: FieldState, b: FieldState): boolean {
  const strip = ({ default: _d, baseField, ...rest }: FieldState): unknown => ({
    ...rest,
    baseField: baseField && strip(baseField),
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** Labels of the models a model's fields point at (foreign keys, M2M targets and through models). */
export function modelDependencies(model: ModelState): string[] {
  const out = new Set<string>();
  for (const [, f] of model.fields) {
    if (f.to && f.column !== null) out.add(f.to);
  }
  return [...out].filter((l) => l !== model.label);
}

/**
 * Takes the fields named out of a model about to be created, with the indexes and constraints
 * that use them; returns the operations that add them back once the model exists.
 */
function splitOff(model: ModelState, names: readonly string[]): Operation[] {
  const columns = names.map((n) => model.fields.find(([f]) => f === n)![1].column!);
  const uses = (fields: readonly string[]) => fields.some((f) => names.includes(f.replace(/^-/, "")));
  const checkUses = (sql: string) => columns.some((c) => sql.includes(`"${c.replace(/"/g, '""')}"`));
  const label = model.label;
  const ops: Operation[] = model.fields
    .filter(([n]) => names.includes(n))
    .map(([name, field]): Operation => ({ op: "AddField", model: label, name, field }));
  const together = model.uniqueTogether;
  if (together.some(uses)) {
    model.uniqueTogether = together.filter((g) => !uses(g));
    ops.push({
      op: "AlterUniqueTogether",
      model: label,
      uniqueTogether: together,
      old: model.uniqueTogether,
    });
  }
  for (const index of model.indexes.filter((ix) => uses(ix.fields)))
    ops.push({ op: "AddIndex", model: label, index });
  const constraintUses = (c: ModelState["constraints"][number]) =>
    c.check ? checkUses(c.check.sqlite) || checkUses(c.check.postgresql) : uses(c.fields ?? []);
  for (const constraint of model.constraints.filter(constraintUses))
    ops.push({ op: "AddConstraint", model: label, constraint });
  model.fields = model.fields.filter(([n]) => !names.includes(n));
  model.indexes = model.indexes.filter((ix) => !uses(ix.fields));
  model.constraints = model.constraints.filter((c) => !constraintUses(c));
  return ops;
}

/** New models in creation order; FKs that would close a cycle are split off into later AddFields. */
function orderCreations(created: ModelState[]): { creates: ModelState[]; deferred: Operation[] } {
  const labels = new Set(created.map((m) => m.label));
  const done = new Set<string>();
  const creates: ModelState[] = [];
  const deferred: Operation[] = [];
  const visiting = new Set<string>();
  const byLabel = new Map(created.map((m) => [m.label, m]));
  const visit = (model: ModelState) => {
    if (done.has(model.label)) return;
    visiting.add(model.label);
    const copy = structuredClone(model);
    const cut: string[] = [];
    for (const dep of modelDependencies(model)) {
      if (!labels.has(dep)) continue;
      if (visiting.has(dep)) {
        // cycle: create without these fields, add them once both tables exist
        cut.push(...model.fields.filter(([, f]) => f.to === dep && f.column !== null).map(([n]) => n));
        continue;
      }
      visit(byLabel.get(dep)!);
    }
    if (cut.length > 0) deferred.push(...splitOff(copy, cut));
    visiting.delete(model.label);
    done.add(model.label);
    creates.push(copy);
  };
  for (const model of created) visit(model);
  return { creates, deferred };
}

/** The operations that turn `from` into `to` for one app. */
export function diffApp(app: string, from: ProjectState, to: ProjectState): Operation[] {
  const before = [...from.values()].filter((m) => m.app === app);
  const after = [...to.values()].filter((m) => m.app === app);
  const created = after
    .filter((m) => !from.has(m.label))
    .sort((a, b) => Number(!!a.autoCreated) - Number(!!b.autoCreated));
  const deleted = before.filter((m) => !to.has(m.label));
  const ops: Operation[] = [];
  const { creates, deferred } = orderCreations(created);
  for (const model of creates) ops.push({ op: "CreateModel", model });
  ops.push(...deferred);

  const removals: Operation[] = [];
  const additions: Operation[] = [];
  for (const next of after) {
    const prev = from.get(next.label);
    if (!prev) continue;
    if (prev.table !== next.table)
      ops.push({ op: "AlterModelTable", model: next.label, table: next.table, oldTable: prev.table });
    for (const ix of prev.indexes) {
      if (!next.indexes.some((n) => n.name === ix.name && n.fields.join() === ix.fields.join())) {
        removals.push({ op: "RemoveIndex", model: next.label, name: ix.name, index: ix });
      }
    }
    for (const c of prev.constraints) {
      if (!next.constraints.some((n) => JSON.stringify(n) === JSON.stringify(c))) {
        removals.push({ op: "RemoveConstraint", model: next.label, name: c.name, constraint: c });
      }
    }
    if (
      JSON.stringify(prev.uniqueTogether) !== JSON.stringify(next.uniqueTogether) &&
      prev.uniqueTogether.length > 0
    ) {
      // drop old unique_together before fields change, set the new one after
      removals.push({
        op: "AlterUniqueTogether",
        model: next.label,
        uniqueTogether: [],
        old: prev.uniqueTogether,
      });
    }
    for (const [name, field] of prev.fields) {
      if (!next.fields.some(([n]) => n === name))
        removals.push({ op: "RemoveField", model: next.label, name, field });
    }
    for (const [name, field] of next.fields) {
      const old = prev.fields.find(([n]) => n === name)?.[1];
      if (!old) ops.push({ op: "AddField", model: next.label, name, field });
      else if (!sameField(old, field))
        ops.push({ op: "AlterField", model: next.label, name, field, oldField: old });
    }
    if (
      JSON.stringify(prev.uniqueTogether) !== JSON.stringify(next.uniqueTogether) &&
      next.uniqueTogether.length > 0
    ) {
      additions.push({
        op: "AlterUniqueTogether",
        model: next.label,
        uniqueTogether: next.uniqueTogether,
        old: [],
      });
    }
    for (const ix of next.indexes) {
      if (!prev.indexes.some((p) => p.name === ix.name && p.fields.join() === ix.fields.join())) {
        additions.push({ op: "AddIndex", model: next.label, index: ix });
      }
    }
    for (const c of next.constraints) {
      if (!prev.constraints.some((p) => JSON.stringify(p) === JSON.stringify(c))) {
        additions.push({ op: "AddConstraint", model: next.label, constraint: c });
      }
    }
  }
  // Join tables and dependents go first when deleting.
  const deletions = [...deleted]
    .sort((a, b) => Number(!!b.autoCreated) - Number(!!a.autoCreated))
    .map((m): Operation => ({ op: "DeleteModel", model: m.label, state: m }));
  return [...removals, ...ops, ...additions, ...deletions];
}

/** The other apps whose models the operations point at. */
export function externalDependencies(app: string, ops: readonly Operation[]): string[] {
  const labels = new Set<string>();
  for (const op of ops) {
    if (op.op === "CreateModel") for (const l of modelDependencies(op.model)) labels.add(l);
    if ((op.op === "AddField" || op.op === "AlterField") && op.field.to && op.field.column !== null)
      labels.add(op.field.to);
  }
  return [...new Set([...labels].map((l) => l.split(".")[0]!))].filter((a) => a !== app).sort();
}

/** A migration name from its operations, as Django suggests them ("product_price", "delete_order"). */
export function suggestName(ops: readonly Operation[], initial: boolean): string {
  if (initial) return "initial";
  const parts = ops.map((op) => {
    const model =
      "model" in op ? (typeof op.model === "string" ? op.model : op.model.label).split(".").pop() : "";
    switch (op.op) {
      case "CreateModel":
        return op.model.label.split(".").pop()!;
      case "DeleteModel":
        return `delete_${model}`;
      case "AddField":
        return `${model}_${op.name}`;
      case "RemoveField":
        return `remove_${model}_${op.name}`;
      case "AlterField":
        return `alter_${model}_${op.name}`;
      case "AlterModelTable":
        return `alter_${model}_table`;
      case "AddIndex":
        return `${model}_${op.index.name}`;
      case "RemoveIndex":
        return `remove_${model}_${op.name}`;
      case "AlterUniqueTogether":
        return `alter_${model}_unique_together`;
      case "AddConstraint":
        return `${model}_${op.constraint.name}`;
      case "RemoveConstraint":
        return `remove_${model}_${op.name}`;
      default:
        return "auto";
    }
  });
  const name = [...new Set(parts)]
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
  return name.length > 52
    ? `auto_${new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "_")}`
    : name;
}
