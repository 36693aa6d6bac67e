// Constructors for the non-relation fields (Django's names).
import { type BaseOptions, buildSpec, type Nullable, type OptionalFlag, type PkFlag } from "./build.js";
import type { Field, FieldMeta, FieldSpec } from "./types.js";

type F<V, O> = Field<Nullable<V, O>, OptionalFlag<O>, PkFlag<O>>;

export interface AutoOptions {
  primaryKey?: boolean;
  dbColumn?: string;
  verboseName?: string;
  helpText?: string;
}
const autoForced = { editable: false, blank: true, hasDefault: false } as const;

export function AutoField(options: AutoOptions = {}): Field<number, true, true> {
  return { spec: buildSpec("AutoField", "auto", { primaryKey: true, ...options }, autoForced) };
}
export function BigAutoField(options: AutoOptions = {}): Field<number, true, true> {
  return { spec: buildSpec("BigAutoField", "auto", { primaryKey: true, ...options }, autoForced) };
}
export function SmallAutoField(options: AutoOptions = {}): Field<number, true, true> {
  return { spec: buildSpec("SmallAutoField", "auto", { primaryKey: true, ...options }, autoForced) };
}

export interface CharOptions extends BaseOptions<string> {
  maxLength: number;
}
export function CharField<const O extends CharOptions>(options: O): F<string, O> {
  return { spec: buildSpec("CharField", "string", options) };
}
export function SlugField<const O extends Partial<CharOptions>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("SlugField", "string", { maxLength: 50, dbIndex: true, ...options }) };
}
export function EmailField<const O extends Partial<CharOptions>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("EmailField", "string", { maxLength: 254, ...options }) };
}
export function URLField<const O extends Partial<CharOptions>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("URLField", "string", { maxLength: 200, ...options }) };
}
export function TextField<const O extends BaseOptions<string>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("TextField", "string", options) };
}
export function UUIDField<const O extends BaseOptions<string>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("UUIDField", "uuid", options) };
}

export function IntegerField<const O extends BaseOptions<number>>(options: O = {} as O): F<number, O> {
  return { spec: buildSpec("IntegerField", "integer", options) };
}
export function BigIntegerField<const O extends BaseOptions<number>>(options: O = {} as O): F<number, O> {
  return { spec: buildSpec("BigIntegerField", "integer", options) };
}
export function SmallIntegerField<const O extends BaseOptions<number>>(options: O = {} as O): F<number, O> {
  return { spec: buildSpec("SmallIntegerField", "integer", options) };
}
export function PositiveIntegerField<const O extends BaseOptions<number>>(
  options: O = {} as O,
): F<number, O> {
  return { spec: buildSpec("PositiveIntegerField", "integer", options) };
}
export function PositiveSmallIntegerField<const O extends BaseOptions<number>>(
  options: O = {} as O,
): F<number, O> {
  return { spec: buildSpec("PositiveSmallIntegerField", "integer", options) };
}
export function PositiveBigIntegerField<const O extends BaseOptions<number>>(
  options: O = {} as O,
): F<number, O> {
  return { spec: buildSpec("PositiveBigIntegerField", "integer", options) };
}
export function FloatField<const O extends BaseOptions<number>>(options: O = {} as O): F<number, O> {
  return { spec: buildSpec("FloatField", "float", options) };
}

export interface DecimalOptions extends BaseOptions<string> {
  maxDigits: number;
  decimalPlaces: number;
}
/** Exact decimal; values are canonical strings with `decimalPlaces` places ("12.50"). */
export function DecimalField<const O extends DecimalOptions>(options: O): F<string, O> {
  return { spec: buildSpec("DecimalField", "decimal", options) };
}

export function BooleanField<const O extends BaseOptions<boolean>>(options: O = {} as O): F<boolean, O> {
  return { spec: buildSpec("BooleanField", "boolean", options) };
}

export interface DateOptions<V> extends BaseOptions<V> {
  autoNow?: boolean;
  autoNowAdd?: boolean;
}
function dateForced(options: { autoNow?: boolean; autoNowAdd?: boolean }): Partial<FieldSpec> {
  // Django: auto_now/auto_now_add imply editable=False, blank=True
  return options.autoNow || options.autoNowAdd ? { editable: false, blank: true } : {};
}
/** Dates are "YYYY-MM-DD" strings. */
export function DateField<const O extends DateOptions<string>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("DateField", "date", options, dateForced(options)) };
}
/** Datetimes are UTC `Date`s. */
export function DateTimeField<const O extends DateOptions<Date>>(options: O = {} as O): F<Date, O> {
  return { spec: buildSpec("DateTimeField", "datetime", options, dateForced(options)) };
}
/** Times are "HH:MM:SS[.ffffff]" strings. */
export function TimeField<const O extends BaseOptions<string>>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("TimeField", "time", options) };
}
/** Durations are numbers of milliseconds (stored as microseconds). */
export function DurationField<const O extends BaseOptions<number>>(options: O = {} as O): F<number, O> {
  return { spec: buildSpec("DurationField", "duration", options) };
}

export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
export function JSONField<V = JSONValue, const O extends BaseOptions<V> = BaseOptions<V>>(
  options: O = {} as O,
): F<V, O> {
  return { spec: buildSpec("JSONField", "json", options as BaseOptions<unknown>) };
}

/** PostgreSQL array of `base`; stored as JSON text on SQLite with the same lookups. */
export function ArrayField<B extends Field, const O extends BaseOptions<ArrayElement<B>[]>>(
  base: B,
  options: O = {} as O,
): F<ArrayElement<B>[], O> {
  const spec = buildSpec("ArrayField", "array", options as BaseOptions<unknown>);
  spec.baseField = base.spec as unknown as FieldMeta;
  return { spec };
}
type ArrayElement<B> = B extends Field<infer V, boolean, boolean> ? V : never;

export interface FileOptions extends BaseOptions<string> {
  uploadTo?: string;
  maxLength?: number;
}
/** A stored path (relative to the storage root); storage lives in src/storage. */
export function FileField<const O extends FileOptions>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("FileField", "string", { maxLength: 100, ...options }) };
}
export function ImageField<const O extends FileOptions>(options: O = {} as O): F<string, O> {
  return { spec: buildSpec("ImageField", "string", { maxLength: 100, ...options }) };
}
