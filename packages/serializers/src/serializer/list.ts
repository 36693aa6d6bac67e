// ListSerializer: many=True. Lists in and out, errors aligned with the items, bulk create/update.
import type { RunState, SerializerContext } from "../context.js";
import { type ErrorDetail, ValidationError } from "../errors.js";
import { SKIP } from "../fields/defaults.js";
import {
  Field,
  type FieldOptions,
  type JsonSchema,
  type PlanPaths,
  type SchemaMode,
} from "../fields/field.js";
import { pythonType } from "../fields/python.js";
import { inTransaction } from "./transaction.js";

/** The part of a serializer a ListSerializer drives (BaseSerializer satisfies it). */
export interface ListChild<R = unknown, W = unknown, I = unknown> {
  readonly __out: R;
  readonly __in: W;
  context: SerializerContext;
  toRepresentation(instance: unknown, context?: SerializerContext): R | Promise<R>;
  runValidation(data: unknown, state: RunState): unknown;
  create(validated: W): I | Promise<I>;
  update(instance: I, validated: W): I | Promise<I>;
  collectPlan(prefix: string, paths: PlanPaths): void;
  jsonSchema(mode: SchemaMode): JsonSchema;
}

// biome-ignore lint/suspicious/noExplicitAny: a child serializer of any shape
type AnyChild = ListChild<any, any, any>;
type InstanceOfChild<C> = C extends ListChild<unknown, unknown, infer I> ? I : unknown;

export interface ListSerializerArgs<C extends AnyChild> extends FieldOptions {
  child: C;
  instance?: readonly InstanceOfChild<C>[] | null | undefined;
  data?: unknown;
  partial?: boolean;
  context?: SerializerContext;
  allowEmpty?: boolean | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
}

const NON_FIELD_ERRORS = "non_field_errors";

/** The pk a validated list item was sent with (`{"id": 5, ...}`), kept off its enumerable keys. */
export const ROW_PK: unique symbol = Symbol("row pk");

const pkOf = (instance: unknown): unknown =>
  (instance as { pk?: unknown; id?: unknown }).pk ?? (instance as { id?: unknown }).id;

export class ListSerializer<C extends AnyChild> extends Field<
  C["__out"][],
  C["__in"][],
  ListSerializerArgs<C>
