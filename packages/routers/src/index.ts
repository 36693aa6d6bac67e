export { APIRootView, DefaultRouter, type DefaultRouterOptions } from "./default-router.js";
export { ImproperlyConfigured, NoReverseMatch } from "./errors.js";
export { DEFAULT_LOOKUP_VALUE_REGEX, PATH_CONVERTERS } from "./lookup.js";
export { type MountOptions, mount, mountsOf } from "./mount.js";
export { type NestedRouterOptions, NestedSimpleRouter } from "./nested-router.js";
export type { PathParam, PathPart, PathParts } from "./path.js";
export {
  type MountedPattern,
  type ResolverMatch,
  type ReverseKwargs,
  type ReverseOptions,
  URLResolver,
} from "./resolver.js";
export { absoluteUrl, type ReverseRequestOptions, resolve, reverse } from "./reverse.js";
export {
  type ActionMapping,
  type AnyRoute,
  type DynamicRouteDescription,
  dynamicRoute,
  type RouteDescription,
  route,
  simpleRoutes,
} from "./routes.js";
export {
  extendSchema,
  type OperationOverride,
  type SchemaOverrides,
  type SchemaSource,
} from "./schema/extend-schema.js";
export { generateSchema, type SchemaOptions } from "./schema/generator.js";
export { schemaView } from "./schema/schema-view.js";
export { allowsAnonymous, type DeclaredSecurityScheme, securitySchemeOf } from "./schema/security.js";
export type {
  JsonSchema,
  OpenAPIDocument,
  OperationObject,
  ParameterObject,
  PathItemObject,
  SecuritySchemeObject,
} from "./schema/types.js";
export {
  type RegisterOptions,
  type Registration,
  type Router,
  type RouterOptions,
  SimpleRouter,
  type TrailingSlash,
} from "./simple-router.js";
export { type PathOptions, type PlainView, path } from "./url-path.js";
export type { URLPattern } from "./url-pattern.js";
export type { ExtraAction, RoutableViewSet, ViewClassLike } from "./viewset.js";
