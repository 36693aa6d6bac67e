// DRF's APIView: per-method async handlers behind content negotiation,
// versioning, authentication, permissions and throttles (in DRF's order),
// with every error turned into DRF's response by the exception handler.
import { randomUUID } from "node:crypto";
import type { Handler } from "hono";
import { getApiContext } from "../api-context.js";
import {
  AuthenticationFailed,
  ImproperlyConfigured,
  MethodNotAllowed,
  NotAuthenticated,
  PermissionDenied,
} from "../exceptions/api-exception.js";
import type { ExceptionContext, ExceptionHandler } from "../exceptions/handler.js";
import type {
  Authentication,
  AuthenticationClass,
  Awaitable,
  Permission,
  PermissionClass,
  Throttle,
  ThrottleClass,
  UrlResolver,
  VersioningClass,
  ViewLike,
} from "../interfaces.js";
import type { Parser, ParserClass } from "../request/parsers.js";
import type { AnyContext, Request } from "../request/request.js";
import type { ContentNegotiation, ContentNegotiationClass } from "../response/negotiation.js";
import type { Renderer, RendererClass } from "../response/renderers.js";
import { Response } from "../response/response.js";
import { type ApiSettings, DEFAULTS } from "../settings/settings.js";
import { HTTP_METHOD_NAMES, type HttpMethodName } from "./http-methods.js";
import type { MetadataClass } from "./metadata.js";
import { type CyclePlan, handlerOf, instantiate, type Overrides, RequestCycle } from "./request-cycle.js";

export { renderedBodyOf, renderedHeadersOf } from "./request-cycle.js";

export type HandlerResult = Response | globalThis.Response;
export type MethodHandler = (request: Request) => Awaitable<HandlerResult>;

export { HTTP_METHOD_NAMES, type HttpMethodName } from "./http-methods.js";

/** Each method's bit in a view's handler mask (its index in HTTP_METHOD_NAMES). */
const METHOD_BIT = Object.fromEntries(HTTP_METHOD_NAMES.map((m, i) => [m, 1 << i])) as Record<
  HttpMethodName,
  number
>;

/** Options a route (router, action) passes to one view instance; also the per-view overrides. */
export interface ViewOptions {
  authenticationClasses?: readonly AuthenticationClass[];
  permissionClasses?: readonly PermissionClass[];
  throttleClasses?: readonly ThrottleClass[];
  rendererClasses?: readonly RendererClass[];
  parserClasses?: readonly ParserClass[];
  versioningClass?: VersioningClass | null;
  contentNegotiationClass?: ContentNegotiationClass;
  metadataClass?: MetadataClass | null;
  maxBodySize?: number;
  /** Settings for this view when no `apiContext` middleware installed any. */
  settings?: ApiSettings;
  /** View name and description (OPTIONS metadata, API root, schema). */
  name?: string;
  description?: string;
  /** Any further attribute (`basename`, `detail`, `suffix`, `throttleScope`, ...), set on the instance. */
  [attribute: string]: unknown;
}

export class APIView implements ViewLike {
  // Per-view configuration (DRF's class attributes); the settings apply when absent.
  static authenticationClasses?: readonly AuthenticationClass[];
  static permissionClasses?: readonly PermissionClass[];
  static throttleClasses?: readonly ThrottleClass[];
  static rendererClasses?: readonly RendererClass[];
  static parserClasses?: readonly ParserClass[];
  static versioningClass?: VersioningClass | null;
  static contentNegotiationClass?: ContentNegotiationClass;
  static metadataClass?: MetadataClass | null;
  /** Used by OPTIONS and the API root; defaults to the class name split into words. */
  static viewName?: string;
  static viewDescription?: string;
  /** Largest request body this view accepts, in bytes (default: the `maxBodySize` setting). */
  static maxBodySize?: number;
  /** Settings of this view class when no `apiContext` middleware installed any. */
  static settings?: ApiSettings;

