// prefetch_related: one query per relation level, results attached to each instance's cache.
import { FieldError } from "../errors.js";
import { type AnyInstance, type AnyModel, stateOf } from "../model/internal.js";
import { prefetchKey } from "../model/related-manager.js";
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

/** `xs` without repeats, in order (`xs` itself when it has fewer than two items: callers pass fresh arrays). */
function unique<T>(xs: T[]): T[] {
  return xs.length < 2 ? xs : [...new Set(xs)];
}

function allCached(objs: readonly AnyInstance[], key: string): boolean {
  for (const o of objs) if (!stateOf(o).cache.has(key)) return false;
  return true;
}

/** The rows whose `attname` is `key`: `rows` itself when all are (always, for one parent). */
function rowsOf(rows: AnyInstance[], attname: string, key: unknown): AnyInstance[] {
  for (const r of rows) if (r[attname] !== key) return rows.filter((x) => x[attname] === key);
  return rows;
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
  /** reverse: `${backAttname}__in`; m2m: `${backPath}__in` */
  inLookup?: string;
  /** where an instance caches the relation's objects: the name, or PREFETCH_PREFIX + name for a list */
  cacheKey: string;
}

// per model class and relation name: the metadata lookups below ran for every prefetch
const levels = new WeakMap<AnyModel, Map<string, Level>>();

function levelFor(model: AnyModel, name: string): Level {
  let byName = levels.get(model);
  if (!byName) {
    byName = new Map();
    levels.set(model, byName);
  }
  let level = byName.get(name);
  if (!level) {
    const found = findLevel(model, name);
    const single = found.kind === "forward" || found.kind === "reverse_one";
    level = { ...found, cacheKey: single ? name : prefetchKey(name) };
    byName.set(name, level);
  }
  return level;
}

function findLevel(model: AnyModel, name: string): Omit<Level, "cacheKey"> {
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
    return { kind: "m2m", target, backPath, inLookup: `${backPath}__in` };
  }
  const rel = model.meta.relatedObjects.find((r) => r.name === name);
  if (rel) {
    if (rel.field.manyToMany)
      return {
        kind: "m2m",
        target: rel.relatedModel,
        backPath: rel.field.name,
        inLookup: `${rel.field.name}__in`,
      };
    return {
      kind: rel.multiple ? "reverse" : "reverse_one",
      target: rel.relatedModel,
      backAttname: rel.field.attname,
      backName: rel.field.name,
      inLookup: `${rel.field.attname}__in`,
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
  early?: EarlyPrefetch,
): Promise<void> {
  const first = instances[0];
  // The early rows are for the parent the filter pinned: used only when it is the one found.
  const usable = early !== undefined && instances.length === 1 && samePk(first?.pk, early.pk);
  for (const spec of specs) await prefetchOne(instances, spec, usable ? early.rows.get(spec) : undefined);
}

/**
 * Reverse relations (a product's reviews) fetched for one parent while the parent's own query
 * is still running: a query pinned to one primary key (`get(pk=...)`, a detail view) knows
 * their filter before it has its row. On PostgreSQL both go out at once on two pooled
 * connections, one round trip of waiting instead of two. Unused (and their rows dropped)
 * when the parent turns out not to be the one row found.
 */
export interface EarlyPrefetch {
  pk: unknown;
  rows: Map<PrefetchSpec, Promise<AnyInstance[]>>;
}

/** Starts the first-level reverse prefetches of `specs` for the parent with primary key `pk`. */
export function startEarlyPrefetch(
  model: AnyModel,
  specs: readonly PrefetchSpec[],
  pk: unknown,
): EarlyPrefetch | undefined {
  let rows: Map<PrefetchSpec, Promise<AnyInstance[]>> | undefined;
  for (const spec of specs) {
    if (spec.path.includes("__")) continue;
    let pending: Promise<AnyInstance[]>;
    try {
      const level = levelFor(model, spec.path);
      if (level.kind !== "reverse" && level.kind !== "reverse_one") continue;
      // The query prefetchOne would run for this parent (one pk: one chunk).
      const qs = levelQueryset(spec, level, true);
      const where: Record<string, unknown> = {};
      where[level.inLookup as string] = [pk];
      pending = qs.filter(where).then((found: unknown) => found as AnyInstance[]);
    } catch {
      // A path or queryset prefetchOne will refuse: it does, in its turn (when there are rows).
      continue;
    }
    // Dropped unused when the parent is not found: its failure must not go unhandled then.
    pending.catch(() => {});
    rows ??= new Map();
    rows.set(spec, pending);
  }
  return rows === undefined ? undefined : { pk, rows };
}

/** What a level reads: the Prefetch's own queryset on its last level, else the target's manager. */
function levelQueryset(spec: PrefetchSpec, level: Level, last: boolean): AnyQS {
  return last && spec.queryset ? (spec.queryset as AnyQS) : (level.target.objects as AnyQS);
}

function samePk(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && a !== null && String(a) === String(b));
}

