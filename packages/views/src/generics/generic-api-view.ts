// DRF's GenericAPIView: a queryset, a serializer class, lookup, filtering and
// pagination hooks, plus automatic query planning from the serializer.

import type { QuerySet } from "@x/models";
import { getApiContext } from "../api-context.js";
import { ImproperlyConfigured, NotFound } from "../exceptions/api-exception.js";
import { toAPIException } from "../exceptions/translate.js";
import type { FilterBackendClass, Pagination, PaginationClass } from "../interfaces.js";
import type { Response } from "../response/response.js";
import { APIView } from "../views/api-view.js";
import type {
  AnyQuerySet,
  QueryPlan,
  SerializerClassLike,
  SerializerContext,
  SerializerLike,
  SerializerOptions,
} from "./contracts.js";
import { lookupCanMatch } from "./lookup-value.js";
import { applyQueryPlan } from "./query-plan.js";

export class GenericAPIView<T = unknown> extends APIView {
  static queryset?: AnyQuerySet;
  static serializerClass?: SerializerClassLike;
  static lookupField = "pk";
  static lookupUrlKwarg?: string;
  /** Route regex for the lookup value (read by @x/routers). */
  static lookupValueRegex?: string;
  static filterBackends?: readonly FilterBackendClass[];
  static paginationClass?: PaginationClass | null;
  /** Derive selectRelated/prefetchRelated/only from the serializer (default on). */
  static autoQueryPlan = true;

  declare queryset?: AnyQuerySet;
  declare serializerClass?: SerializerClassLike;
  declare lookupField?: string;
  declare lookupUrlKwarg?: string;
  declare filterBackends?: readonly FilterBackendClass[];
  declare paginationClass?: PaginationClass | null;