  // Per-instance overrides (route initkwargs, action options, or subclass fields).
  declare authenticationClasses?: readonly AuthenticationClass[];
  declare permissionClasses?: readonly PermissionClass[];
  declare throttleClasses?: readonly ThrottleClass[];
  declare rendererClasses?: readonly RendererClass[];
  declare parserClasses?: readonly ParserClass[];
  declare versioningClass?: VersioningClass | null;
  declare contentNegotiationClass?: ContentNegotiationClass;
  declare metadataClass?: MetadataClass | null;
  declare maxBodySize?: number;
  declare name?: string;
  declare description?: string;

  request!: Request;
  kwargs: Record<string, string> = {};
  /** Resolved in dispatch: initkwargs `settings`, else static `settings`, else the apiContext's, else defaults. */
  // A field (undefined until dispatch), not a declaration: setting it then changes no hidden class.
  settings!: ApiSettings;
  /** Current action name; set by ViewSets. */
  action: string | undefined = undefined;
  /** Response headers added to every response of this view (DRF's default_response_headers + self.headers). */
  headers: Record<string, string> = {};

  /** A Hono handler serving this view: one instance per request, `initkwargs` set on it. */
  static asView(initkwargs: ViewOptions = {}): Handler {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    const View = this as unknown as new () => APIView;
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    checkInitkwargs(this, initkwargs);
    const serve = routeDispatcher();
    // Not an async function: it would wrap dispatch's promise in one more (and a microtask).
    const handler: Handler = (c) => {
      try {
        const view = new View();
        Object.assign(view, initkwargs);
        return serve(view, c);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return Object.assign(handler, { viewClass: this, viewInitkwargs: initkwargs });
  }

  /** Instance attribute, else the class's static attribute (DRF's getattr on a class attribute). */
  getAttribute<T = unknown>(name: string): T | undefined {
    const own = (this as unknown as Record<string, unknown>)[name];
    if (own !== undefined) return own as T;
    return (this.constructor as unknown as Record<string, unknown>)[name] as T | undefined;
  }

  // ----- configuration resolution (`attribute`, below the class) -----

  getAuthenticators(): Authentication[] {
    return instantiate(configured.authenticationClasses(this, this.settings));
  }

  getPermissions(): Permission[] {
    return instantiate(configured.permissionClasses(this, this.settings));
  }

  getThrottles(): Throttle[] {
    return instantiate(configured.throttleClasses(this, this.settings));
  }

  getParsers(): Parser[] {
    return instantiate(configured.parserClasses(this, this.settings));
  }

  /** The request cycle instantiates them once per request (negotiation, rendering, metadata). */
  getRenderers(): Renderer[] {
    return instantiate(configured.rendererClasses(this, this.settings));
  }

  getContentNegotiator(): ContentNegotiation {
    const Negotiator = configured.contentNegotiationClass(this, this.settings);
    return new Negotiator();
  }

  getExceptionHandler(): ExceptionHandler {
    return this.settings.exceptionHandler;
  }

  getExceptionHandlerContext(): ExceptionContext {
    return { view: this, request: this.request ?? null };
  }

  /** Methods this view answers, upper case, in Django's order (the `Allow` header). */
  get allowedMethods(): string[] {
    return [...allowedFor(this.handlerMask()).methods];
  }

  /** Which of HTTP_METHOD_NAMES this view answers, one bit each (the key of the `Allow` memo). */
  handlerMask(): number {
    let mask = 0;
    if (this.handlerFor !== APIView.prototype.handlerFor) {
      for (let i = 0; i < HTTP_METHOD_NAMES.length; i++) {
        if (this.handlerFor(HTTP_METHOD_NAMES[i] as HttpMethodName) !== undefined) mask |= 1 << i;
      }
      return mask;
    }
    // handlerFor's rule, read once per response for `Allow`, one named property read per method
    // (a computed `this[name]` is a megamorphic keyed load, eight per response).
    const v = this as unknown as Partial<Record<HttpMethodName, unknown>>;
    if (typeof v.get === "function") mask |= METHOD_BIT.get | METHOD_BIT.head; // HEAD is answered by GET
    if (typeof v.post === "function") mask |= METHOD_BIT.post;
    if (typeof v.put === "function") mask |= METHOD_BIT.put;
    if (typeof v.patch === "function") mask |= METHOD_BIT.patch;
    if (typeof v.delete === "function") mask |= METHOD_BIT.delete;
    if (typeof v.head === "function") mask |= METHOD_BIT.head;
    if (typeof v.options === "function") mask |= METHOD_BIT.options;
    if (typeof v.trace === "function") mask |= METHOD_BIT.trace;
    return mask;
  }

  getViewName(): string {
    const ctor = this.constructor as typeof APIView;
    if (this.name) return this.name;
    if (ctor.viewName) return ctor.viewName;
    const base = ctor.name.replace(/(View|ViewSet)$/, "");
    const words = base.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
    const suffix = this.getAttribute<string>("suffix");
    return suffix ? `${words} ${suffix}` : words;
  }

  getViewDescription(): string {
    const ctor = this.constructor as typeof APIView;
    return this.description ?? ctor.viewDescription ?? "";
  }

  /** The path of a named route made absolute on this request's host; versioning-aware. */
  reverse(name: string, rawKwargs?: Record<string, unknown>): string {
    const request = this.request;
    const kwargs = rawKwargs ? routeKwargs(rawKwargs) : undefined;
    if (request.versioningScheme?.reverse) return request.versioningScheme.reverse(name, kwargs, request);
    const ctx = getApiContext(request.context);
    const resolver: UrlResolver | undefined = ctx.resolver;
    if (!resolver) throw new ImproperlyConfigured(`Cannot reverse "${name}": no URL resolver installed`);
    return request.buildAbsoluteUri(
      resolver.reverse(name, kwargs, ctx.namespace ? { namespace: ctx.namespace } : {}),
    );
  }

  // ----- request cycle (RequestCycle runs it; these are the steps a view may override) -----

  /** The running request's cycle (set by dispatch; made on demand for a step called outside one). */
  cycle: RequestCycle | undefined = undefined;

  handlerFor(method: string): MethodHandler | undefined {
    return handlerOf(this, method);
  }

  initializeRequest(c: AnyContext): Request {
    return cycleOf(this).makeRequest(c);
  }

  /**
   * Everything before the handler, in DRF's order. A Promise only when a step is
   * asynchronous (see RequestCycle.initialSteps); an override may be async.
   */
  initial(request: Request): void | Promise<void> {
    return cycleOf(this).initialSteps(request);
  }

  performContentNegotiation(request: Request, force = false): void {
    cycleOf(this).negotiate(request, force);
  }

  async determineVersion(request: Request): Promise<void> {
    await cycleOf(this).versionNow(request);
  }

  async performAuthentication(request: Request): Promise<void> {
    await cycleOf(this).authenticateNow(request);
  }

  /** DRF's permission_denied: 401 when authentication could help, else 403 with the permission's message. */
  permissionDenied(
    request: Request,
    message?: string | Record<string, unknown> | null,
    code?: string | null,
  ): never {
    if (cycleOf(this).authenticators.length > 0 && !request.successfulAuthenticator)
      throw new NotAuthenticated();
    throw new PermissionDenied(message ?? null, code ?? null);
  }

  async checkPermissions(request: Request): Promise<void> {
    await cycleOf(this).permissionsNow(request);
  }

  /**
   * DRF's check_object_permissions. A Promise only when a permission answers with one: the
   * built-in permissions answer synchronously, and awaiting their booleans would cost a microtask
   * each. Callers may await the result either way.
   */
  checkObjectPermissions(request: Request, obj: unknown): Promise<void> | undefined {
    return cycleOf(this).objectPermissions(request, obj);
  }

  /**
   * Every throttle sees the request (so each counts it); the longest wait is reported.
   * The hits of SimpleRateThrottles go to their cache in one batch (one Redis round trip).
   */
  async checkThrottles(request: Request): Promise<void> {
    await cycleOf(this).throttlesNow(request);
  }

  /**
   * The request cycle (see RequestCycle.run): synchronous when every step is, so
   * @hono/node-server writes the response in the same tick, as for a plain Hono handler.
   */
  dispatch(c: AnyContext): globalThis.Response | Promise<globalThis.Response> {
    const ctx = getApiContext(c);
    return new RequestCycle(this, cyclePlan(this, ctx.settings)).run(c, ctx);
  }

  async handleException(error: unknown): Promise<HandlerResult> {
    let exc = error;
    if (exc instanceof NotAuthenticated || exc instanceof AuthenticationFailed) {
      const header = this.authenticateHeader(this.request);
      if (header) exc.headers["WWW-Authenticate"] = header;
      // No scheme to challenge with: DRF answers 403 instead of 401.
      else exc = new PermissionDenied(exc.detail, exc.code);
    }
    let response: Response | null = null;
    try {
      response = await this.getExceptionHandler()(exc, this.getExceptionHandlerContext());
    } catch (handlerError) {
      exc = handlerError;
    }
    if (response) {
      response.exception = true;
      return response;
    }
    return this.serverError(exc);
  }

  /** WWW-Authenticate of the first authenticator (DRF's get_authenticate_header). */
  authenticateHeader(request: Request): string | undefined {
    const first = this.cycle?.authenticators[0] ?? this.getAuthenticators()[0];
    return first?.authenticateHeader?.(request);
  }

  /** A bug: log the stack with a request id, answer a generic 500 that leaks nothing. */
  serverError(error: unknown): Response {
    // The id the request log gives this request (a middleware's `requestId`), else the client's.
    const known = this.request?.context.get("requestId" as never) as unknown;
    const requestId =
      (typeof known === "string" ? known : this.request?.header("x-request-id")?.slice(0, 64)) ||
      randomUUID();
    this.settings.logger.error(`Internal server error (request ${requestId})`, {
      requestId,
      method: this.request?.method,
      path: this.request?.path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    const response = new Response({ detail: "A server error occurred." }, { status: 500 });
    response.headers.set("X-Request-Id", requestId);
    response.exception = true;
    return response;
  }

  /**
   * Renders our Response with the negotiated renderer; a raw Fetch Response passes through.
   * A Promise only when the renderer is asynchronous (the browsable API); JSON stays synchronous.
   */
  finalizeResponse(
    request: Request,
    response: HandlerResult,
  ): globalThis.Response | Promise<globalThis.Response> {
    return cycleOf(this).finalize(request, response);
  }

  // ----- default handlers -----

  /** OPTIONS: DRF's metadata (name, description, renders, parses, actions). */
  async options(request: Request): Promise<Response> {
    const Metadata = attribute<MetadataClass | null | undefined>(
      this,
      "metadataClass",
      this.metadataClass,
      classOf(this).metadataClass,
      this.settings.defaultMetadataClass,
    );
    if (!Metadata) throw new MethodNotAllowed(request.method);
    const data = await new Metadata().determineMetadata(request, this);
    return new Response(data);
  }
}

const baseGetAttribute = APIView.prototype.getAttribute;

function classOf(view: APIView): typeof APIView {
  return view.constructor as typeof APIView;
}

/**
 * A view's configured value (DRF's getattr on the view): the instance's, else the class's, else
 * `fallback`; a view that overrides `getAttribute` is asked instead. Callers pass the two values
 * as plain property reads (a constant name at each call site): `getAttribute`'s computed
 * `this[name]` is a megamorphic keyed load, two per attribute and a dozen per request. A
 * function, not a method: initkwargs may set any name on a view.
 */
function attribute<T>(
  view: APIView,
  name: string,
  own: T | undefined,
  inherited: T | undefined,
  fallback: T,
): T {
  if (view.getAttribute !== baseGetAttribute) return view.getAttribute<T>(name) ?? fallback;
  return (own !== undefined ? own : inherited) ?? fallback;
}

const base = APIView.prototype;

/**
 * The plan of one view's request cycle (RequestCycle): its configuration resolved (instance,
 * class, settings, as DRF's getattr) and which of the cycle's methods it overrides. A route
 * makes it from its first request's view, whose configuration every later one shares (initkwargs
 * and class attributes); a view answering its configuration itself (getAttribute, handlerFor)
 * gets a new plan per request.
 */
export function cyclePlan(view: APIView, contextSettings: ApiSettings | undefined): CyclePlan {
  const ctor = classOf(view);
  const settings = attribute<ApiSettings>(
    view,
    "settings",
    (view as { settings?: ApiSettings }).settings,
    ctor.settings,
    contextSettings ?? DEFAULTS,
  );
  // A view answering getAttribute itself may answer per request, with the request set: the cycle
  // asks its getX methods then, which ask it when the cycle needs the value (as DRF's getattr).
  const asks = view.getAttribute !== baseGetAttribute;
  const overrides: Overrides = {
    dispatch: view.dispatch !== base.dispatch,
    initializeRequest: view.initializeRequest !== base.initializeRequest,
    initial: view.initial !== base.initial,
    performContentNegotiation: view.performContentNegotiation !== base.performContentNegotiation,
    determineVersion: view.determineVersion !== base.determineVersion,
    performAuthentication: view.performAuthentication !== base.performAuthentication,
    checkPermissions: view.checkPermissions !== base.checkPermissions,
    checkThrottles: view.checkThrottles !== base.checkThrottles,
    getAuthenticators: asks || view.getAuthenticators !== base.getAuthenticators,
    getPermissions: asks || view.getPermissions !== base.getPermissions,
    getThrottles: asks || view.getThrottles !== base.getThrottles,
    getParsers: asks || view.getParsers !== base.getParsers,
    getRenderers: asks || view.getRenderers !== base.getRenderers,
    getContentNegotiator: asks || view.getContentNegotiator !== base.getContentNegotiator,
    handlerFor: view.handlerFor !== base.handlerFor,
    finalizeResponse: view.finalizeResponse !== base.finalizeResponse,
  };
  return {
    contextSettings,
    perRequest: asks || overrides.handlerFor,
    settings,
    kwargs: view.kwargs,
    authenticationClasses: configured.authenticationClasses(view, settings),
    permissionClasses: configured.permissionClasses(view, settings),
    throttleClasses: configured.throttleClasses(view, settings),
    rendererClasses: configured.rendererClasses(view, settings),
    parserClasses: configured.parserClasses(view, settings),
    versioningClass: configured.versioningClass(view, settings),
    contentNegotiationClass: configured.contentNegotiationClass(view, settings),
    maxBodySize: attribute<number | undefined>(
      view,
      "maxBodySize",
      view.maxBodySize,
      ctor.maxBodySize,
      undefined,
    ),
    allow: allowedFor(view.handlerMask()).header,
    overrides,
  };
}

/**
 * Serves one route's views (asView's handler): the route's plan made once, from its first
 * request (again when the apiContext's settings differ), then each request's cycle.
 */
export function routeDispatcher(): (
  view: APIView,
  c: AnyContext,
) => globalThis.Response | Promise<globalThis.Response> {
  let plan: CyclePlan | undefined;
  return (view, c) => {
    const ctx = getApiContext(c);
    if (plan === undefined || plan.perRequest || plan.contextSettings !== ctx.settings)
      plan = cyclePlan(view, ctx.settings);
    if (plan.overrides.dispatch) return view.dispatch(c);
    return new RequestCycle(view, plan).run(c, ctx);
  };
}

/** The view's running cycle; for a step called outside a dispatch, one made for it. */
function cycleOf(view: APIView): RequestCycle {
  let cycle = view.cycle;
  if (cycle === undefined) {
    const own = (view as { settings?: ApiSettings }).settings;
    cycle = new RequestCycle(view, cyclePlan(view, own));
    view.cycle = cycle;
  }
  return cycle;
}

/**
 * The view's configured classes, by attribute (instance, else class, else the settings' default):
 * what the getX methods instantiate and a route's plan holds.
 */
const configured = {
  authenticationClasses: (v: APIView, s: ApiSettings) =>
    attribute(
      v,
      "authenticationClasses",
      v.authenticationClasses,
      classOf(v).authenticationClasses,
      s.defaultAuthenticationClasses,
    ),
  permissionClasses: (v: APIView, s: ApiSettings) =>
    attribute(
      v,
      "permissionClasses",
      v.permissionClasses,
      classOf(v).permissionClasses,
      s.defaultPermissionClasses,
    ),
  throttleClasses: (v: APIView, s: ApiSettings) =>
    attribute(v, "throttleClasses", v.throttleClasses, classOf(v).throttleClasses, s.defaultThrottleClasses),
  parserClasses: (v: APIView, s: ApiSettings) =>
    attribute(v, "parserClasses", v.parserClasses, classOf(v).parserClasses, s.defaultParserClasses),
  rendererClasses: (v: APIView, s: ApiSettings) =>
    attribute(v, "rendererClasses", v.rendererClasses, classOf(v).rendererClasses, s.defaultRendererClasses),
  contentNegotiationClass: (v: APIView, s: ApiSettings) =>
    attribute(
      v,
      "contentNegotiationClass",
      v.contentNegotiationClass,
      classOf(v).contentNegotiationClass,
      s.defaultContentNegotiationClass,
    ),
  versioningClass: (v: APIView, s: ApiSettings) =>
    attribute<VersioningClass | null | undefined>(
      v,
      "versioningClass",
      v.versioningClass,
      classOf(v).versioningClass,
      s.defaultVersioningClass,
    ),
};

// The `Allow` header per set of handled methods, built once (a view class has one or two sets).
const allowMemo = new Map<number, { methods: readonly string[]; header: string }>();
function allowedFor(mask: number): { methods: readonly string[]; header: string } {
  let allowed = allowMemo.get(mask);
  if (!allowed) {
    const methods = HTTP_METHOD_NAMES.filter((_, i) => mask & (1 << i)).map((m) => m.toUpperCase());
    allowed = { methods: Object.freeze(methods), header: methods.join(", ") };
    allowMemo.set(mask, allowed);
  }
  return allowed;
}

/** Kwargs as a resolver takes them (numbers and strings); the caller's object when already so. */
function routeKwargs(raw: Record<string, unknown>): Record<string, string | number> {
  for (const key in raw) {
    const value = raw[key];
    if (typeof value !== "string" && typeof value !== "number") {
      const out: Record<string, string | number> = {};
      for (const k in raw) out[k] = typeof raw[k] === "number" ? (raw[k] as number) : String(raw[k]);
      return out;
    }
  }
  return raw as Record<string, string | number>;
}

/** Reject initkwargs naming a handler method (DRF's as_view check), at startup. */
export function checkInitkwargs(View: Function, initkwargs: ViewOptions): void {
  for (const key of Object.keys(initkwargs)) {
    if ((HTTP_METHOD_NAMES as readonly string[]).includes(key)) {
      throw new ImproperlyConfigured(
        `The method name ${key} is not accepted as a keyword argument to ${View.name}.asView().`,
      );
    }
  }
}