> {
  declare readonly __nested: true;
  readonly child: C;
  instance: InstanceOfChild<C>[] | null;
  readonly initialData: unknown;
  readonly partial: boolean;
  context: SerializerContext;
  private validated: C["__in"][] | undefined;
  private errorTree: ValidationError | undefined;
  private dataPromise: Promise<C["__out"][]> | undefined;

  constructor(args: ListSerializerArgs<C>) {
    super(args);
    this.child = args.child;
    this.instance = args.instance ? [...args.instance] : null;
    this.initialData = args.data;
    this.partial = args.partial === true;
    this.context = args.context ?? args.child.context ?? {};
  }

  protected override defaultMessages(): Record<string, string> {
    return {
      not_a_list: 'Expected a list of items but got type "{input_type}".',
      empty: "This list may not be empty.",
      max_length: "Ensure this field has no more than {max_length} elements.",
      min_length: "Ensure this field has at least {min_length} elements.",
    };
  }

  protected buildSchema(): never {
    throw new Error("ListSerializer validates through runValidation");
  }

  // ---- output ----

  override toRepresentation(
    value: unknown,
    context?: SerializerContext,
  ): C["__out"][] | Promise<C["__out"][]> {
    const ctx = context ?? this.context;
    const items = iterate(value);
    if (items instanceof Promise) return items.then((list) => this.renderAll(list, ctx));
    return this.renderAll(items, ctx);
  }

  private renderAll(items: unknown[], ctx: SerializerContext): C["__out"][] | Promise<C["__out"][]> {
    let async = false;
    const out = items.map((item) => {
      const r = this.child.toRepresentation(item, ctx);
      if (r instanceof Promise) async = true;
      return r;
    });
    return async ? Promise.all(out) : (out as C["__out"][]);
  }

  get data(): Promise<C["__out"][]> {
    this.dataPromise ??= (async () => {
      if (this.instance != null && !this.errorTree) return this.toRepresentation(this.instance, this.context);
      if (this.validated !== undefined && !this.errorTree)
        return this.toRepresentation(this.validated, this.context);
      return (Array.isArray(this.initialData) ? this.initialData : []) as C["__out"][];
    })();
    return this.dataPromise;
  }

  // ---- input ----

  async isValid(options: { raiseException?: boolean } = {}): Promise<boolean> {
    if (this.initialData === undefined)
      throw new Error(
        "Cannot call `.isValid()` as no `data` option was passed when instantiating the serializer instance.",
      );
    if (this.validated === undefined && this.errorTree === undefined) {
      try {
        const state: RunState = { context: this.context, instance: this.instance, partial: this.partial };
        this.validated = await this.validateList(this.initialData, state);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        this.errorTree = e;
      }
    }
    if (this.errorTree && options.raiseException) throw this.errorTree;
    return this.errorTree === undefined;
  }

  get validatedData(): C["__in"][] {
    if (this.validated === undefined && this.errorTree === undefined)
      throw new Error("You must call `.isValid()` before accessing `.validatedData`.");
    return this.validated ?? [];
  }

  /** `[{}, {"product": [...]}]` for item errors, `{"non_field_errors": [...]}` for the list itself. */
  get errors(): ErrorDetail {
    if (this.validated === undefined && this.errorTree === undefined)
      throw new Error("You must call `.isValid()` before accessing `.errors`.");
    return this.errorTree?.detail ?? [];
  }

  /**
   * Set by a ModelSerializer on a nested list of a many-to-many relation: the rows the items name
   * by pk (one query), so each item validates against its row (unique checks leave it out) and an
   * unknown pk is that item's error.
   */
  matchRows: ((pks: unknown[]) => PromiseLike<unknown[]>) | undefined;

  override runValidation(data: unknown, state: RunState) {
    if (this.readOnly) return SKIP;
    if (data === undefined || data === null) return super.runValidation(data, state);
    const pks = this.matchRows && Array.isArray(data) ? itemPks(data) : [];
    if (pks.length === 0) return this.validateList(data, { ...state, instance: null });
    return Promise.resolve(this.matchRows!(pks)).then((rows) =>
      this.validateList(data, { ...state, instance: rows }),
    );
  }

  override validateValue(data: unknown, state: RunState): C["__in"][] | Promise<C["__in"][]> {
    return this.validateList(data, state);
  }

  private listError(code: string, params?: Record<string, unknown>): never {
    throw new ValidationError({ [NON_FIELD_ERRORS]: [this.errorMessage(code, params)] }, code);
  }

  private validateList(data: unknown, state: RunState): C["__in"][] | Promise<C["__in"][]> {
    if (!Array.isArray(data)) this.listError("not_a_list", { input_type: pythonType(data) });
    const { allowEmpty, minLength, maxLength } = this.options;
    if (allowEmpty === false && data.length === 0) this.listError("empty");
    if (maxLength !== undefined && data.length > maxLength)
      this.listError("max_length", { max_length: maxLength });
    if (minLength !== undefined && data.length < minLength)
      this.listError("min_length", { min_length: minLength });

    // bulk update: each item names the instance it updates by its "id"/"pk"
    const byPk = new Map<string, unknown>();
    const updating = Array.isArray(state.instance);
    if (updating) for (const inst of state.instance as unknown[]) byPk.set(String(pkOf(inst)), inst);

    // per-item results and errors in one object, with module-level helpers rather than closures
    // named per call (run from source, tsx's keepNames gives each named closure a defineProperty)
    const run: ListRun = { details: [], codes: [], results: new Array(data.length), failed: false };
    let pending: Promise<void>[] | null = null;
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      run.details[i] = {};
      run.codes[i] = {};
      try {
        let instance: unknown = null;
        if (updating && item && typeof item === "object") {
          const pk = (item as Record<string, unknown>).id ?? (item as Record<string, unknown>).pk;
          if (pk !== undefined) {
            instance = byPk.get(String(pk));
            if (instance === undefined)
              throw new ValidationError(
                { id: [`Invalid pk "${String(pk)}" - object does not exist.`] },
                "does_not_exist",
              );
          }
        }
        const value = this.child.runValidation(
          item,
          instance === state.instance ? state : { ...state, instance },
        );
        if (value instanceof Promise) {
          pending ??= [];
          pending.push(
            value.then(
              (x) => {
                run.results[i] = x;
              },
              (e) => itemFailed(run, i, e),
            ),
          );
        } else run.results[i] = value;
      } catch (e) {
        itemFailed(run, i, e);
      }
    }
    if (pending) return Promise.all(pending).then(() => finishList(run, data) as C["__in"][]);
    return finishList(run, data) as C["__in"][];
  }

  // ---- saving: bulk create, bulk update (matched by pk), in one transaction ----

  async save(extra: Record<string, unknown> = {}): Promise<InstanceOfChild<C>[]> {
    if (this.errorTree) throw new Error("You cannot call `.save()` on a serializer with invalid data.");
    const items = this.validatedData.map((v) => ({ ...(v as object), ...extra }) as C["__in"]);
    const raw = this.initialData as Record<string, unknown>[];
    this.instance = await inTransaction(async () => {
      if (this.instance == null) return this.create(items);
      return this.update(this.instance, items, raw);
    });
    this.dataPromise = undefined;
    return this.instance;
  }

  async create(items: C["__in"][]): Promise<InstanceOfChild<C>[]> {
    // a ModelSerializer child inserts plain rows in one statement
    const bulk = (this.child as { bulkCreate?: (items: unknown[]) => Promise<unknown[]> }).bulkCreate;
    if (typeof bulk === "function") return (await bulk.call(this.child, items)) as InstanceOfChild<C>[];
    const out: InstanceOfChild<C>[] = [];
    for (const item of items) out.push((await this.child.create(item)) as InstanceOfChild<C>);
    return out;
  }

  /** Bulk update: items with an id update that instance, items without one are created. */
  async update(
    instances: InstanceOfChild<C>[],
    items: C["__in"][],
    raw: Record<string, unknown>[] = [],
  ): Promise<InstanceOfChild<C>[]> {
    const byPk = new Map(instances.map((inst) => [String(pkOf(inst)), inst]));
    const out: InstanceOfChild<C>[] = [];
    for (const [i, item] of items.entries()) {
      const pk = raw[i]?.id ?? raw[i]?.pk;
      const target = pk === undefined ? undefined : byPk.get(String(pk));
      out.push(
        (target
          ? await this.child.update(target, item)
          : await this.child.create(item)) as InstanceOfChild<C>,
      );
    }
    return out;
  }

  // ---- introspection ----

  override collectPlan(prefix: string, paths: PlanPaths): void {
    const own = this.sourceAttrs.length ? `${prefix}${this.sourceAttrs.join("__")}` : "";
    if (own) paths.prefetch.add(own);
    const childPaths: PlanPaths = { select: new Set(), prefetch: new Set() };
    this.child.collectPlan("", childPaths);
    // everything under a prefetched relation is prefetched through it
    for (const p of [...childPaths.select, ...childPaths.prefetch])
      paths.prefetch.add(own ? `${own}__${p}` : p);
  }

  protected override typeSchema(mode: SchemaMode): JsonSchema {
    const s: JsonSchema = { type: "array", items: this.child.jsonSchema(mode) };
    if (this.options.allowEmpty === false) s.minItems = 1;
    if (this.options.minLength !== undefined) s.minItems = this.options.minLength;
    if (this.options.maxLength !== undefined) s.maxItems = this.options.maxLength;
    return s;
  }
}

