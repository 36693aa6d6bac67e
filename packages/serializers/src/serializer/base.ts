// BaseSerializer: DRF's Serializer life cycle (isValid, validatedData, errors, save, data) and the
// validation pipeline, on a field plan computed once per class.
import type { RunState, SerializerContext } from "../context.js";
import { asValidationError, ErrorCollector, type ErrorDetail, ValidationError } from "../errors.js";
import { SKIP } from "../fields/defaults.js";
import {
  Field,
  type FieldOptions,
  type JsonSchema,
  type PlanPaths,
  type SchemaMode,
  type Validator,
  type ValidatorContext,
} from "../fields/field.js";
import { pythonType } from "../fields/python.js";
import { HiddenField } from "../fields/special.js";
import { scopesOf } from "./context-scopes.js";
import { ListSerializer, type ListSerializerArgs } from "./list.js";
import { compileParser, type ParseAcc, type Parser } from "./parse.js";
import { type FieldPlan, makePlan, restrictPlan, setValue } from "./plan.js";
import { compileRenderer, type Renderer } from "./render.js";
import type { AnyField, FieldMap } from "./types.js";

export const NON_FIELD_ERRORS = "non_field_errors";

export interface SerializerArgs<I = unknown> extends FieldOptions {
  instance?: I | readonly I[] | null;
  data?: unknown;
  many?: boolean;
  partial?: boolean;
  context?: SerializerContext;
  /** Dynamic fields: keep only these (DRF's DynamicFieldsSerializer, built in). */
  fields?: readonly string[];
  /** Dynamic fields: drop these. */
  exclude?: readonly string[];
  /** many=True only: ListSerializer options. */
  allowEmpty?: boolean;
  minLength?: number;
  maxLength?: number;
}

export interface IsValidOptions {
  raiseException?: boolean;
}

/** What `queryPlan()` returns: everything the representation reads, for one queryset. */
export interface QueryPlan {
  selectRelated: string[];
  prefetchRelated: string[];
  /** ModelSerializer: the columns the representation reads (`only()`); absent when it needs whole rows. */
  only?: string[];
  /** ModelSerializer: the model whose querysets the plan is for. */
  model?: unknown;
}

type AnySerializer = BaseSerializer<unknown, unknown, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: constructor signature of any serializer class
type SerializerClass = abstract new (args?: any) => AnySerializer;

const plans = new WeakMap<object, FieldPlan>();
const EMPTY_CONTEXT: SerializerContext = Object.freeze({});

export class BaseSerializer<
  R = Record<string, unknown>,
  W = Record<string, unknown>,
  I = unknown,
