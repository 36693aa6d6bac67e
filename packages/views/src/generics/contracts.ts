// The slices of @x/models' QuerySet and @x/serializers' Serializer that the
// generic views use, stated structurally so any conforming implementation works.
import type { Request } from "../request/request.js";

/** A lazy, immutable, thenable QuerySet (await → rows). */
export interface QuerySetLike<T = unknown> extends PromiseLike<T[]> {
  filter(lookups: Record<string, unknown>): QuerySetLike<T>;
  get(lookups?: Record<string, unknown>): Promise<T>;
  selectRelated(...fields: string[]): QuerySetLike<T>;
  prefetchRelated(...lookups: string[]): QuerySetLike<T>;
  only(...fields: string[]): QuerySetLike<T>;
}

/** The serializer context views hand to serializers. */
export interface SerializerContext {
  request?: Request;
  view?: unknown;
  format?: string | undefined;
  /** Absolute URL of a named route (hyperlinked fields). */
  reverse?: (viewName: string, kwargs?: Record<string, unknown>) => string;
  [key: string]: unknown;
}

export interface SerializerOptions {
  instance?: unknown;
  data?: unknown;
  many?: boolean;
  partial?: boolean;
  context?: SerializerContext;
}

export interface SerializerLike {
  isValid(options?: { raiseException?: boolean }): Promise<boolean>;
  readonly data: unknown;
  readonly errors: unknown;
  readonly validatedData: unknown;
  save(extra?: Record<string, unknown>): Promise<unknown>;
  readonly instance?: unknown;
}

/** The relation paths a representation reads (see @x/serializers' `queryPlan()`). */
export interface QueryPlan {
  selectRelated?: readonly string[];
  prefetchRelated?: readonly string[];
  only?: readonly string[];
}

export interface SerializerClassLike {
  // biome-ignore lint/suspicious/noExplicitAny: serializer constructors differ in their option types; views only pass SerializerOptions
  new (options?: any): SerializerLike;
  queryPlan?(): QueryPlan;
  jsonSchema?(options: { mode: "read" | "write" }): Record<string, unknown>;
}