/** A list validation in progress: each item's value or error. */
interface ListRun {
  details: ErrorDetail[];
  codes: ErrorDetail[];
  results: unknown[];
  failed: boolean;
}

/** Item `i` failed: its error (a list error is the item's non-field error); anything else propagates. */
function itemFailed(run: ListRun, i: number, e: unknown): void {
  if (!(e instanceof ValidationError)) throw e;
  run.failed = true;
  run.details[i] = Array.isArray(e.detail) ? { [NON_FIELD_ERRORS]: e.detail } : e.detail;
  run.codes[i] = Array.isArray(e.codes) ? { [NON_FIELD_ERRORS]: e.codes } : e.codes;
}

/** The validated items, or every item's error. */
function finishList(run: ListRun, data: unknown[]): unknown[] {
  if (run.failed) throw ValidationError.fromTree(run.details, run.codes);
  // remember which existing row each item names (nested list updates match rows by it)
  for (let i = 0; i < data.length; i++) {
    const raw = data[i] as Record<string, unknown> | null;
    const pk = raw && typeof raw === "object" ? (raw.id ?? raw.pk) : undefined;
    const out = run.results[i];
    if (pk !== undefined && out && typeof out === "object")
      Object.defineProperty(out, ROW_PK, { value: pk, enumerable: false });
  }
  return run.results;
}

/** The pks list items are sent with (`{"id": 5, ...}` or `{"pk": 5, ...}`). */
function itemPks(data: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of data)
    if (item && typeof item === "object") {
      const pk = (item as Record<string, unknown>).id ?? (item as Record<string, unknown>).pk;
      if (pk !== undefined) out.push(pk);
    }
  return out;
}

/**
 * The items of a list attribute: arrays, iterables, and related managers (`.all()`, maybe async).
 * A manager whose rows are already loaded (`prefetched()`, as @x/models' QuerySet answers after
 * `prefetchRelated`) is read in place, as Django's `.all()` reads its prefetch cache: no promise.
 */
export function iterate(value: unknown): unknown[] | Promise<unknown[]> {
  if (value == null) return [];
  if (Array.isArray(value)) return value;
  const all = (value as { all?: () => unknown }).all;
  if (typeof all === "function") {
    const r = all.call(value);
    if (Array.isArray(r)) return r;
    if (r && typeof (r as PromiseLike<unknown>).then === "function")
      return managerRows(r as PromiseLike<unknown[]>);
    return [...(r as Iterable<unknown>)];
  }
  if (typeof (value as PromiseLike<unknown>).then === "function")
    return managerRows(value as PromiseLike<unknown[]>);
  return [...(value as Iterable<unknown>)];
}

/** A thenable list's rows: in place when it has them (`prefetched()`), else awaited. */
function managerRows(
  rows: PromiseLike<unknown[]> & { prefetched?: () => readonly unknown[] | undefined },
): unknown[] | Promise<unknown[]> {
  const loaded = typeof rows.prefetched === "function" ? rows.prefetched() : undefined;
  if (loaded !== undefined) return [...loaded];
  return Promise.resolve(rows).then((x) => [...x]);
}