> extends Field<R, W, SerializerArgs<I>> {
  declare readonly __nested: true;

  /** Declared fields of this class (set by `Serializer.of`). */
  static declaredFields: FieldMap = {};
  /** Serializer-level validators, run after the fields (DRF's Meta.validators). */
  // biome-ignore lint/suspicious/noExplicitAny: validators receive this serializer's attrs
  static validators: readonly Validator<any>[] = [];

  instance!: I | null;
  readonly initialData: unknown;
  readonly partial!: boolean;
  context!: SerializerContext;
  private selection!: [readonly string[] | undefined, readonly string[] | undefined] | null;
  private ownPlan: FieldPlan | undefined;
  private validated: W | undefined;
  private errorTree: ValidationError | undefined;
  private dataPromise: Promise<R> | undefined;

  /**
   * @deprecated for a typed list: `many: true` builds a ListSerializer at run time (DRF's
   * spelling works), but TypeScript types `new S(...)` as `S` whatever the arguments (a subclass's
   * construct signature always returns the subclass), so `data` and `validatedData` read as one
   * object. `S.many({ ... })` is the same ListSerializer, typed as a list.
   */
  constructor(args: SerializerArgs<I> & { many: true });
  constructor(args?: SerializerArgs<I>);
  // biome-ignore lint/correctness/noUnreachableSuper: many=True returns its ListSerializer before super(): no throwaway serializer is built
  constructor(args: SerializerArgs<I> = {}) {
    // DRF's many=True: the object built is a ListSerializer around one child
    // biome-ignore lint/correctness/noConstructorReturn: DRF's many=True returns a ListSerializer
    if (args.many) return manyOf(new.target as never, args) as unknown as this;
    super(args);
    this.instance = (args.instance ?? null) as I | null;
    this.initialData = args.data;
    this.partial = args.partial === true;
    this.context = args.context ?? EMPTY_CONTEXT;
    this.selection = args.fields || args.exclude ? [args.fields, args.exclude] : null;
  }

  /** A list serializer of this class (the typed spelling of `new S({ many: true, ... })`). */
  static many<T extends SerializerClass>(
    this: T,
    args: Omit<ListSerializerArgs<InstanceType<T>>, "child"> & {
      fields?: readonly string[];
      exclude?: readonly string[];
    } = {},
  ): ListSerializer<InstanceType<T>> {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic: each subclass has its own fields and plan
    const Ctor = this as unknown as new (a: SerializerArgs) => InstanceType<T>;
    const given = args as Record<string, unknown>;
    const childArgs: Record<string, unknown> = {};
    const listArgs: Record<string, unknown> = {};
    for (const k of Object.keys(given)) {
      if (k === "many" || !LIST_ONLY.has(k)) childArgs[k] = given[k];
      listArgs[k] = given[k];
    }
    listArgs.child = new Ctor(childArgs as SerializerArgs);
    return new ListSerializer<InstanceType<T>>(listArgs as unknown as ListSerializerArgs<InstanceType<T>>);
  }

  /** The bound fields of this class, in declaration order. Overridden by ModelSerializer. */
  static buildFields(): AnyField[] {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own plan)
    return Object.entries(this.declaredFields).map(([name, f]) => f.bind(name));
  }

  /** The class's field plan, computed on first use and cached per class. */
  static getPlan(): FieldPlan {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own plan)
    return planOf(this);
  }

  // biome-ignore lint/suspicious/noExplicitAny: see validators
  static buildValidators(): readonly Validator<any>[] {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own plan)
    return this.validators;
  }

  /** The field plan of this serializer: its class's, narrowed by dynamic `fields`/`exclude`.
   * Built on first use, so a serializer declared as a field does not build its fields (and touch
   * related models) at import time. */
  protected get plan(): FieldPlan {
    if (!this.ownPlan) {
      const cls = (this.constructor as typeof BaseSerializer).getPlan();
      this.ownPlan = this.selection ? restrictPlan(cls, Object.getPrototypeOf(this), ...this.selection) : cls;
    }
    return this.ownPlan;
  }

  /** The fields of this serializer (after dynamic `fields`/`exclude`), by name. */
  get fields(): ReadonlyMap<string, AnyField> {
    return this.plan.byName;
  }

  // ---------------- as a field of a parent ----------------

  /** This serializer seen under another context (nested fields render with the root's context). */
  protected withContext(context: SerializerContext): this {
    if (context === this.context) return this;
    // One scoped view per context (not per rendered object), held by the context (context-scopes.ts).
    const scopes = scopesOf(context);
    let scoped = scopes.get(this) as this | undefined;
    if (!scoped) {
      scoped = Object.create(this) as this;
      scoped.context = context;
      scopes.set(this, scoped);
    }
    return scoped;
  }

  protected buildSchema(): never {
    throw new Error("Serializers validate through runValidation, not a single field schema");
  }

  // ---------------- output ----------------

  /** DRF's to_representation: the plan's readable fields, sync unless a field is async. */
  override toRepresentation(instance: unknown, context?: SerializerContext): R | Promise<R> {
    const render = renderPlan(this.plan);
    if (!context || context === this.context) return render(instance, this.context, this) as R | Promise<R>;
    // nested: fields get the root's context as an argument; only a field that reads the owner
    // (a method field) needs this serializer seen under that context
    if (!render.needsOwner) return render(instance, context, this) as R | Promise<R>;
    const self = this.withContext(context);
    return render(instance, self.context, self) as R | Promise<R>;
  }

  /** The representation: of the instance, else of the validated data, else the initial data. */
  get data(): Promise<R> {
    this.dataPromise ??= (async () => {
      if (this.instance != null && !this.errorTree) return this.toRepresentation(this.instance, this.context);
      if (this.validated !== undefined && !this.errorTree)
        return this.toRepresentation(this.validated, this.context);
      return (this.initialData ?? {}) as R;
    })();
    return this.dataPromise;
  }

  // ---------------- input ----------------

  /** Validate `data`; collects every error. Async: unique checks and related lookups query the DB. */
  async isValid(options: IsValidOptions = {}): Promise<boolean> {
    if (this.initialData === undefined)
      throw new Error(
        "Cannot call `.isValid()` as no `data` option was passed when instantiating the serializer instance.",
      );
    if (this.validated === undefined && this.errorTree === undefined) {
      try {
        const state: RunState = { context: this.context, instance: this.instance, partial: this.partial };
        this.validated = await this.runRootValidation(this.initialData, state);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        this.errorTree = asSerializerError(e);
      }
    }
    if (this.errorTree && options.raiseException) throw this.errorTree;
    return this.errorTree === undefined;
  }

  protected runRootValidation(data: unknown, state: RunState): W | Promise<W> {
    if (data === null) throw new ValidationError({ [NON_FIELD_ERRORS]: ["No data provided"] }, "null");
    return this.runObjectValidation(data, state);
  }

  /** The validated data (after `isValid()`). */
  get validatedData(): W {
    if (this.validated === undefined && this.errorTree === undefined)
      throw new Error("You must call `.isValid()` before accessing `.validatedData`.");
    return (this.validated ?? {}) as W;
  }

  /** DRF-shaped errors (after `isValid()`): `{}` when valid. */
  get errors(): ErrorDetail {
    if (this.validated === undefined && this.errorTree === undefined)
      throw new Error("You must call `.isValid()` before accessing `.errors`.");
    return this.errorTree?.detail ?? {};
  }

  /** As a nested field: required/null handling, then the object pipeline under the parent's context. */
  override runValidation(
    data: unknown,
    state: RunState,
  ): W | null | typeof SKIP | Promise<W | null | typeof SKIP> {
    if (this.readOnly) return SKIP;
    if (data === undefined || data === null) return super.runValidation(data, state);
    // a list's child (no source of its own) validates against the row its item names, which the
    // list put in state.instance; a field validates against its part of the parent's instance
    if (this.sourceAttrs.length === 0 && this.fieldName === "")
      return this.withContext(state.context).runObjectValidation(data, state);
    const nested = { ...state, instance: nestedInstance(state.instance, this.sourceAttrs) };
    return this.withContext(state.context).runObjectValidation(data, nested);
  }

  override validateValue(data: unknown, state: RunState): W | Promise<W> {
    return this.withContext(state.context).runObjectValidation(data, state);
  }

  /** field parsing → field validators → validate_<field> → serializer validators → validate(attrs). */
  protected runObjectValidation(data: unknown, state: RunState): W | Promise<W> {
    const attrs = this.toInternalValue(data, state);
    if (attrs instanceof Promise) return attrs.then((a) => this.afterFields(a, state));
    return this.afterFields(attrs, state);
  }

  private afterFields(attrs: W, state: RunState): W | Promise<W> {
    if (this.plan.validators.length > 0)
      return this.runSerializerValidators(attrs, state).then(() => this.runValidate(attrs));
    return this.runValidate(attrs);
  }

  private runValidate(attrs: W): W | Promise<W> {
    if (this.validate === BaseSerializer.prototype.validate) return attrs;
    try {
      const r = this.validate(attrs);
      return r instanceof Promise ? r.catch(rethrowAsSerializerError) : r;
    } catch (e) {
      return rethrowAsSerializerError(e);
    }
  }

  /** DRF's to_internal_value: every writable field, errors collected per field (sync unless a field is async). */
  override toInternalValue(data: unknown, state: RunState): W | Promise<W> {
    if (typeof data !== "object" || data === null || Array.isArray(data))
      throw new ValidationError(
        { [NON_FIELD_ERRORS]: [`Invalid data. Expected a dictionary, but got ${pythonType(data)}.`] },
        "invalid",
      );
    const acc: ParseAcc = { out: {}, errors: null, pending: null };
    parserOf(this.plan)(data as Record<string, unknown>, state, this, acc);
    if (acc.pending) return Promise.all(acc.pending).then(() => finishObject<W>(acc.out, acc.errors));
    return finishObject<W>(acc.out, acc.errors);
  }

  /** One field, the general way (async values, validate_<field> hooks, custom fields). */
  parseField(field: AnyField, input: Record<string, unknown>, state: RunState, acc: ParseAcc): void {
    try {
      let value = field.runValidation(input[field.fieldName], state);
      if (value instanceof Promise) {
        acc.pending ??= [];
        acc.pending.push(this.settle(field, value, acc));
        return;
      }
      if (value === SKIP) return;
      if (this.plan.hooks.has(field.fieldName)) {
        value = this.runHook(field.fieldName, value);
        if (value instanceof Promise) {
          acc.pending ??= [];
          acc.pending.push(this.settle(field, value, acc, true));
          return;
        }
      }
      setValue(acc.out, field.sourceAttrs, value);
    } catch (thrown) {
      fieldError(acc, field.fieldName, thrown);
    }
  }

  private runHook(name: string, value: unknown): unknown {
    return (this as unknown as Record<string, (v: unknown) => unknown>)[`validate_${name}`]!.call(
      this,
      value,
    );
  }

  /** The async tail of one field: its value (then its validate_<field> hook), or its error. */
  private async settle(
    field: AnyField,
    value: Promise<unknown>,
    acc: ParseAcc,
    hooked = false,
  ): Promise<void> {
    try {
      let v = await value;
      if (v === SKIP) return;
      if (!hooked && this.plan.hooks.has(field.fieldName)) v = await this.runHook(field.fieldName, v);
      setValue(acc.out, field.sourceAttrs, v);
    } catch (thrown) {
      fieldError(acc, field.fieldName, thrown);
    }
  }

  protected async runSerializerValidators(attrs: W, state: RunState): Promise<void> {
    const validators = this.plan.validators;
    if (validators.length === 0) return;
    const errors = new ErrorCollector();
    const ctx: ValidatorContext & { serializer: AnySerializer } = {
      ...state,
      field: undefined,
      serializer: this as AnySerializer,
    };
    for (const validator of validators) {
      try {
        await (typeof validator === "function"
          ? validator(attrs as never, ctx)
          : validator.validate(attrs as never, ctx));
      } catch (thrown) {
        const e = asValidationError(thrown);
        if (!e) throw thrown;
        errors.addRaised(e, NON_FIELD_ERRORS);
      }
    }
    if (errors.any) throw errors.toError();
  }

  /** DRF's validate(attrs): cross-field checks; return the (possibly changed) attrs. */
  validate(attrs: W): W | Promise<W> {
    return attrs;
  }

  // ---------------- saving ----------------

  /** DRF's save(**kwargs): `extra` is merged into the validated data, then create() or update(). */
  async save(
    extra: Partial<Record<keyof W | (string & {}), unknown>> = {},
  ): Promise<Awaited<ReturnType<this["create"]>>> {
    if (this.errorTree) throw new Error("You cannot call `.save()` on a serializer with invalid data.");
    const validated = { ...(this.validatedData as object), ...extra } as W;
    this.instance =
      this.instance != null ? await this.update(this.instance, validated) : await this.create(validated);
    this.dataPromise = undefined;
    return this.instance as Awaited<ReturnType<this["create"]>>;
  }

  create(_validatedData: W): I | Promise<I> {
    throw new Error("`create()` must be implemented.");
  }

  update(_instance: I, _validatedData: W): I | Promise<I> {
    throw new Error("`update()` must be implemented.");
  }

  // ---------------- introspection ----------------

  /** The selectRelated / prefetchRelated paths the representation reads (no N+1 by construction). */
  static queryPlan(): QueryPlan {
    const paths: PlanPaths = { select: new Set(), prefetch: new Set() };
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own plan)
    for (const f of this.getPlan().readable) f.collectPlan("", paths);
    return { selectRelated: [...paths.select], prefetchRelated: [...paths.prefetch] };
  }

  /** As a nested field: its own paths under the parent's relation. */
  override collectPlan(prefix: string, paths: PlanPaths): void {
    const own = this.sourceAttrs.length
      ? `${prefix}${this.sourceAttrs.join("__")}`
      : prefix.replace(/__$/, "");
    if (own) paths.select.add(own);
    for (const f of this.plan.readable) f.collectPlan(own ? `${own}__` : "", paths);
  }

  /** JSON Schema of the read shape or the write shape. */
  static jsonSchema(options: { mode?: SchemaMode } = {}): JsonSchema {
    // biome-ignore lint/complexity/noThisInStatic: statics are polymorphic (each subclass has its own plan)
    return objectSchema(this.getPlan(), options.mode ?? "read");
  }

  protected override typeSchema(mode: SchemaMode): JsonSchema {
    return objectSchema(this.plan, mode);
  }
}

