// A view instance configured as it would be for one action of one route, so the
// generator asks it what a request would use (serializer, paginator, permissions…).

import {
  type APIView,
  type ApiSettings,
  type AuthenticationClass,
  type FilterBackendClass,
  NamespaceVersioning,
  type Pagination,
  type PermissionClass,
  Request,
  type SchemaParameter,
  type SerializerClassLike,
  type ThrottleClass,
  type ViewLike,
} from "@x/views";
import type { Context } from "hono";
import type { ViewClassLike } from "../viewset.js";

// biome-ignore lint/suspicious/noExplicitAny: the schema request runs under a throwaway Hono app
type AnyContext = Context<any, any, any>;

type GenericLike = APIView & {
  getSerializerClass?: () => SerializerClassLike;
  readonly paginator?: Pagination | null;
};

export interface ViewFacts {
  readonly view: APIView;
  readonly serializerClass: SerializerClassLike | undefined;
  readonly paginator: Pagination | null;
  readonly filterParameters: SchemaParameter[];
  readonly authenticationClasses: AuthenticationClass[];
  readonly permissionClasses: PermissionClass[];
  readonly throttled: boolean;
  readonly description: string;
}

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    // The view could not tell outside a real request (a getter reading request data): document without it.
    return fallback;
  }
}

export async function inspectView(
  viewset: ViewClassLike,
  initkwargs: Readonly<Record<string, unknown>>,
  action: string,
  settings: ApiSettings,
  c: AnyContext,
  kwargs: Readonly<Record<string, string>> = {},
  apiVersion?: string,
): Promise<ViewFacts | null> {
  const view = new (viewset as unknown as new () => GenericLike)();
  Object.assign(view, initkwargs);
  view.action = action;
  view.settings = settings;
  view.kwargs = { ...kwargs };
  const request = new Request(c, { kwargs: { ...kwargs }, settings });
  view.request = request;
  // Versioned views pick serializers by request.version (NamespaceVersioning reads the mount's namespace).
  await view.determineVersion(request).catch(() => undefined);
  if (apiVersion !== undefined && request.versioningScheme && request.version !== apiVersion) {
    // A namespace is one version's routes: not part of another version's document.
    if (request.versioningScheme instanceof NamespaceVersioning) return null;
    // Query, header and host versioning: the version is whatever the client asks for.
    request.version = apiVersion;
  }

  // A plain APIView (ObtainAuthToken) may name a serializer without GenericAPIView's getSerializerClass.
  const serializerClass = view.getSerializerClass
    ? attempt<SerializerClassLike | undefined>(() => view.getSerializerClass?.(), undefined)
    : view.getAttribute<SerializerClassLike>("serializerClass");
  const paginator = attempt(() => view.paginator ?? null, null);
  const backends =
    view.getAttribute<readonly FilterBackendClass[]>("filterBackends") ?? settings.defaultFilterBackends;
  const filterParameters = backends.flatMap((Backend) =>
    attempt(() => new Backend().schemaParameters?.(view as unknown as ViewLike) ?? [], []),
  );
  const authenticationClasses = attempt(
    () => view.getAuthenticators().map((a) => a.constructor as AuthenticationClass),
    [] as AuthenticationClass[],
  );
  const permissionClasses = attempt(
    () => view.getPermissions().map((p) => p.constructor as PermissionClass),
    [] as PermissionClass[],
  );
  const throttles =
    view.getAttribute<readonly ThrottleClass[]>("throttleClasses") ?? settings.defaultThrottleClasses;
  return {
    view,
    serializerClass,
    paginator,
    filterParameters,
    authenticationClasses,
    permissionClasses,
    throttled: throttles.length > 0,
    description: attempt(() => view.getViewDescription(), ""),
  };
}
