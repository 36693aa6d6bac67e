// QuerySet: lazy, immutable, thenable. Every method returns a new QuerySet; awaiting runs the query.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { getDatabase } from "../db/registry.js";
import { checkDatabaseAlias } from "../db/replicas.js";
import { usingDatabase } from "../db/routing.js";
import { runSql } from "../db/run.js";
import { currentConnection } from "../db/tx-context.js";
import type { Vendor } from "../db/url.js";
import { columnType } from "../ddl/columns.js";
import { collectAndDelete } from "../deletion/collector.js";
import { FieldError, IntegrityError, NotSupportedError } from "../errors.js";
import { fromDb, toDb } from "../fields/convert.js";
import type { Field, FieldMeta, Fields } from "../fields/types.js";
import { nowFor } from "../model/instance.js";
import { type AnyInstance, type AnyModel, stateOf } from "../model/internal.js";
import { valueSql } from "../model/persist.js";
import { ensureResolved } from "../model/registry.js";
import type { CreateInput, FilterOf, InstanceBase, OrderKey, RowOf, UpdateInput } from "../model/types.js";
import { atomic } from "../transaction.js";
import { type Counter, Ctx, col, compileWhere } from "./compiler.js";
import { convertOut } from "./convert-out.js";
import { type Aggregate, type Compiled, type Expression, isExpression, type OrderBy } from "./expressions.js";
import { type EarlyPrefetch, type Prefetch, prefetchRelatedObjects, startEarlyPrefetch } from "./prefetch.js";
import { isQ, QNode } from "./q.js";
import { readRows } from "./rows.js";
import { annotationMap, compileSelect } from "./select.js";
import { initialState, NO_ITEMS, PK_FLAT, type QueryState } from "./state.js";
import {
  countStatement,
  deleteStatement,
  insertStatement,
  selectStatement,
  updateStatement,
} from "./statements.js";
import { type Binder, kindOf, SlotParam } from "./template.js";

const MAX_GET_RESULTS = 21;

type FieldsOf<I> = I extends InstanceBase<infer F> ? F : Fields;
type AnnotationValue<E> = E extends Aggregate
  ? E extends { fn: "COUNT" }
    ? number
    : string | number | null
  : unknown;
type Annotated<A> = { [K in keyof A]: AnnotationValue<A[K]> };
type AnnotationFields<A> = { [K in keyof A]: Field<AnnotationValue<A[K]>, true, false> };
type ValuesRow<F, K extends string> = { [P in K]: P extends keyof RowOf<F> ? RowOf<F>[P] : unknown };

export interface BulkCreateOptions {
  batchSize?: number;
  /** Django's ignore_conflicts: rows that would violate a unique constraint are skipped (their pks stay unset). */
  ignoreConflicts?: boolean;
}

export class QuerySet<I, F = FieldsOf<I>> implements PromiseLike<I[]>, AsyncIterable<I> {
  readonly model: AnyModel;
  /** What the QuerySet will do (read-only; query planners such as @x/views read selectRelated/prefetch/only/defer). */
  readonly state: QueryState;
  private resultCache: I[] | undefined;

  protected constructor(model: AnyModel, state: QueryState) {
    this.model = model;
    this.state = state;
  }

  /** The default manager (all rows) of `model`, with custom QuerySet `methods` on its prototype. */
  static forModel(model: AnyModel, methods: object = {}): QuerySet<AnyInstance, Fields> {
    const proto = Object.create(QuerySet.prototype);
    Object.defineProperties(proto, Object.getOwnPropertyDescriptors(methods));
    const qs = Object.create(proto) as QuerySet<AnyInstance, Fields>;
    Object.assign(qs, { model, state: initialState(), resultCache: undefined });
    return qs;
  }

  /**
   * A QuerySet of the same model and prototype (manager methods) with `state`. Every property is
   * stored in the same order, and callers change a fresh `copyState` field by field: a spread of
   * `{ ...state, ...change }` with a different `change` shape at every call site is a slow generic
   * copy (several times the cost of the plain stores).
   */
  private derive(state: QueryState): this {
    const qs = Object.create(Object.getPrototypeOf(this)) as {
      model: AnyModel;
      state: QueryState;
      resultCache: I[] | undefined;
    };
    qs.model = this.model;
    qs.state = state;
    qs.resultCache = undefined;
    return qs as unknown as this;
  }