/** Arguments of a many=True serializer that belong to the list, not to its child. */
const LIST_ONLY = new Set(["many", "instance", "data", "allowEmpty", "minLength", "maxLength"]);

/**
 * `new S({ many: true, ... })`: the ListSerializer around one child of S. The child gets every
 * argument but the list's, the list every argument but `many`. Copied key by key: an object
 * rest (`{ many, instance, ...childArgs }`) spread again into the list's arguments cost about
 * 7 us per serializer in V8 (slow-path object literals), more than rendering 20 rows.
 */
function manyOf<I>(
  Child: new (a: SerializerArgs<I>) => BaseSerializer<unknown, unknown, I>,
  args: SerializerArgs<I>,
): ListSerializer<BaseSerializer<unknown, unknown, I>> {
  const context = args.context ?? EMPTY_CONTEXT;
  const partial = args.partial === true;
  const given = args as Record<string, unknown>;
  const childArgs: Record<string, unknown> = {};
  const listArgs: Record<string, unknown> = {};
  for (const k of Object.keys(given)) {
    if (!LIST_ONLY.has(k)) childArgs[k] = given[k];
    if (k !== "many") listArgs[k] = given[k];
  }
  childArgs.context = context;
  childArgs.partial = partial;
  listArgs.context = context;
  listArgs.partial = partial;
  listArgs.child = new Child(childArgs as SerializerArgs<I>);
  return new ListSerializer(listArgs as unknown as ListSerializerArgs<BaseSerializer<unknown, unknown, I>>);
}

