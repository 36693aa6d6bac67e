export const packageName = "@x/views";
// ----- core (views-core) -----
export {
  API_CONTEXT_KEY,
  type ApiContext,
  apiContext,
  FORCE_AUTH,
  getApiContext,
  setApiContext,
} from "./api-context.js";
export { type BasePage, basePageHtml } from "./browsable/base-page.js";
export { escapeHtml } from "./browsable/escape.js";
export { type BrowsableAPIOptions, BrowsableAPIRenderer } from "./browsable/renderer.js";
export * from "./cache/index.js";
export * from "./conditional/index.js";
export * from "./exceptions/api-exception.js";
export { type ExceptionContext, type ExceptionHandler, exceptionHandler } from "./exceptions/handler.js";
export { status } from "./exceptions/status.js";
export { toAPIException } from "./exceptions/translate.js";
export {
  CreateAPIView,
  DestroyAPIView,
  ListAPIView,
  ListCreateAPIView,
  RetrieveAPIView,
  RetrieveDestroyAPIView,
  RetrieveUpdateAPIView,
  RetrieveUpdateDestroyAPIView,
  UpdateAPIView,
} from "./generics/concrete.js";
export type {
  AnyQuerySet,
  QueryPlan,
  SerializerClassLike,
  SerializerContext,
  SerializerLike,
  SerializerOptions,
} from "./generics/contracts.js";
export { GenericAPIView, getObjectOr404 } from "./generics/generic-api-view.js";
export {
  CreateModelMixin,
  DestroyModelMixin,
  ListModelMixin,
  RetrieveModelMixin,
  UpdateModelMixin,
  withMixins,
} from "./generics/mixins.js";
export { applyQueryPlan } from "./generics/query-plan.js";
export {
  AnonymousUser,
  type Authentication,
  type AuthenticationClass,
  type Awaitable,
  type FilterBackend,
  type FilterBackendClass,
  type Pagination,
  type PaginationClass,
  type Permission,
  type PermissionClass,
  type Register,
  type RegisteredUser,
  type SchemaParameter,
  type Throttle,
  type ThrottleClass,
  type UrlResolver,
  type User,
  type Versioning,
  type VersioningClass,
  type ViewLike,
} from "./interfaces.js";
export * from "./pagination/index.js";
export { AllowAny, and, not, or } from "./permissions/compose.js";
export {
  FormParser,
  JSONParser,
  MultiPartParser,
  type ParsedBody,
  type Parser,
  type ParserClass,
} from "./request/parsers.js";
export { QueryDict } from "./request/query-dict.js";
export { Request } from "./request/request.js";
export { UploadedFile } from "./request/uploaded-file.js";
export {
  type ContentNegotiation,
  type ContentNegotiationClass,
  DefaultContentNegotiation,
  parseMediaType,
} from "./response/negotiation.js";
export {
  JSONRenderer,
  type Renderer,
  type RendererClass,
  type RendererContext,
} from "./response/renderers.js";
export { Response, type ResponseInit } from "./response/response.js";
export {
  type ApiSettings,
  DEFAULTS as DEFAULT_SETTINGS,
  defineSettings,
  type LayeredSettings,
  type Logger,
  layeredSettings,
  type SettingsInput,
} from "./settings/settings.js";
export {
  APIClient,
  type APIClientOptions,
  type ClientRequestOptions,
  type RequestFormat,
  type TestResponse,
} from "./test-client/client.js";
export * from "./throttling/index.js";
export * from "./versioning/index.js";
export {
  APIView,
  type HandlerResult,
  HTTP_METHOD_NAMES,
  type MethodHandler,
  type ViewOptions,
} from "./views/api-view.js";
export { apiView, type FunctionView, type HttpMethod } from "./views/function-view.js";
export { type Metadata, type MetadataClass, SimpleMetadata } from "./views/metadata.js";
export type {
  ActionMethod,
  ActionOptions,
  ActionsOf,
  ExtraAction,
  OperationSchema,
  SchemaSource,
} from "./viewsets/action.js";
export { kebabCase } from "./viewsets/action.js";
export type { ActionMap } from "./viewsets/viewset-mixin.js";
export { GenericViewSet, ModelViewSet, ReadOnlyModelViewSet, ViewSet } from "./viewsets/viewsets.js";
