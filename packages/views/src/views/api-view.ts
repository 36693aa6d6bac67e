// DRF's APIView: per-method async handlers behind content negotiation,
// versioning, authentication, permissions and throttles (in DRF's order),
// with every error turned into DRF's response by the exception handler.
import { randomUUID } from "node:crypto";
import { atomic } from "@x/models";
import type { Handler } from "hono";
import { getApiContext } from "../api-context.js";
import type { Cache, WindowHit } from "../cache/cache.js";
import { bodyEtag, noneMatch, notModified } from "../conditional/etag.js";
import {
  AuthenticationFailed,
  ImproperlyConfigured,
  MethodNotAllowed,
  NotAuthenticated,
  PermissionDenied,
  Throttled,
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
  Versioning,
  VersioningClass,
  ViewLike,
} from "../interfaces.js";
import { AnonymousUser, type RegisteredUser, type User } from "../interfaces.js";
import type { Parser, ParserClass } from "../request/parsers.js";
import { type AnyContext, Request } from "../request/request.js";
import type { ContentNegotiation, ContentNegotiationClass } from "../response/negotiation.js";
import type { Renderer, RendererClass, RendererContext } from "../response/renderers.js";
import { type HeaderRecord, Response } from "../response/response.js";
import { type ApiSettings, DEFAULTS } from "../settings/settings.js";
import { SimpleRateThrottle, type ThrottleWindow } from "../throttling/simple-rate-throttle.js";
import { HTTP_METHOD_NAMES, type HttpMethodName, handlerName } from "./http-methods.js";
import type { MetadataClass } from "./metadata.js";

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

/** Authenticator used when the test client forces authentication (DRF's ForcedAuthentication). */
class ForcedAuthentication implements Authentication {
  authenticate(): null {
    return null;
  }
}