const renderers = new WeakMap<FieldPlan, Renderer>();

/** The compiled renderer of a plan (built on first use; dynamic-field plans are cached by key). */
function renderPlan(plan: FieldPlan): Renderer {
  let r = renderers.get(plan);
  if (!r) {
    r = compileRenderer(plan.readable);
    renderers.set(plan, r);
  }
  return r;
}

function planOf(cls: typeof BaseSerializer): FieldPlan {
  let plan = plans.get(cls);
  if (!plan) {
    plan = makePlan(cls.buildFields(), cls.prototype, cls.buildValidators());
    plans.set(cls, plan);
  }
  return plan;
}

function objectSchema(plan: FieldPlan, mode: SchemaMode): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of mode === "read" ? plan.readable : plan.writable) {
    if (mode === "write" && f instanceof HiddenField) continue; // never sent by clients
    properties[f.fieldName] = f.jsonSchema(mode);
    if (mode === "write" ? f.required : true) required.push(f.fieldName);
  }
  const s: JsonSchema = { type: "object", properties };
  if (required.length) s.required = required;
  return s;
}

/** Record a field's error (DRF's or Django's); anything else is a bug and propagates. */
export function fieldError(acc: ParseAcc, name: string, thrown: unknown): void {
  const e = asValidationError(thrown);
  if (!e) throw thrown;
  acc.errors ??= new ErrorCollector();
  acc.errors.add(name, e);
}