  /** The base queryset (DRF's get_queryset); override for per-request or per-action scoping. */
  getQueryset(): QuerySet<T> {
    const queryset = this.getAttribute<QuerySet<T>>("queryset");
    if (!queryset) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} should either include a \`queryset\` attribute, or override the \`getQueryset()\` method.`,
      );
    }
    return queryset;
  }

  getSerializerClass(): SerializerClassLike {
    const cls = this.getAttribute<SerializerClassLike>("serializerClass");
    if (!cls) {
      throw new ImproperlyConfigured(
        `${this.constructor.name} should either include a \`serializerClass\` attribute, or override the \`getSerializerClass()\` method.`,
      );
    }
    return cls;
  }

  getSerializerContext(): SerializerContext {
    const request = this.request;
    const resolver = getApiContext(request.context).resolver;
    const format = request.hasQuery
      ? (request.queryParams.get(this.settings.urlFormatOverride ?? "format") ?? undefined)
      : undefined;
    // One literal of one shape (no conditional spread: V8 copies that on a slow path per request).
    return {
      request,
      view: this,
      format,
      reverse: (name, kwargs) => this.reverse(name, kwargs),
      resolve: resolver?.resolve ? (path: string) => resolver.resolve?.(path) ?? null : undefined,
    };
  }

  getSerializer(options: SerializerOptions = {}): SerializerLike {
    const Serializer = this.getSerializerClass();
    const own = this.getSerializerContext();
    // Object.assign, not spreads: V8 (Node 20) builds { ...a, ...b } on a slow path (~0.7 µs each).
    const context = options.context === undefined ? own : Object.assign({}, own, options.context);
    return new Serializer(Object.assign({}, options, { context }));
  }

  /** The query plan of the serializer this action uses. */
  getQueryPlan(): QueryPlan | null {
    if (!this.getAttribute<boolean>("autoQueryPlan")) return null;
    return this.getSerializerClass().queryPlan?.() ?? null;
  }

  /**
   * getQueryset() with the serializer's plan applied where getQueryset did not choose one itself.
   * The plan's `only` (the columns the serializer renders) narrows reads (GET, HEAD, OPTIONS)
   * unless `{ only: false }`: a deferred column reads as undefined, and a saved object would
   * leave it out of its UPDATE (auto_now stamps, values set by hooks).
   */
  getPlannedQueryset(options: { only?: boolean } = {}): QuerySet<T> {
    const method = this.request.method;
    const reading = method === "GET" || method === "HEAD" || method === "OPTIONS";
    return applyQueryPlan(this.getQueryset(), this.getQueryPlan(), {
      only: reading && options.only !== false,
    });
  }

  private backendClasses(): readonly FilterBackendClass[] {
    return (
      this.getAttribute<readonly FilterBackendClass[]>("filterBackends") ??
      this.settings.defaultFilterBackends
    );
  }

  /** Synchronous: a QuerySet is thenable, so a Promise of one would run it. */
  filterQueryset(queryset: QuerySet<T>): QuerySet<T> {
    for (const Backend of this.backendClasses()) {
      queryset = new Backend().filterQueryset(this.request, queryset, this);
    }
    return queryset;
  }

  /**
   * The backends' checks that need the database, awaited before list/getObject filter. A Promise
   * only when a backend's check is pending: a request without filter parameters answers at once.
   */
  validateFilterRequest(): Promise<void> | undefined {
    const backends = this.backendClasses();
    for (let i = 0; i < backends.length; i++) {
      const backend = new (backends[i] as FilterBackendClass)();
      const pending = backend.validateRequest?.(this.request, this);
      if (pending) return this.validateFilterRequestFrom(backends, i + 1, pending);
    }
    return undefined;
  }

  /** The rest of validateFilterRequest once the backend before `next` answered with a Promise. */
  private async validateFilterRequestFrom(
    backends: readonly FilterBackendClass[],
    next: number,
    pending: Promise<void>,
  ): Promise<void> {
    await pending;
    for (let i = next; i < backends.length; i++) {
      await new (backends[i] as FilterBackendClass)().validateRequest?.(this.request, this);
    }
  }

  /** The object named by the URL, 404 `Not found.` when absent, after the object permissions. */
  async getObject(): Promise<T> {
    // Each `await` of a value that is no promise would cost a microtask: only pending steps are awaited.
    const validating = this.validateFilterRequest();
    if (validating) await validating;
    // the object loads whole: object permissions, retrieve/update hooks and saves read columns
    // the serializer may not render (a lone row gains little from only())
    const queryset = this.filterQueryset(this.getPlannedQueryset({ only: false }));
    const lookupField = this.getAttribute<string>("lookupField") ?? "pk";
    const urlKwarg = this.getAttribute<string>("lookupUrlKwarg") ?? lookupField;
    const value = this.kwargs[urlKwarg];
    if (value === undefined) {
      throw new ImproperlyConfigured(
        `Expected view ${this.constructor.name} to be called with a URL keyword argument named "${urlKwarg}". Fix your URL conf, or set the \`lookupField\` attribute on the view correctly.`,
      );
    }
    const obj = await getObjectOr404(queryset, { [lookupField]: value });
    const checking = this.checkObjectPermissions(this.request, obj);
    if (checking) await checking;
    return obj;
  }

  private paginatorInstance: Pagination | null | undefined;

  /** The pagination instance of this request, or null when unpaginated. */
  get paginator(): Pagination | null {
    if (this.paginatorInstance === undefined) {
      const Paginator =
        this.getAttribute<PaginationClass | null>("paginationClass") ??
        (this.getAttribute("paginationClass") === null ? null : this.settings.defaultPaginationClass);
      this.paginatorInstance = Paginator ? new Paginator() : null;
    }
    return this.paginatorInstance;
  }

  async paginateQueryset(queryset: QuerySet<T>): Promise<T[] | null> {
    const paginator = this.paginator;
    if (!paginator) return null;
    return paginator.paginateQueryset(queryset, this.request, this);
  }

  getPaginatedResponse(data: unknown[]): Response {
    const paginator = this.paginator;
    if (!paginator) throw new ImproperlyConfigured("getPaginatedResponse() called without a paginator");
    return paginator.getPaginatedResponse(data);
  }

  // ----- hooks of the mixins (DRF's perform_* and get_success_headers) -----

  async performCreate(serializer: SerializerLike): Promise<void> {
    await serializer.save();
  }

  async performUpdate(serializer: SerializerLike): Promise<void> {
    await serializer.save();
  }

  async performDestroy(instance: T): Promise<void> {
    await (instance as { delete(): Promise<unknown> }).delete();
  }

  getSuccessHeaders(data: unknown): Record<string, string> {
    const url = (data as Record<string, unknown> | null)?.url;
    return typeof url === "string" ? { Location: url } : {};
  }
}

/** DRF's generics.get_object_or_404: a missing row, or a lookup value of the wrong type, is a 404. */
export async function getObjectOr404<T>(
  queryset: { get(...conditions: never[]): Promise<T> },
  lookups: Record<string, unknown>,
): Promise<T> {
  const model = (queryset as { model?: Parameters<typeof lookupCanMatch>[0] }).model;
  if (!lookupCanMatch(model, lookups)) throw new NotFound();
  try {
    // Lookups come from the URL: typed filters cannot be checked statically here.
    return await (queryset as unknown as { get(lookups: Record<string, unknown>): Promise<T> }).get(lookups);
  } catch (error) {
    const api = toAPIException(error);
    if (api instanceof NotFound) throw api;
    // A malformed lookup value names no object: 404, as DRF (Django's ValueError/ValidationError).
    if (api && api.statusCode === 400) throw new NotFound();
    throw error;
  }
}
