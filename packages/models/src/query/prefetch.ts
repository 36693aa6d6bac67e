// prefetch_related: one query per relation level, results attached to each instance's cache.
import { FieldError } from "../errors.js";
import { type AnyInstance, type AnyModel, stateOf } from "../model/internal.js";
import { PREFETCH_PREFIX } from "../model/related-manager.js";
import { m2mInfo } from "../model/relations.js";
import { F } from "./expressions.js";
import type { QuerySet } from "./queryset.js";
import type { PrefetchSpec } from "./state.js";

// biome-ignore lint/suspicious/noExplicitAny: erased querysets of any model
type AnyQS = QuerySet<any, any> & Record<string, any>;

export class PrefetchObject {
  readonly queryset: unknown;
  readonly toAttr: string | undefined;
  constructor(
    readonly path: string,
    options: { queryset?: unknown; toAttr?: string } = {},
  ) {
    this.queryset = options.queryset;
    this.toAttr = options.toAttr;
  }
}

export type Prefetch = PrefetchObject;

/** `Prefetch("orders", { queryset: Order.objects.filter({ status: "active" }), toAttr: "active_orders" })` */
export function Prefetch(
  path: string,
  options: { queryset?: unknown; toAttr?: string } = {},
): PrefetchObject {
  return new PrefetchObject(path, options);
}

const SRC = "x_prefetch_src";

// below SQLite's 32766 and PostgreSQL's 65535 bound-parameter limits
const MAX_IN = 10_000;

/** Runs `query` over `values` in chunks small enough for one statement each. */
async function inChunks(
  values: unknown[],
  query: (chunk: unknown[]) => PromiseLike<unknown[]>,
): Promise<AnyInstance[]> {
  if (values.length <= MAX_IN) return (await query(values)) as AnyInstance[];
  const out: AnyInstance[] = [];
  for (let i = 0; i < values.length; i += MAX_IN)
    out.push(...((await query(values.slice(i, i + MAX_IN))) as AnyInstance[]));
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

type Kind = "forward" | "reverse" | "reverse_one" | "m2m";

interface Level {
  kind: Kind;
  target: AnyModel;
  /** forward: FK field attname on the source */
  attname?: string;
  /** reverse: FK attname on the target pointing back; FK name to set the back-reference */
  backAttname?: string;
  backName?: string;
  /** m2m: the filter path from target back to the source */
  backPath?: string;
}

function levelFor(model: AnyModel, name: string): Level {
  const field = model.meta.allFields.find((f) => f.name === name);
  if (field?.isRelation && field.concrete)
    return { kind: "forward", target: field.relatedModel!(), attname: field.attname };
  if (field?.manyToMany) {
    const info = m2mInfo(field);
    const target = field.relatedModel!();
    // from the target back to this model through the join table
    const rev = target.meta.relatedObjects.find((r) => r.field === field);
    const backPath = rev ? (field.relatedName ?? model.meta.modelName) : undefined;
    if (!backPath) throw new FieldError(`Cannot prefetch ${model.meta.label}.${name}: no reverse relation`);
    void info;
    return { kind: "m2m", target, backPath };
  }
  const rel = model.meta.relatedObjects.find((r) => r.name === name);
  if (rel) {
    if (rel.field.manyToMany) return { kind: "m2m", target: rel.relatedModel, backPath: rel.field.name };
    return {
      kind: rel.multiple ? "reverse" : "reverse_one",
      target: rel.relatedModel,
      backAttname: rel.field.attname,
      backName: rel.field.name,
    };
  }
  const names = [
    ...model.meta.allFields.filter((f) => f.isRelation).map((f) => f.name),
    ...model.meta.relatedObjects.filter((r) => !r.name.endsWith("+")).map((r) => r.name),
  ];
  throw new FieldError(
    `Cannot find '${name}' on ${model.meta.objectName} object, '${name}' is an invalid parameter to prefetchRelated(). Choices are: ${names.join(", ")}`,
  );
}

export async function prefetchRelatedObjects(
  instances: AnyInstance[],
  specs: readonly PrefetchSpec[],
): Promise<void> {
  for (const spec of specs) await prefetchOne(instances, spec);
}

async function prefetchOne(roots: AnyInstance[], spec: PrefetchSpec): Promise<void> {
  const parts = spec.path.split("__");
  let current = roots;
  for (let i = 0; i < parts.length; i++) {
    if (current.length === 0) return;
    const name = parts[i]!;
    const last = i === parts.length - 1;
    const model = current[0]!.constructor as AnyModel;
    const level = levelFor(model, name);
    const qs = last && spec.queryset ? (spec.queryset as AnyQS) : (level.target.objects as AnyQS);
    const toAttr = last ? spec.toAttr : undefined;
    const cacheKey = level.kind === "forward" || level.kind === "reverse_one" ? name : PREFETCH_PREFIX + name;
    const done = !toAttr && current.every((o) => stateOf(o).cache.has(cacheKey));
    const next: AnyInstance[] = [];
    if (done) {
      for (const o of current) {
        const v = stateOf(o).cache.get(cacheKey);
        if (Array.isArray(v)) next.push(...(v as AnyInstance[]));
        else if (v) next.push(v as AnyInstance);
      }
      current = unique(next);
      continue;
    }
    if (level.kind === "forward") {
      const ids = unique(current.map((o) => o[level.attname!]).filter((v) => v !== null && v !== undefined));
      const rows = ids.length > 0 ? await inChunks(ids, (chunk) => qs.filter({ pk__in: chunk })) : [];
      const byPk = new Map(rows.map((r) => [r.pk, r]));
      for (const o of current) {
        const v = byPk.get(o[level.attname!]) ?? null;
        if (toAttr) o[toAttr] = v;
        else stateOf(o).cache.set(name, v);
      }
      next.push(...rows);
    } else if (level.kind === "reverse" || level.kind === "reverse_one") {
      const pks = unique(current.map((o) => o.pk));
      const rows = await inChunks(pks, (chunk) => qs.filter({ [`${level.backAttname}__in`]: chunk }));
      const byParent = new Map<unknown, AnyInstance[]>();
      for (const r of rows) {
        const key = r[level.backAttname!];
        const list = byParent.get(key) ?? [];
        list.push(r);
        byParent.set(key, list);
      }
      for (const o of current) {
        const list = byParent.get(o.pk) ?? [];
        // the back-reference is known: child.author is the parent without another query
        for (const child of list) stateOf(child).cache.set(level.backName!, o);
        const value = level.kind === "reverse_one" ? (list[0] ?? null) : list;
        if (toAttr) o[toAttr] = value;
        else stateOf(o).cache.set(cacheKey, value);
      }
      next.push(...rows);
    } else {
      const pks = unique(current.map((o) => o.pk));
      const rows = await inChunks(pks, (chunk) =>
        qs.filter({ [`${level.backPath}__in`]: chunk }).annotate({ [SRC]: F(`${level.backPath}__pk`) }),
      );
      const bySource = new Map<unknown, AnyInstance[]>();
      for (const r of rows) {
        const key = r[SRC];
        delete r[SRC];
        const list = bySource.get(key) ?? [];
        list.push(r);
        bySource.set(key, list);
      }
      for (const o of current) {
        const list = bySource.get(o.pk) ?? [];
        if (toAttr) o[toAttr] = list;
        else stateOf(o).cache.set(cacheKey, list);
      }
      next.push(...rows);
    }
    current = unique(next);
  }
}