const parsers = new WeakMap<FieldPlan, Parser>();

function parserOf(plan: FieldPlan): Parser {
  let p = parsers.get(plan);
  if (!p) {
    p = compileParser(plan);
    parsers.set(plan, p);
  }
  return p;
}

/**
 * The object a nested serializer validates against (unique checks exclude it): the parent's
 * related object when loaded, else `{ pk }` from the foreign key column, else none.
 */
function nestedInstance(parent: unknown, attrs: readonly string[]): unknown {
  if (parent == null || typeof parent !== "object" || attrs.length !== 1) return null;
  const name = attrs[0]!;
  try {
    const related = (parent as Record<string, unknown>)[name];
    if (related != null && typeof related === "object") return related;
  } catch {
    // an unloaded relation throws: fall back to its id
  }
  const id = (parent as Record<string, unknown>)[`${name}_id`];
  return id == null ? null : { pk: id };
}

function finishObject<W>(out: Record<string, unknown>, errors: ErrorCollector | null): W {
  if (errors?.any) throw errors.toError();
  return out as W;
}

function rethrowAsSerializerError(thrown: unknown): never {
  const e = asValidationError(thrown);
  if (!e) throw thrown;
  throw asSerializerError(e);
}

/** A list/string error at serializer level becomes `{"non_field_errors": [...]}`. */
function asSerializerError(e: ValidationError): ValidationError {
  if (!Array.isArray(e.detail)) return e;
  return ValidationError.fromTree({ [NON_FIELD_ERRORS]: e.detail }, { [NON_FIELD_ERRORS]: e.codes });
}