type Ctor<T> = new () => T;

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
  declare settings: ApiSettings;
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
    // Not an async function: it would wrap dispatch's promise in one more (and a microtask).
    const handler: Handler = (c) => {
      try {
        const view = new View();
        Object.assign(view, initkwargs);
        return view.dispatch(c);
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
    return instantiate(
      attribute(
        this,
        "authenticationClasses",
        this.authenticationClasses,
        classOf(this).authenticationClasses,
        this.settings.defaultAuthenticationClasses,
      ),
    );
  }

  getPermissions(): Permission[] {
    return instantiate(
      attribute(
        this,
        "permissionClasses",
        this.permissionClasses,
        classOf(this).permissionClasses,
        this.settings.defaultPermissionClasses,
      ),
    );
  }

  getThrottles(): Throttle[] {
    return instantiate(
      attribute(
        this,
        "throttleClasses",
        this.throttleClasses,
        classOf(this).throttleClasses,
        this.settings.defaultThrottleClasses,
      ),
    );
  }

  getParsers(): Parser[] {
    return instantiate(
      attribute(
        this,
        "parserClasses",
        this.parserClasses,
        classOf(this).parserClasses,
        this.settings.defaultParserClasses,
      ),
    );
  }

  private renderers: Renderer[] | undefined;

  /** Instantiated once per request (negotiation, rendering and metadata all ask). */
  getRenderers(): Renderer[] {
    this.renderers ??= instantiate(
      attribute(
        this,
        "rendererClasses",
        this.rendererClasses,
        classOf(this).rendererClasses,
        this.settings.defaultRendererClasses,
      ),
    );
    return this.renderers;
  }

  getContentNegotiator(): ContentNegotiation {
    const Negotiator = attribute(
      this,
      "contentNegotiationClass",
      this.contentNegotiationClass,
      classOf(this).contentNegotiationClass,
      this.settings.defaultContentNegotiationClass,
    );
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
  private handlerMask(): number {
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

  // ----- request cycle -----

  protected handlerFor(method: string): MethodHandler | undefined {
    const self = this as unknown as Record<string, unknown>;
    const lower = handlerName(method);
    const own = self[lower];
    if (typeof own === "function") return own as MethodHandler;
    // HEAD is answered by GET (Django's View.setup); the body is dropped on the way out.
    if (lower === "head" && typeof self.get === "function") return self.get as MethodHandler;
    return undefined;
  }

  initializeRequest(c: AnyContext): Request {
    // The parsers are made when the body is first read: a GET never instantiates them.
    return new Request(c, {
      parsers: () => this.getParsers(),
      kwargs: this.kwargs,
      settings: this.settings,
      maxBodySize: attribute<number | undefined>(
        this,
        "maxBodySize",
        this.maxBodySize,
        classOf(this).maxBodySize,
        undefined,
      ),
    });
  }

  /**
   * Everything before the handler, in DRF's order. A Promise only when a step is
   * asynchronous: the steps APIView implements answer synchronously when their parts do
   * (no Authorization to verify, sync permissions, a memory cache's throttle hits), and
   * each `await` of a value that is no promise would cost a microtask. An override of a
   * step (async or not) is called as before; an override of `initial` may be async.
   */
  initial(request: Request): void | Promise<void> {
    this.performContentNegotiation(request);
    const proto = APIView.prototype;
    const version =
      this.determineVersion === proto.determineVersion
        ? this.versionNow(request)
        : this.determineVersion(request);
    if (version) return this.initialAfter(request, version, 1);
    const auth =
      this.performAuthentication === proto.performAuthentication
        ? this.authenticateNow(request)
        : this.performAuthentication(request);
    if (auth) return this.initialAfter(request, auth, 2);
    const permitted =
      this.checkPermissions === proto.checkPermissions
        ? this.permissionsNow(request)
        : this.checkPermissions(request);
    if (permitted) return this.initialAfter(request, permitted, 3);
    return this.checkThrottles === proto.checkThrottles
      ? this.throttlesNow(request)
      : this.checkThrottles(request);
  }

  /** The rest of `initial` once one of its steps answered with a Promise (`done` steps ran). */
  private async initialAfter(request: Request, pending: Promise<void>, done: number): Promise<void> {
    await pending;
    if (done < 2) await this.performAuthentication(request);
    if (done < 3) await this.checkPermissions(request);
    await this.checkThrottles(request);
  }

  performContentNegotiation(request: Request, force = false): void {
    const renderers = this.getRenderers();
    const override = this.settings.urlFormatOverride;
    const format = override && request.hasQuery ? request.queryParams.get(override) : null;
    try {
      request.accepted = this.getContentNegotiator().selectRenderer(
        request.header("accept"),
        format,
        renderers,
      );
    } catch (error) {
      if (!force) throw error;
      const first = renderers[0];
      if (first) request.accepted = { renderer: first, mediaType: first.mediaType };
    }
  }

  async determineVersion(request: Request): Promise<void> {
    await this.versionNow(request);
  }

  /** determineVersion, synchronous when the scheme answers synchronously (they all do here). */
  private versionNow(request: Request): Promise<void> | undefined {
    const Scheme = attribute<VersioningClass | null | undefined>(
      this,
      "versioningClass",
      this.versioningClass,
      classOf(this).versioningClass,
      this.settings.defaultVersioningClass,
    );
    if (!Scheme) return undefined;
    const scheme: Versioning = new Scheme();
    request.versioningScheme = scheme;
    const version = scheme.determineVersion(request, this.kwargs);
    if (!(version instanceof Promise)) {
      request.version = version;
      return undefined;
    }
    return version.then((v) => {
      request.version = v;
    });
  }

  private authenticators: Authentication[] = [];

  async performAuthentication(request: Request): Promise<void> {
    await this.authenticateNow(request);
  }

  /** performAuthentication, synchronous while the authenticators answer synchronously. */
  private authenticateNow(request: Request): Promise<void> | undefined {
    const forced = request.forcedAuth;
    if (forced) {
      this.authenticators = [new ForcedAuthentication()];
      if (forced.user) {
        // The application registered its user type; authenticators hand back that type.
        request.user = forced.user as RegisteredUser;
        request.auth = forced.token;
        request.successfulAuthenticator = this.authenticators[0];
      }
      return undefined;
    }
    const authenticators = this.getAuthenticators();
    this.authenticators = authenticators;
    for (let i = 0; i < authenticators.length; i++) {
      const authenticator = authenticators[i] as Authentication;
      const answer = authenticator.authenticate(request);
      if (answer instanceof Promise) return this.authenticateFrom(request, i, answer);
      if (answer) {
        acceptAuthentication(request, authenticator, answer);
        return undefined;
      }
    }
    notAuthenticated(request);
    return undefined;
  }

  /** The rest of authenticateNow from the `i`th authenticator, whose answer is pending. */
  private async authenticateFrom(
    request: Request,
    i: number,
    pending: Promise<AuthenticationResult | null>,
  ): Promise<void> {
    const authenticators = this.authenticators;
    let result = await pending;
    for (;;) {
      const authenticator = authenticators[i] as Authentication;
      if (result) {
        acceptAuthentication(request, authenticator, result);
        return;
      }
      if (++i >= authenticators.length) break;
      result = await (authenticators[i] as Authentication).authenticate(request);
    }
    notAuthenticated(request);
  }

  /** DRF's permission_denied: 401 when authentication could help, else 403 with the permission's message. */
  permissionDenied(
    request: Request,
    message?: string | Record<string, unknown> | null,
    code?: string | null,
  ): never {
    if (this.authenticators.length > 0 && !request.successfulAuthenticator) throw new NotAuthenticated();
    throw new PermissionDenied(message ?? null, code ?? null);
  }

  async checkPermissions(request: Request): Promise<void> {
    await this.permissionsNow(request);
  }

  /** checkPermissions, synchronous while the permissions answer synchronously (AllowAny and most do). */
  private permissionsNow(request: Request): Promise<void> | undefined {
    return this.askInOrder(request, this.getPermissions(), (p) =>
      p.hasPermission ? p.hasPermission(request, this) : true,
    );
  }

  /**
   * DRF's check_object_permissions. A Promise only when a permission answers with one: the
   * built-in permissions answer synchronously, and awaiting their booleans would cost a microtask
   * each. Callers may await the result either way.
   */
  checkObjectPermissions(request: Request, obj: unknown): Promise<void> | undefined {
    return this.askInOrder(request, this.getPermissions(), (p) =>
      p.hasObjectPermission ? p.hasObjectPermission(request, this, obj) : true,
    );
  }

  /**
   * Asks each permission in order (`ask` answers true for one without that check) and denies
   * at the first refusal; synchronous until an answer is a Promise, then the rest in order.
   */
  private askInOrder(
    request: Request,
    permissions: readonly Permission[],
    ask: (permission: Permission) => Awaitable<boolean>,
  ): Promise<void> | undefined {
    for (let i = 0; i < permissions.length; i++) {
      const permission = permissions[i] as Permission;
      const answer = ask(permission);
      if (answer instanceof Promise) return this.askInOrderFrom(request, permissions, ask, i, answer);
      if (!answer) this.permissionDenied(request, permission.message, permission.code);
    }
    return undefined;
  }

  /** The rest of askInOrder from the `i`th permission, whose answer is pending. */
  private async askInOrderFrom(
    request: Request,
    permissions: readonly Permission[],
    ask: (permission: Permission) => Awaitable<boolean>,
    i: number,
    pending: Promise<boolean>,
  ): Promise<void> {
    let allowed = await pending;
    for (;;) {
      const permission = permissions[i] as Permission;
      if (!allowed) this.permissionDenied(request, permission.message, permission.code);
      if (++i >= permissions.length) return;
      allowed = await ask(permissions[i] as Permission);
    }
  }

  /**
   * Every throttle sees the request (so each counts it); the longest wait is reported.
   * The hits of SimpleRateThrottles go to their cache in one batch (`hitWindows`: one
   * Redis round trip, no promise on memory); a throttle with its own allowRequest runs alone.
   */
  async checkThrottles(request: Request): Promise<void> {
    await this.throttlesNow(request);
  }

  /** checkThrottles, synchronous while every throttle is a SimpleRateThrottle on a memory cache. */
  private throttlesNow(request: Request): Promise<void> | undefined {
    const throttles = this.getThrottles();
    const batched: SimpleRateThrottle[] = [];
    const windows: ThrottleWindow[] = [];
    for (let i = 0; i < throttles.length; i++) {
      if (!this.batchThrottle(request, throttles[i] as Throttle, batched, windows))
        return this.throttlesFrom(request, throttles, i, batched, windows);
    }
    return this.recordThrottles(batched, windows, undefined);
  }

  /** The rest of throttlesNow from the `i`th throttle, one with its own allowRequest. */
  private async throttlesFrom(
    request: Request,
    throttles: Throttle[],
    i: number,
    batched: SimpleRateThrottle[],
    windows: ThrottleWindow[],
  ): Promise<void> {
    const waits: Array<number | null> = [];
    for (; i < throttles.length; i++) {
      const throttle = throttles[i] as Throttle;
      if (this.batchThrottle(request, throttle, batched, windows)) continue;
      if (!(await throttle.allowRequest(request, this))) waits.push(throttle.wait());
    }
    await this.recordThrottles(batched, windows, waits);
  }

  /**
   * A SimpleRateThrottle without its own allowRequest joins the batch (its window, when it has
   * one for this request): true. Any other throttle: false, it must be asked itself.
   */
  private batchThrottle(
    request: Request,
    throttle: Throttle,
    batched: SimpleRateThrottle[],
    windows: ThrottleWindow[],
  ): boolean {
    if (!(throttle instanceof SimpleRateThrottle) || throttle.allowRequest !== batchableAllowRequest)
      return false;
    const window = throttle.window(request, this);
    if (window !== null) {
      batched.push(throttle);
      windows.push(window);
    }
    return true;
  }

  /** The batched windows hit in their cache(s), then refuseIfThrottled. */
  private recordThrottles(
    batched: SimpleRateThrottle[],
    windows: ThrottleWindow[],
    waits: Array<number | null> | undefined,
  ): Promise<void> | undefined {
    if (windows.length > 0) {
      const answer = hitAll(windows);
      // A memory cache answers at once: no promise (a microtask per request) then.
      if (!Array.isArray(answer)) return answer.then((hits) => refuseIfThrottled(batched, hits, waits));
      refuseIfThrottled(batched, answer, waits);
      return undefined;
    }
    refuseIfThrottled(batched, [], waits);
    return undefined;
  }

  /**
   * The request cycle. Answers synchronously when every step does (content negotiation,
   * versioning, authentication without credentials to verify, sync permissions, throttles on a
   * memory cache, a handler that returns its Response, the JSON renderer): @hono/node-server
   * then writes the response in the same tick, as for a plain Hono handler. A Promise as soon
   * as one step is asynchronous; the result is the same either way.
   */
  dispatch(c: AnyContext): globalThis.Response | Promise<globalThis.Response> {
    const ctx = getApiContext(c);
    // Not set yet unless the initkwargs gave them: the instance's, else the class's, else the context's.
    this.settings = attribute<ApiSettings>(
      this,
      "settings",
      (this as { settings?: ApiSettings }).settings,
      classOf(this).settings,
      ctx.settings ?? DEFAULTS,
    );
    // Object.assign, not spreads: one call, and V8 (Node 20) copies into a fresh literal faster.
    this.kwargs = Object.assign({}, ctx.kwargs ?? c.req.param(), this.kwargs);
    const request = this.initializeRequest(c);
    this.request = request;
    // Django's ATOMIC_REQUESTS: an error anywhere in the view rolls its writes back.
    if (this.settings.atomicRequests)
      return this.settle(
        request,
        atomic(() => this.runHandler(request)),
      );
    let result: Awaitable<HandlerResult>;
    try {
      const initial = this.initial(request);
      if (initial) return this.settle(request, this.handleAfter(request, initial));
      result = this.callHandler(request);
      if (!(result instanceof Promise)) result = this.checkedResult(request, result);
    } catch (error) {
      return this.fail(request, error);
    }
    return result instanceof Promise ? this.settle(request, result) : this.finalizeOrFail(request, result);
  }

  /** The handler's result once `pending` (initial's or the handler's own) settles, rendered. */
  private async settle(request: Request, pending: Promise<unknown>): Promise<globalThis.Response> {
    let response: HandlerResult;
    try {
      response = this.checkedResult(request, await pending);
    } catch (error) {
      response = await this.handleException(error);
    }
    return this.finalizeOrFail(request, response);
  }

  /** An error of the synchronous part of the cycle, answered by the exception handler. */
  private async fail(request: Request, error: unknown): Promise<globalThis.Response> {
    return this.finalizeOrFail(request, await this.handleException(error));
  }

  /**
   * finalizeResponse, with a failure to render (data JSON cannot represent) answered as DRF's
   * logged 500, never Hono's bare one; an asynchronous renderer's failure too.
   */
  private finalizeOrFail(
    request: Request,
    response: HandlerResult,
  ): globalThis.Response | Promise<globalThis.Response> {
    try {
      const out = this.finalizeResponse(request, response);
      if (!(out instanceof Promise)) return out;
      return out.catch((error: unknown) => this.finalizeResponse(request, this.serverError(error)));
    } catch (error) {
      return this.finalizeResponse(request, this.serverError(error));
    }
  }

  /** The handler once `initial`'s pending step settled. */
  private async handleAfter(request: Request, initial: Promise<void>): Promise<HandlerResult> {
    await initial;
    return this.callHandler(request);
  }

  /** The method's handler called (405 when there is none): its Response, or a Promise of it. */
  private callHandler(request: Request): Awaitable<HandlerResult> {
    const handler = this.handlerFor(request.method);
    if (!handler) throw new MethodNotAllowed(request.method);
    return handler.call(this, request);
  }

  /**
   * `initial`, then the method's handler, checked (ATOMIC_REQUESTS: a handler that returns no
   * Response fails inside the transaction, which rolls its writes back, as Django's does).
   */
  private async runHandler(request: Request): Promise<HandlerResult> {
    const initial = this.initial(request);
    if (initial) await initial;
    return this.checkedResult(request, await this.callHandler(request));
  }

  /** The handler's result, when it is a Response. */
  private checkedResult(request: Request, result: unknown): HandlerResult {
    if (!(result instanceof Response) && !(result instanceof globalThis.Response)) {
      // DRF asserts the same: a handler that forgot to return is a bug, answered as a logged 500.
      throw new TypeError(
        `Expected a Response from ${this.constructor.name}.${this.action ?? request.method.toLowerCase()}(), received ${result === null ? "null" : typeof result}.`,
      );
    }
    return result;
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
    const first = this.authenticators[0] ?? this.getAuthenticators()[0];
    return first?.authenticateHeader?.(request);
  }

  /** A bug: log the stack with a request id, answer a generic 500 that leaks nothing. */
  protected serverError(error: unknown): Response {
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
    const head = request.method === "HEAD";
    if (!(response instanceof Response)) {
      if (!head) return response;
      return new globalThis.Response(null, { status: response.status, headers: response.headers });
    }
    if (!request.accepted) this.performContentNegotiation(request, true);
    const record = Response.headerRecord(response);
    if (record === null) return this.finalizeWithHeaders(request, response, head);
    // A plain record, not a Fetch Headers: @hono/node-server writes a record straight to
    // Node's response (a Headers is validated on every set, then copied again on the way out).
    record.allow ??= allowedFor(this.handlerMask()).header;
    for (const key in this.headers) {
      const name = key.toLowerCase();
      record[name] ??= this.headers[key] as string;
    }
    if (this.getRenderers().length > 1) record.vary = record.vary ? `${record.vary}, Accept` : "Accept";
    const status = response.status;
    const noBody = status === 204 || status === 304 || response.data === undefined;
    if (noBody || !request.accepted) return new globalThis.Response(null, { status, headers: record });
    const { renderer, mediaType } = request.accepted;
    record["content-type"] ??=
      response.contentType ?? (renderer.charset ? `${mediaType}; charset=${renderer.charset}` : mediaType);
    const context = new RecordRendererContext(this, request, response, record);
    const body = renderer.render(response.data, mediaType, context);
    if (body instanceof Promise)
      return body.then((out) => this.rendered(request, response, out, head, context.asked ?? record));
    return this.rendered(request, response, body, head, context.asked ?? record);
  }

  /** finalizeResponse for headers a record cannot hold (several Set-Cookie values). */
  private finalizeWithHeaders(
    request: Request,
    response: Response,
    head: boolean,
  ): globalThis.Response | Promise<globalThis.Response> {
    const headers = new Headers(response.headers);
    if (!headers.has("Allow")) headers.set("Allow", allowedFor(this.handlerMask()).header);
    for (const key in this.headers) if (!headers.has(key)) headers.set(key, this.headers[key] as string);
    if (this.getRenderers().length > 1) headers.append("Vary", "Accept");
    const status = response.status;
    const noBody = status === 204 || status === 304 || response.data === undefined;
    if (noBody || !request.accepted) return new globalThis.Response(null, { status, headers });
    const { renderer, mediaType } = request.accepted;
    const type =
      response.contentType ?? (renderer.charset ? `${mediaType}; charset=${renderer.charset}` : mediaType);
    if (!headers.has("Content-Type")) headers.set("Content-Type", type);
    const body = renderer.render(response.data, mediaType, { view: this, request, response, headers });
    if (body instanceof Promise)
      return body.then((out) => this.rendered(request, response, out, head, headers));
    return this.rendered(request, response, body, head, headers);
  }

  /**
   * The Fetch Response of a rendered body; for a response asking for conditional GET
   * (`etagFromBody`), a 200 gets the body's strong ETag, and a matching If-None-Match a 304.
   * Tagged here, where the body is rendered once, rather than by rendering it a second way.
   */
  private rendered(
    request: Request,
    response: Response,
    body: string | Uint8Array,
    head: boolean,
    headers: Headers | HeaderRecord,
  ): globalThis.Response {
    const status = response.status;
    if (response.etagFromBody && status === 200) {
      let etag: string;
      if (headers instanceof Headers) {
        etag = headers.get("etag") ?? bodyEtag(body);
        headers.set("ETag", etag);
      } else {
        headers.etag ??= bodyEtag(body);
        etag = headers.etag;
      }
      const ifNoneMatch = request.header("if-none-match");
      if (ifNoneMatch !== null && noneMatch(ifNoneMatch, etag)) return notModified(headers);
    }
    return withRenderedBody(body, head, status, headers);
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

/**
 * The renderer context over a header record: its Headers is made only for a renderer that
 * reads it (the browsable API). A class, not a literal with a getter: V8 turns every such
 * literal into a dictionary-mode object through a runtime call, per request.
 */
class RecordRendererContext implements RendererContext {
  asked: Headers | undefined = undefined;
  constructor(
    readonly view: APIView,
    readonly request: Request,
    readonly response: Response,
    private readonly record: HeaderRecord,
  ) {}

  get headers(): Headers {
    this.asked ??= new Headers(this.record);
    return this.asked;
  }
}

const RENDERED = Symbol("rendered");

interface Rendered {
  body: string | Uint8Array;
  /** The headers it was built with, when a record (see `renderedHeadersOf`). */
  headers: HeaderRecord | undefined;
}

/** The Fetch Response of a rendered body, remembering the body and headers (see `renderedBodyOf`). */
function withRenderedBody(
  body: string | Uint8Array,
  head: boolean,
  status: number,
  headers: Headers | HeaderRecord,
): globalThis.Response {
  if (head) {
    // The GET's length without its body, as Django's CommonMiddleware gives a HEAD (and as a
    // cached page replayed for a HEAD says).
    const length = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    if (headers instanceof Headers) headers.set("Content-Length", length);
    else headers["content-length"] = length;
  }
  const out = new globalThis.Response(head ? null : body, { status, headers });
  if (!head) {
    const rendered: Rendered = { body, headers: headers instanceof Headers ? undefined : headers };
    (out as unknown as Record<symbol, Rendered>)[RENDERED] = rendered;
  }
  return out;
}

/**
 * The body `finalizeResponse` rendered into this Response, or undefined: wrappers that need
 * the bytes (conditional GET's ETag, cached pages) read it here instead of draining the
 * Response's stream, which costs more than rendering.
 */
export function renderedBodyOf(response: globalThis.Response): string | Uint8Array | undefined {
  return (response as unknown as Record<symbol, Rendered | undefined>)[RENDERED]?.body;
}

/**
 * The header record `finalizeResponse` built this Response with (lower-case names), or
 * undefined. Only valid right after finalizeResponse, before anyone changed `response.headers`:
 * for wrappers that replace the response at once (conditional GET), so no Headers is built.
 */
export function renderedHeadersOf(response: globalThis.Response): HeaderRecord | undefined {
  return (response as unknown as Record<symbol, Rendered | undefined>)[RENDERED]?.headers;
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

const batchableAllowRequest = SimpleRateThrottle.prototype.allowRequest;

/** Records the batched throttles' hits; Throttled with the longest wait when any throttle refused. */
function refuseIfThrottled(
  batched: readonly SimpleRateThrottle[],
  hits: readonly WindowHit[],
  earlier: Array<number | null> | undefined,
): void {
  let waits = earlier;
  for (let i = 0; i < batched.length; i++) {
    const throttle = batched[i] as SimpleRateThrottle;
    if (!throttle.record(hits[i] as WindowHit)) {
      waits ??= [];
      waits.push(throttle.wait());
    }
  }
  if (waits !== undefined && waits.length > 0) {
    const known = waits.filter((w): w is number => w !== null);
    throw new Throttled(known.length > 0 ? Math.max(...known) : null);
  }
}

type AuthenticationResult = readonly [User, unknown];

/** DRF's _authenticate on success: the user, the credentials and who accepted them. */
function acceptAuthentication(
  request: Request,
  authenticator: Authentication,
  result: AuthenticationResult,
): void {
  // The application registered its user type; authenticators hand back that type.
  request.user = result[0] as RegisteredUser;
  request.auth = result[1];
  request.successfulAuthenticator = authenticator;
}

/** DRF's _not_authenticated: an anonymous user (the one the Request started with, when it still has it). */
function notAuthenticated(request: Request): void {
  if (!(request.user instanceof AnonymousUser)) request.user = new AnonymousUser();
  request.auth = null;
}

/** Whether every window lives in `cache` (a loop: `every()` would make a closure per request). */
function allIn(windows: readonly ThrottleWindow[], cache: Cache): boolean {
  for (let i = 1; i < windows.length; i++) if ((windows[i] as ThrottleWindow).cache !== cache) return false;
  return true;
}

/** The cache's answers for `windows`, in order: one `hitWindows` per cache when it has one. */
function hitAll(windows: readonly ThrottleWindow[]): WindowHit[] | Promise<WindowHit[]> {
  const cache = windows[0]?.cache;
  if (cache?.hitWindows && allIn(windows, cache)) return cache.hitWindows(windows);
  return (async () => {
    const hits: WindowHit[] = [];
    for (const w of windows) {
      hits.push(
        w.cache.hitWindows
          ? ((await w.cache.hitWindows([w]))[0] as WindowHit)
          : await w.cache.hitWindow(w.key, w.limit, w.durationMs, w.now),
      );
    }
    return hits;
  })();
}

function instantiate<T>(classes: readonly Ctor<T>[]): T[] {
  // A loop, not map(): no closure and callback call per class, several times a request.
  const out: T[] = new Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = new (classes[i] as Ctor<T>)();
  return out;
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