  private clone(): this {
    return this.derive(copyState(this.state));
  }

  /** The model's unfiltered QuerySet (ignores a custom manager's filters). */
  unfiltered(): QuerySet<I, F> {
    return QuerySet.forModel(this.model) as unknown as QuerySet<I, F>;
  }

  /** @internal a QuerySet whose results are already known (prefetched relations) */
  withResultCache(results: readonly unknown[]): this {
    const qs = this.clone();
    qs.resultCache = [...results] as I[];
    return qs;
  }

  all(): this {
    const qs = this.clone();
    if (this.resultCache) qs.resultCache = this.resultCache;
    return qs;
  }

  /**
   * The rows `prefetchRelated` loaded for this related manager (or its `.all()`), read without a
   * query and without a promise; undefined when awaiting this QuerySet would run one. For code
   * that can go on synchronously when the rows are in hand: `qs.prefetched() ?? (await qs)`.
   */
  prefetched(): readonly I[] | undefined {
    return this.resultCache;
  }

  filter(...conditions: (FilterOf<F> | QNode)[]): this {
    const s = copyState(this.state);
    s.where = [...this.state.where, ...conditions.map(toQNode)];
    return this.derive(s);
  }

  exclude(...conditions: (FilterOf<F> | QNode)[]): this {
    const s = copyState(this.state);
    s.where = [...this.state.where, ...conditions.map((c) => toQNode(c).not())];
    return this.derive(s);
  }

  /** `orderBy("-price", "name")`, `orderBy(F("stock").desc({ nullsLast: true }))`; no arguments clears ordering. */
  orderBy(...keys: (OrderKey<F> | OrderBy)[]): this {
    const s = copyState(this.state);
    s.order = keys as (string | OrderBy)[];
    s.reversed = false;
    return this.derive(s);
  }

  reverse(): this {
    const s = copyState(this.state);
    s.reversed = !this.state.reversed;
    return this.derive(s);
  }

  /** DISTINCT; with field names DISTINCT ON (PostgreSQL only: NotSupportedError on SQLite). */
  distinct(...fields: string[]): this {
    const s = copyState(this.state);
    s.distinct = true;
    s.distinctFields = fields.length === 0 ? NO_ITEMS : fields;
    return this.derive(s);
  }

  /** Python slicing: `slice(10, 20)` → OFFSET 10 LIMIT 10. */
  slice(start: number, end?: number): this {
    if (start < 0 || (end !== undefined && end < 0))
      throw new NotSupportedError("Negative indexing is not supported.");
    const offset = this.state.offset + start;
    let limit: number | undefined;
    if (end !== undefined) {
      limit = Math.max(0, end - start);
      if (this.state.limit !== undefined) limit = Math.min(limit, Math.max(0, this.state.limit - start));
    } else if (this.state.limit !== undefined) limit = Math.max(0, this.state.limit - start);
    const s = copyState(this.state);
    s.offset = offset;
    s.limit = limit;
    return this.derive(s);
  }

  /** Joins forward ForeignKey/OneToOne relations; with no argument, every non-null one (Django's select_related()). */
  selectRelated(...paths: string[]): this {
    if (paths.length === 0) {
      paths = this.model.meta.fields
        .filter((f) => f.isRelation && !f.null && !f.primaryKey)
        .map((f) => f.name);
    }
    const s = copyState(this.state);
    s.selectRelated = [...this.state.selectRelated, ...paths];
    return this.derive(s);
  }

  prefetchRelated(...lookups: (string | Prefetch)[]): this {
    const s = copyState(this.state);
    if (lookups.length === 0) {
      s.prefetch = [];
      return this.derive(s);
    }
    const specs = lookups.map((l) =>
      typeof l === "string"
        ? { path: l, queryset: undefined, toAttr: undefined }
        : { path: l.path, queryset: l.queryset, toAttr: l.toAttr },
    );
    s.prefetch = [...this.state.prefetch, ...specs];
    return this.derive(s);
  }

  only(...fields: string[]): this {
    const s = copyState(this.state);
    s.only = fields;
    s.defer = NO_ITEMS;
    return this.derive(s);
  }

  defer(...fields: string[]): this {
    const s = copyState(this.state);
    s.defer = fields.length === 0 ? NO_ITEMS : [...this.state.defer, ...fields];
    return this.derive(s);
  }