// Prefetch paths are few and come back with every query: each is split once (a split per query
// was a runtime call, and its fresh strings were hashed again by the level lookups).
const pathParts = new Map<string, readonly string[]>();

function partsOf(path: string): readonly string[] {
  let parts = pathParts.get(path);
  if (parts === undefined) {
    parts = path.split("__");
    if (pathParts.size >= 1000) pathParts.clear();
    pathParts.set(path, parts);
  }
  return parts;
}

async function prefetchOne(
  roots: AnyInstance[],
  spec: PrefetchSpec,
  early?: Promise<AnyInstance[]>,
): Promise<void> {
  const parts = partsOf(spec.path);
  let current = roots;
  for (let i = 0; i < parts.length; i++) {
    if (current.length === 0) return;
    const name = parts[i]!;
    const last = i === parts.length - 1;
    const model = current[0]!.constructor as AnyModel;
    const level = levelFor(model, name);
    const qs = levelQueryset(spec, level, last);
    const toAttr = last ? spec.toAttr : undefined;
    const cacheKey = level.cacheKey;
    if (!toAttr && allCached(current, cacheKey)) {
      const next: AnyInstance[] = [];
      for (const o of current) {
        const v = stateOf(o).cache.get(cacheKey);
        if (Array.isArray(v)) next.push(...(v as AnyInstance[]));
        else if (v) next.push(v as AnyInstance);
      }
      current = unique(next);
      continue;
    }
    let rows: AnyInstance[];
    if (level.kind === "forward") {
      const attname = level.attname!;
      const ids: unknown[] = [];
      for (const o of current) {
        const v = o[attname];
        if (v !== null && v !== undefined) ids.push(v);
      }
      const pks = unique(ids);
      rows = pks.length > 0 ? await inChunks(pks, (chunk) => qs.filter({ pk__in: chunk })) : [];
      const byPk = new Map<unknown, AnyInstance>();
      for (const r of rows) byPk.set(r.pk, r);
      for (const o of current) {
        const v = byPk.get(o[attname]) ?? null;
        if (toAttr) o[toAttr] = v;
        else stateOf(o).cache.set(name, v);
      }
    } else if (level.kind === "reverse" || level.kind === "reverse_one") {
      const back = level.backAttname!;
      const inLookup = level.inLookup!;
      const single = current.length === 1;
      const pks = single ? [current[0]!.pk] : unique(current.map((o) => o.pk));
      const fetched =
        early !== undefined && i === 0 && single
          ? await early
          : await inChunks(pks, (chunk) => qs.filter({ [inLookup]: chunk }));
      rows = fetched;
      let byParent: Map<unknown, AnyInstance[]> | undefined;
      if (!single) {
        byParent = new Map();
        for (const r of fetched) {
          const key = r[back];
          const list = byParent.get(key);
          if (list) list.push(r);
          else byParent.set(key, [r]);
        }
      }
      for (const o of current) {
        const list = byParent ? (byParent.get(o.pk) ?? []) : rowsOf(fetched, back, o.pk);
        // the back-reference is known: child.author is the parent without another query
        for (const child of list) stateOf(child).cache.set(level.backName!, o);
        const value = level.kind === "reverse_one" ? (list[0] ?? null) : list;
        if (toAttr) o[toAttr] = value;
        else stateOf(o).cache.set(cacheKey, value);
      }
    } else {
      const inLookup = level.inLookup!;
      const pks = unique(current.map((o) => o.pk));
      rows = await inChunks(pks, (chunk) =>
        qs.filter({ [inLookup]: chunk }).annotate({ [SRC]: F(`${level.backPath}__pk`) }),
      );
      const bySource = new Map<unknown, AnyInstance[]>();
      for (const r of rows) {
        const key = r[SRC];
        delete r[SRC];
        const list = bySource.get(key);
        if (list) list.push(r);
        else bySource.set(key, [r]);
      }
      for (const o of current) {
        const list = bySource.get(o.pk) ?? [];
        if (toAttr) o[toAttr] = list;
        else stateOf(o).cache.set(cacheKey, list);
      }
    }
    if (last) return;
    current = unique(rows.slice());
  }
}

/**
 * Fills a reverse or many-to-many relation's prefetch cache with `objects`, as
 * `prefetchRelated(name)` would have: `instance[name].all()` then answers them without a
 * query. For objects the caller has just written or already holds (an order's new items),
 * so reading them back costs nothing. (A forward relation is filled by assigning it:
 * `item.product = product`.)
 */
export function cachePrefetched(instance: AnyInstance, name: string, objects: readonly AnyInstance[]): void {
  const level = levelFor(instance.constructor as AnyModel, name);
  if (level.kind !== "reverse" && level.kind !== "m2m")
    throw new FieldError(
      `cachePrefetched: ${(instance.constructor as AnyModel).meta.label}.${name} is not a reverse or many-to-many relation`,
    );
  stateOf(instance).cache.set(level.cacheKey, [...objects]);
}
