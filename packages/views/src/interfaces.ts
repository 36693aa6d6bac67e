// The services @x/views runs but higher packages (@x/auth, @x/filters, the
// production half of this package) implement. Classes are configured as
// constructors (DRF's *_classes) and instantiated once per request.
import type { Request } from "./request/request.js";
import type { Response } from "./response/response.js";

export type Awaitable<T> = T | Promise<T>;

/** The user shape views rely on. @x/auth's User model satisfies it. */
export interface User {
  readonly isAuthenticated: boolean;
  readonly pk: unknown;
  readonly is_staff?: boolean;
  readonly is_active?: boolean;
}

/**
 * Types `request.user` across an application (TanStack's "Register" pattern):
 * `declare module "@x/views" { interface Register { user: ShopUser } }` makes
 * `request.user` a `ShopUser | AnonymousUser`, narrowed by `isAuthenticated`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point, filled by applications
export interface Register {}

/** The application's user type (see `Register`), `User` when not registered. */
export type RegisteredUser = Register extends { user: infer U extends User } ? U : User;

/** Django's AnonymousUser: what `request.user` is when no authenticator accepted the request. */
export class AnonymousUser implements User {
  readonly isAuthenticated = false;
  readonly pk = null;
  readonly is_staff = false;
  readonly is_active = false;
  readonly username = "";
}

/** What a view exposes to permissions, filters, throttles and paginations. */
export interface ViewLike {
  readonly request: Request;
  readonly kwargs: Record<string, string>;
  /** ViewSet action name (`list`, `retrieve`, an extra action), or undefined for plain views. */
  readonly action?: string | undefined;
  /** An attribute a backend reads (`searchFields`, `throttleScope`, ...): the instance's, else the class's static one. */
  getAttribute<T = unknown>(name: string): T | undefined;
}

export interface Authentication {
  /** `[user, auth]` when the credentials are valid, null when this scheme does not apply; throw AuthenticationFailed when they are invalid. */
  authenticate(request: Request): Awaitable<readonly [User, unknown] | null>;
  /** The WWW-Authenticate value for 401 responses; absent → 403 is used instead of 401 (as DRF). */
  authenticateHeader?(request: Request): string | undefined;
}
export type AuthenticationClass = new () => Authentication;

export interface Permission {
  /** Missing means allowed (DRF's BasePermission returns True). */
  hasPermission?(request: Request, view: ViewLike): Awaitable<boolean>;
  hasObjectPermission?(request: Request, view: ViewLike, obj: unknown): Awaitable<boolean>;
  /** Detail of the 403 (or 401) when denied. */
  message?: string | Record<string, unknown>;
  code?: string;
}
export type PermissionClass = new () => Permission;

/** An OpenAPI parameter a filter backend or pagination reads from the query string. */
export interface SchemaParameter {
  name: string;
  in: "query";
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

export interface FilterBackend {
  /**
   * Synchronous on purpose: a QuerySet is thenable, so returning one from an
   * async function (or a Promise) would run the query. Build it lazily here.
   */
  filterQueryset<Q>(request: Request, queryset: Q, view: ViewLike): Q;
  /**
   * Checks that need the database (a model choice key that names no row); throws ValidationError.
   * May answer synchronously (undefined) when there is nothing to check: no promise to wait for.
   */
  validateRequest?(request: Request, view: ViewLike): Promise<void> | undefined;
  schemaParameters?(view: ViewLike): SchemaParameter[];
}
export type FilterBackendClass = new () => FilterBackend;

export interface Throttle {
  allowRequest(request: Request, view: ViewLike): Awaitable<boolean>;
  /** Seconds until the next request is allowed, or null when unknown. */
  wait(): number | null;
}
export type ThrottleClass = new () => Throttle;

export interface Pagination {
  /** The page's rows, or null when this request is not paginated. */
  paginateQueryset<T>(
    queryset: PromiseLike<T[]> | T[],
    request: Request,
    view: ViewLike,
  ): Promise<T[] | null>;
  getPaginatedResponse(data: unknown[]): Response;
  /** OpenAPI schema of the paginated response wrapping `schema` (an item array). */
  getPaginatedResponseSchema?(schema: Record<string, unknown>): Record<string, unknown>;
  schemaParameters?(view: ViewLike): SchemaParameter[];
}
export type PaginationClass = new () => Pagination;

export interface Versioning {
  /** The version of this request, or null; throw NotFound/NotAcceptable for a version not allowed. */
  determineVersion(request: Request, kwargs: Record<string, string>): Awaitable<string | null>;
  /** Versioning-aware reverse (NamespaceVersioning prefixes the namespace); defaults to the resolver's. */
  reverse?(name: string, kwargs: Record<string, string | number> | undefined, request: Request): string;
}
export type VersioningClass = new () => Versioning;

// The Cache interface (shared state for throttles and response caching) lives in ./cache/cache.ts.

/** Builds URL paths from route names; installed by @x/routers (see the README's "Router contract"). */
export interface UrlResolver {
  /** The path (not absolute) of the named route; throws NoReverseMatch when unknown. */
  reverse(name: string, kwargs?: Record<string, string | number>, options?: { namespace?: string }): string;
  /** Django's resolve(): the route a path matches (writable hyperlinked fields read URLs back), or null. */
  resolve?(path: string): { viewName: string; kwargs: Record<string, string> } | null;
}