  /** Adds computed values to each row: `annotate({ book_count: Count("books") })`. */
  annotate<A extends Record<string, Expression>>(
    annotations: A,
  ): QuerySet<I & Annotated<A>, F & AnnotationFields<A>> & Omit<this, keyof QuerySet<I, F>> {
    for (const name of Object.keys(annotations)) {
      if (this.model.meta.allFields.some((f) => f.name === name)) {
        throw new FieldError(`The annotation '${name}' conflicts with a field on the model.`);
      }
    }
    const entries = [...this.state.annotations, ...Object.entries(annotations)];
    const hasAggregate = Object.values(annotations).some((a) => a.containsAggregate);
    const groupBy = this.state.values && hasAggregate ? this.state.values.fields : this.state.groupBy;
    const values = this.state.values
      ? { ...this.state.values, fields: [...this.state.values.fields, ...Object.keys(annotations)] }
      : undefined;
    const s = copyState(this.state);
    s.annotations = entries;
    s.groupBy = groupBy;
    s.values = values;
    return this.derive(s) as never;
  }

  /** Dicts instead of instances: `values("id", "name", "category__name")`. */
  values<K extends string>(...fields: K[]): QuerySet<ValuesRow<F, K>, F> {
    const s = copyState(this.state);
    s.values = { fields, mode: "dict" };
    return this.derive(s) as never;
  }

  valuesList<K extends string>(...fields: K[]): QuerySet<unknown[], F>;
  valuesList<K extends string>(
    field: K,
    options: { flat: true },
  ): QuerySet<K extends keyof RowOf<F> ? RowOf<F>[K] : unknown, F>;
  valuesList(...args: unknown[]): unknown {
    const last = args[args.length - 1];
    const flat = typeof last === "object" && last !== null && (last as { flat?: boolean }).flat === true;
    const fields = (flat ? args.slice(0, -1) : args) as string[];
    if (flat && fields.length !== 1)
      throw new TypeError("'flat' is not valid when valuesList is called with more than one field.");
    const s = copyState(this.state);
    s.values = { fields, mode: flat ? "flat" : "list" };
    return this.derive(s);
  }

  none(): this {
    const s = copyState(this.state);
    s.none = true;
    return this.derive(s);
  }

  /** Row locks until the transaction ends (PostgreSQL FOR UPDATE; SQLite transactions already serialise writers). */
  selectForUpdate(options: { nowait?: boolean; skipLocked?: boolean } = {}): this {
    const s = copyState(this.state);
    s.forUpdate = { nowait: options.nowait ?? false, skipLocked: options.skipLocked ?? false, of: [] };
    return this.derive(s);
  }

  /**
   * Django's using(): this QuerySet's reads and writes (and its prefetches, and a delete's
   * cascade) go to the connection `alias`, as inside `usingDatabase(alias, fn)`: "primary"
   * (or "default"), "replica" (round-robin) or "replicaN". A transaction still runs on the
   * primary. An unknown alias throws ImproperlyConfigured naming the valid ones when the
   * QuerySet runs.
   */
  using(alias: string): this {
    const s = copyState(this.state);
    s.using = alias;
    return this.derive(s);
  }

  // execution

  private db(): Database {
    ensureResolved();
    const db = getDatabase();
    if (this.state.using !== undefined) checkDatabaseAlias(db, this.state.using);
    return db;
  }

  /** Runs `fn` on the connection using() named, if any. */
  private routed<T>(fn: () => Promise<T>): Promise<T> {
    const alias = this.state.using;
    return alias === undefined ? fn() : usingDatabase(alias, fn);
  }

  /** The SQL this QuerySet runs (for debugging and tests). */
  toSql(): { sql: string; params: unknown[] } {
    const { sql, params } = selectStatement(this.model, this.state, this.db());
    return { sql, params };
  }

  private fetch(): Promise<I[]> {
    if (this.resultCache) return Promise.resolve(this.resultCache);
    return this.routed(() => this.fetchRows());
  }

