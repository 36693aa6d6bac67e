// The slices of @x/models' QuerySet and @x/serializers' Serializer that the
// generic views use, stated structurally so any conforming implementation works.
import type { QuerySet } from "@x/models";
import type { Request } from "../request/request.js";

/** Any model's QuerySet (the class attribute `queryset` holds one of any model). */
// biome-ignore lint/suspicious/noExplicitAny: a view class attribute may hold a QuerySet of any model
export type AnyQuerySet = QuerySet<any, any>;

/** The serializer context views hand to serializers. */
export interface SerializerContext {
  request?: Request;
  view?: unknown;
  format?: string | undefined;
  /** Absolute URL of a named route (hyperlinked fields). */
  reverse?: (viewName: string, kwargs?: Record<string, unknown>) => string;
  /** The route a URL path names (writable hyperlinked fields). */
  resolve?: (path: string) => { viewName: string; kwargs: Record<string, string> } | null;
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
  /** The model the plan's paths and columns belong to: a queryset of another model ignores it. */
  model?: unknown;
}

export interface SerializerClassLike {
  // biome-ignore lint/suspicious/noExplicitAny: serializer constructors differ in their option types; views only pass SerializerOptions
  new (options?: any): SerializerLike;
  queryPlan?(): QueryPlan;
  jsonSchema?(options: { mode: "read" | "write" }): Record<string, unknown>;
}