  private async fetchRows(): Promise<I[]> {
    if (this.state.none) return [];
    const db = this.db();
    if (this.state.distinctFields.length > 0 && db.vendor === "sqlite") {
      throw new NotSupportedError(
        "DISTINCT ON fields is not supported by SQLite (distinct(...fields) needs PostgreSQL)",
      );
    }
    if (this.state.limit === 0) return [];
    const statement = selectStatement(this.model, this.state, db);
    const prefetching = statement.plan.kind === "instances" && this.state.prefetch.length > 0;
    const early = prefetching ? this.earlyPrefetch(db) : undefined;
    const res = await db.execute(statement.sql, statement.params, { arrayMode: true });
    const rows = readRows(statement.plan, res.rows as unknown[][], db.vendor, this.state.values?.mode);
    if (prefetching) await prefetchRelatedObjects(rows as AnyInstance[], this.state.prefetch, early);
    return rows as I[];
  }

  /**
   * On PostgreSQL, outside a transaction, a query pinned to one primary key starts its reverse
   * prefetches at once, beside its own query (two pooled connections: one round trip of waiting,
   * not two). SQLite runs one statement at a time; a transaction has one connection.
   */
  private earlyPrefetch(db: Database): EarlyPrefetch | undefined {
    if (db.vendor !== "postgresql" || this.state.forUpdate || currentConnection(db) !== undefined)
      return undefined;
    const pk = pinnedPk(this.model, this.state.where);
    return pk === undefined ? undefined : startEarlyPrefetch(this.model, this.state.prefetch, pk);
  }

  // biome-ignore lint/suspicious/noThenProperty: QuerySets are awaitable by design (await qs → rows)
  then<R1 = I[], R2 = never>(
    onfulfilled?: ((value: I[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.fetch().then(onfulfilled, onrejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<I> {
    for (const row of await this.fetch()) yield row;
  }

  /** @internal embeds this QuerySet as a subquery (`pk__in: qs`, Subquery, Exists) */
  compileSubquery(vendor: Vendor, counter: Counter, outer: Ctx | undefined): Compiled {
    let state = this.state;
    if (!state.values) state = { ...state, values: { fields: ["pk"], mode: "flat" } };
    if (state.limit === undefined && state.offset === 0) state = { ...state, order: [] };
    state = { ...state, prefetch: [], selectRelated: [] };
    const { sql: query, plan } = compileSelect(this.model, state, vendor, counter, outer);
    const out = plan.values[plan.values.length === 1 ? 0 : 0]?.out ?? { storage: "integer" };
    return { sql: query, out };
  }

  async get(...conditions: (FilterOf<F> | QNode)[]): Promise<I> {
    let qs = conditions.length > 0 ? this.filter(...conditions) : this;
    if (qs.state.limit === undefined && !qs.state.forUpdate) {
      const s = copyState(qs.state);
      s.limit = MAX_GET_RESULTS;
      s.order = NO_ITEMS;
      qs = qs.derive(s);
    }
    const rows = await qs.fetch();
    if (rows.length === 1) return rows[0]!;
    const name = this.model.meta.objectName;
    if (rows.length === 0) throw new this.model.DoesNotExist(`${name} matching query does not exist.`);
    const n = rows.length >= MAX_GET_RESULTS ? `more than ${MAX_GET_RESULTS - 1}` : String(rows.length);
    throw new this.model.MultipleObjectsReturned(`get() returned more than one ${name} -- it returned ${n}!`);
  }

  private ordered(): this {
    if (this.state.order === undefined && this.model.meta.ordering.length === 0) return this.orderBy("pk");
    if (this.state.order !== undefined && this.state.order.length === 0) return this.orderBy("pk");
    return this;
  }

  async first(): Promise<I | null> {
    const rows = await this.ordered().slice(0, 1).fetch();
    return rows[0] ?? null;
  }

  async last(): Promise<I | null> {
    const rows = await this.ordered().reverse().slice(0, 1).fetch();
    return rows[0] ?? null;
  }

  /** The first object by `fields` (or Meta ordering); DoesNotExist when there is none. */
  async earliest(...fields: OrderKey<F>[]): Promise<I> {
    const qs = fields.length > 0 ? this.orderBy(...fields) : this;
    const row = await qs.first();
    if (row === null)
      throw new this.model.DoesNotExist(`${this.model.meta.objectName} matching query does not exist.`);
    return row;
  }

  /** The last object by `fields` (or Meta ordering); DoesNotExist when there is none. */
  async latest(...fields: OrderKey<F>[]): Promise<I> {
    const qs = fields.length > 0 ? this.orderBy(...fields) : this;
    const row = await qs.last();
    if (row === null)
      throw new this.model.DoesNotExist(`${this.model.meta.objectName} matching query does not exist.`);
    return row;
  }

  async count(): Promise<number> {
    if (this.resultCache) return this.resultCache.length;
    if (this.state.none) return 0;
    return this.routed(() => this.countRows());
  }

  private async countRows(): Promise<number> {
    const db = this.db();
    const state = copyState(this.state);
    state.order = NO_ITEMS;
    state.prefetch = NO_ITEMS;
    state.selectRelated = NO_ITEMS;
    const statement = countStatement(this.model, state, db);
    const res = await db.execute(statement.sql, statement.params, { arrayMode: true });
    return Number((res.rows[0] as unknown[])[0]);
  }

  async exists(): Promise<boolean> {
    if (this.resultCache) return this.resultCache.length > 0;
    if (this.state.none) return false;
    const s = copyState(this.state);
    s.values = PK_FLAT;
    s.order = NO_ITEMS;
    s.prefetch = NO_ITEMS;
    s.selectRelated = NO_ITEMS;
    const rows = await this.derive(s).slice(0, 1).fetch();
    return rows.length > 0;
  }

  /** Aggregates over the whole QuerySet: `aggregate({ total: Sum("price") })`. */
  aggregate<A extends Record<string, Expression>>(aggregates: A): Promise<Annotated<A>> {
    return this.routed(() => this.aggregateRows(aggregates));
  }

  private async aggregateRows<A extends Record<string, Expression>>(aggregates: A): Promise<Annotated<A>> {
    const db = this.db();
    const out: Record<string, unknown> = {};
    if (Object.keys(aggregates).length === 0) return out as Annotated<A>;
    if (this.state.none) {
      for (const [k, a] of Object.entries(aggregates)) out[k] = (a as Aggregate).fn === "COUNT" ? 0 : null;
      return out as Annotated<A>;
    }
    const counter = { n: 1 };
    const ctx = new Ctx(db.vendor, this.model, "t0", counter, annotationMap(this.state), undefined, "inline");
    let where: SQL | undefined;
    if (this.state.limit !== undefined || this.state.offset > 0 || this.state.distinct) {
      const inner = this.compileSubquery(db.vendor, counter, undefined);
      where = sql`${col("t0", this.model.meta.pk.column)} IN (${inner.sql})`;
    } else where = compileWhere(ctx, this.state);
    const compiled = Object.entries(aggregates).map(([k, a]) => [k, a.compile(ctx)] as const);
    const parts: SQL[] = [
      sql`SELECT ${sql.join(
        compiled.map(([, c]) => c.sql),
        sql`, `,
      )} FROM ${sql.identifier(this.model.meta.dbTable)} ${sql.identifier("t0")}`,
    ];
    if (ctx.joins.length > 0) parts.push(sql` ${sql.join(ctx.joins, sql` `)}`);
    if (where) parts.push(sql` WHERE ${where}`);
    const res = await runSql(db, sql.join(parts), { arrayMode: true });
    const row = res.rows[0] as unknown[];
    compiled.forEach(([k, c], i) => {
      out[k] = convertOut(c.out, row[i], db.vendor);
    });
    return out as Annotated<A>;
  }

  /** `Map` of pk (or `fieldName`) → instance. */
  async inBulk(ids?: readonly unknown[], options: { fieldName?: string } = {}): Promise<Map<unknown, I>> {
    const fieldName = options.fieldName ?? "pk";
    if (ids !== undefined && ids.length === 0) return new Map();
    const qs = ids === undefined ? this : this.filter({ [`${fieldName}__in`]: ids } as FilterOf<F>);
    const rows = await qs.fetch();
    const attname =
      fieldName === "pk" ? this.model.meta.pk.attname : this.model.meta.getField(fieldName).attname;
    return new Map(rows.map((r) => [(r as AnyInstance)[attname], r]));
  }

  // writes

  async create(data: CreateInput<F>): Promise<I> {
    const obj = new this.model(data as Record<string, unknown>);
    if (this.state.using !== undefined) this.db(); // an unknown alias fails before anything runs
    await this.routed(() => obj.save({ forceInsert: true }));
    return obj as I;
  }

  async getOrCreate(
    lookup: FilterOf<F>,
    options: { defaults?: Partial<CreateInput<F>> } = {},
  ): Promise<[I, boolean]> {
    try {
      return [await this.get(lookup), false];
    } catch (err) {
      if (!(err instanceof this.model.DoesNotExist)) throw err;
    }
    const params = createParams(lookup as Record<string, unknown>, options.defaults);
    try {
      return [await atomic(() => this.create(params as CreateInput<F>)), true];
    } catch (err) {
      if (err instanceof IntegrityError) {
        try {
          return [await this.get(lookup), false];
        } catch {
          throw err;
        }
      }
      throw err;
    }
  }

  async updateOrCreate(
    lookup: FilterOf<F>,
    options: { defaults?: UpdateInput<F>; createDefaults?: Partial<CreateInput<F>> } = {},
  ): Promise<[I, boolean]> {
    return atomic(async () => {
      let obj: I | undefined;
      try {
        obj = await this.selectForUpdate().get(lookup);
      } catch (err) {
        if (!(err instanceof this.model.DoesNotExist)) throw err;
      }
      if (obj === undefined) {
        const params = createParams(lookup as Record<string, unknown>, {
          ...(options.defaults ?? {}),
          ...(options.createDefaults ?? {}),
        });
        return [await this.create(params as CreateInput<F>), true] as [I, boolean];
      }
      const defaults = (options.defaults ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(defaults)) (obj as AnyInstance)[k] = v;
      const names = Object.keys(defaults).map((k) => {
        const f = this.model.meta.fields.find((x) => x.name === k || x.attname === k);
        return f?.name ?? k;
      });
      const autoNow = this.model.meta.fields.filter((f) => f.autoNow).map((f) => f.name);
      await (obj as AnyInstance).save(names.length > 0 ? { updateFields: [...names, ...autoNow] } : {});
      return [obj, false] as [I, boolean];
    });
  }

  /** INSERTs many objects in few statements; primary keys are set on the objects (both databases). No signals. */
  async bulkCreate(objs: readonly I[], options: BulkCreateOptions = {}): Promise<I[]> {
    if (objs.length === 0) return [];
    return this.routed(() => this.bulkInsert(objs, options));
  }

  private async bulkInsert(objs: readonly I[], options: BulkCreateOptions): Promise<I[]> {
    const db = this.db();
    const model = this.model;
    if (model.meta.parents.size > 0) {
      throw new NotSupportedError(
        `Can't bulk create a multi-table inherited model (${model.meta.label}): save each object`,
      );
    }
    const now = new Date();
    const instances = objs as unknown as AnyInstance[];
    for (const o of instances) {
      for (const f of model.meta.fields) {
        if (f.autoNow || (f.autoNowAdd && (o[f.attname] === null || o[f.attname] === undefined)))
          o[f.attname] = nowFor(f, now);
        if (f.isRelation) {
          const cached = stateOf(o).cache.get(f.name) as AnyInstance | null | undefined;
          if (cached && (o[f.attname] === null || o[f.attname] === undefined)) o[f.attname] = cached.pk;
        }
      }
    }
    const pk = model.meta.pk;
    const withPk = instances.filter((o) => o.pk !== null && o.pk !== undefined);
    const withoutPk = instances.filter((o) => o.pk === null || o.pk === undefined);
    const batch = options.batchSize ?? (db.vendor === "sqlite" ? 100 : 500);
    const insert = async (group: AnyInstance[], includePk: boolean) => {
      const fields = model.meta.fields.filter((f) => includePk || !(f.primaryKey && f.storage === "auto"));
      for (let i = 0; i < group.length; i += batch) {
        const chunk = group.slice(i, i + batch);
        const statement = insertStatement(
          model,
          fields,
          chunk.map((o) => fields.map((f) => o[f.attname])),
          db,
          options.ignoreConflicts === true,
        );
        if (options.ignoreConflicts) {
          // Which rows were skipped is unknown, so no pk is set (as Django does).
          await db.execute(statement.sql, statement.params);
          for (const o of chunk) stateOf(o).adding = false;
          continue;
        }
        const res = await db.execute(statement.sql, statement.params, { arrayMode: true });
        (res.rows as unknown[][]).forEach((r, j) => {
          chunk[j]![pk.attname] = fromDb(pk, r[0], db.vendor);
          stateOf(chunk[j]!).adding = false;
        });
      }
    };
    await atomic(async () => {
      if (withPk.length > 0) await insert(withPk, true);
      if (withoutPk.length > 0) await insert(withoutPk, false);
    });
    return [...objs];
  }

  /** UPDATEs `fields` of many objects with one statement per batch (CASE WHEN pk = ...). No signals. */
  async bulkUpdate(
    objs: readonly I[],
    fields: readonly string[],
    options: { batchSize?: number } = {},
  ): Promise<number> {
    if (objs.length === 0) return 0;
    if (fields.length === 0) throw new TypeError("Field names must be given to bulkUpdate().");
    return this.routed(() => this.bulkUpdateRows(objs, fields, options));
  }

  private async bulkUpdateRows(
    objs: readonly I[],
    fields: readonly string[],
    options: { batchSize?: number },
  ): Promise<number> {
    const db = this.db();
    const model = this.model;
    const metas = fields.map((n) => model.meta.getField(n));
    for (const f of metas) {
      if (f.primaryKey) throw new TypeError("bulkUpdate() cannot be used with primary key fields.");
      if (!f.concrete) throw new TypeError("bulkUpdate() can only be used with concrete fields.");
    }
    const pk = model.meta.pk;
    const instances = objs as unknown as AnyInstance[];
    const batch = options.batchSize ?? 200;
    let total = 0;
    await atomic(async () => {
      for (let i = 0; i < instances.length; i += batch) {
        const chunk = instances.slice(i, i + batch);
        const pkCol = sql.identifier(pk.column);
        const sets = metas.map((f) => {
          const cast = db.vendor === "postgresql" ? columnType(f, db.vendor) : undefined;
          const whens = chunk.map((o) => {
            const v = valueSql(model, f, o[f.attname], db.vendor);
            return sql`WHEN ${pkCol} = ${sql.param(o.pk)} THEN ${cast ? sql`CAST(${v} AS ${sql.raw(cast)})` : v}`;
          });
          return sql`${sql.identifier(f.column)} = CASE ${sql.join(whens, sql` `)} ELSE ${sql.identifier(f.column)} END`;
        });
        const res = await runSql(
          db,
          sql`UPDATE ${sql.identifier(model.meta.dbTable)} SET ${sql.join(sets, sql`, `)} WHERE ${pkCol} IN (${sql.join(
            chunk.map((o) => sql`${sql.param(o.pk)}`),
            sql`, `,
          )})`,
        );
        total += res.rowCount;
      }
    });
    return total;
  }

  /** UPDATE every matching row; returns the number of rows. `update({ stock: F("stock").sub(1) })`. No signals. */
  async update(values: UpdateInput<F>): Promise<number> {
    if (this.state.none) return 0;
    return this.routed(() => this.updateRows(values));
  }

  private async updateRows(values: UpdateInput<F>): Promise<number> {
    const db = this.db();
    const model = this.model;
    let entries = Object.entries(values as Record<string, unknown>);
    if (entries.length === 0) return 0;
    if (model.meta.parents.size > 0) {
      // multi-table inheritance: fields of a parent are updated in the parent's table
      const own = new Set(model.meta.localFields.flatMap((f) => [f.name, f.attname]));
      const inherited = entries.filter(([k]) => !own.has(k));
      entries = entries.filter(([k]) => own.has(k));
      if (inherited.length > 0) {
        const pks = (await this.valuesList("pk", { flat: true })) as unknown[];
        for (const [parent] of model.meta.parents) {
          const names = new Set(parent.meta.fields.flatMap((f) => [f.name, f.attname]));
          const mine = inherited.filter(([k]) => names.has(k));
          if (mine.length > 0 && pks.length > 0) {
            await (parent.objects as QuerySet<AnyInstance, Fields>)
              .unfiltered()
              .filter({ pk__in: pks })
              .update(Object.fromEntries(mine));
          }
        }
        if (entries.length === 0) return pks.length;
      }
    }
    const sets = entries.map(([name, v]) => {
      const f = model.meta.localFields.find((x) => x.name === name || x.attname === name);
      if (!f) {
        throw new FieldError(
          `${model.meta.label} has no field named '${name}'. Choices are: ${model.meta.fields.map((x) => x.name).join(", ")}`,
        );
      }
      const value =
        typeof v === "object" && v !== null && "pk" in v && f.isRelation ? (v as AnyInstance).pk : v;
      return [f, value] as const;
    });
    // what the SET list's SQL depends on: the columns and the kinds of their values
    let setKey: string | undefined = "";
    for (const [f, value] of sets) {
      const kind = kindOf(value);
      if (kind === undefined) {
        setKey = undefined;
        break;
      }
      setKey += `${f.column}=${kind};`;
    }
    const statement = updateStatement(
      model,
      this.state,
      db,
      setKey,
      sets.map(([, value]) => value),
      ({ binder, firstSlot }) =>
        sql.join(
          sets.map(
            ([f, value], i) =>
              sql`${sql.identifier(f.column)} = ${setValueSql(model, f, value, db.vendor, binder, firstSlot + i)}`,
          ),
          sql`, `,
        ),
    );
    const res = await db.execute(statement.sql, statement.params);
    return res.rowCount;
  }

  /** Deletes matching rows through the deletion collector (cascades, PROTECT, signals). */
  async delete(): Promise<[number, Record<string, number>]> {
    if (this.state.values) throw new TypeError("Cannot call delete() after values()");
    return this.routed(() => this.collectAndDeleteRows());
  }

  private async collectAndDeleteRows(): Promise<[number, Record<string, number>]> {
    const s = copyState(this.state);
    s.prefetch = [];
    s.selectRelated = [];
    s.annotations = [];
    const objs = (await this.derive(s).fetch()) as AnyInstance[];
    if (objs.length === 0) return [0, {}];
    return collectAndDelete(this.model, objs);
  }

  /** @internal DELETE without the collector (join rows, collected rows). Returns the row count. */
  async rawDelete(): Promise<number> {
    return this.routed(() => this.deleteRows());
  }

  private async deleteRows(): Promise<number> {
    const db = this.db();
    const statement = deleteStatement(this.model, this.state, db);
    const res = await db.execute(statement.sql, statement.params);
    return res.rowCount;
  }
}

/** A copy of `s` to change field by field (always built with the same shape: see derive). */
function copyState(s: QueryState): QueryState {
  return {
    where: s.where,
    order: s.order,
    reversed: s.reversed,
    limit: s.limit,
    offset: s.offset,
    distinct: s.distinct,
    distinctFields: s.distinctFields,
    selectRelated: s.selectRelated,
    prefetch: s.prefetch,
    only: s.only,
    defer: s.defer,
    annotations: s.annotations,
    values: s.values,
    groupBy: s.groupBy,
    none: s.none,
    forUpdate: s.forUpdate,
    using: s.using,
  };
}

function toQNode(c: unknown): QNode {
  if (isQ(c)) return c;
  return new QNode([c as Record<string, unknown>]);
}

/** get_or_create's create params: lookup keys without lookups or relation spans, plus defaults. */
function createParams(
  lookup: Record<string, unknown>,
  defaults: object | undefined,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(lookup)) if (!k.includes("__")) params[k] = v;
  for (const [k, v] of Object.entries(defaults ?? {}))
    params[k] = typeof v === "function" ? (v as () => unknown)() : v;
  return params;
}

/** An UPDATE's value for `f`: a slot when compiling a template, else what save() writes (valueSql). */
function setValueSql(
  model: AnyModel,
  f: FieldMeta,
  value: unknown,
  vendor: Vendor,
  binder: Binder | undefined,
  slot: number,
): SQL {
  if (!binder || isExpression(value)) return valueSql(model, f, value, vendor);
  const conv = f.isRelation ? f.relatedModel!().meta.pk : f;
  const p = sql`${sql.param(new SlotParam(slot, -1, false, (v) => toDb(conv, v, vendor)))}`;
  return f.storage === "json" && vendor === "postgresql" ? sql`CAST(${p} AS jsonb)` : p;
}

/** The one primary key value an AND of `where` conditions pins (`pk=`, `<pk name>__exact=`...), if any. */
function pinnedPk(model: AnyModel, where: readonly QNode[]): unknown {
  const pk = model.meta.pk;
  let found: unknown;
  const visit = (node: QNode): void => {
    if (node.negated || node.connector !== "AND") return;
    for (const child of node.children) {
      if (isQ(child)) visit(child);
      else
        for (const key in child) {
          const value = child[key];
          if (value === undefined || value === null || typeof value === "object") continue;
          const name = key.endsWith("__exact") ? key.slice(0, -"__exact".length) : key;
          if (name === "pk" || name === pk.name || name === pk.attname) found ??= value;
        }
    }
  };
  for (const node of where) visit(node);
  return found;
}
