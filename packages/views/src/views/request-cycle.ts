// One request through an APIView: negotiation, versioning, authentication, permissions,
// throttles, the handler and rendering, in DRF's order. The cycle's state lives here, on an
// object of one shape, and the view's configuration comes resolved in its route's plan: the
// steps read `this.plan.*` and `this.settings` instead of `view.*`. Every view class has its
// own hidden class in V8, so the same reads on the view, shared by every class through
// APIView's methods, go megamorphic once a process has served a few views (measured in
// bench/README.md, "Profile"). A step the view overrides is called on the view instead.
import { atomic } from "@x/models";
import type { ApiContext } from "../api-context.js";
import type { Cache, WindowHit } from "../cache/cache.js";
import { bodyEtag, noneMatch, notModified } from "../conditional/etag.js";
import { MethodNotAllowed, Throttled } from "../exceptions/api-exception.js";
import type {
  Authentication,
  AuthenticationClass,
  Awaitable,
  Permission,
  PermissionClass,
  Throttle,
  ThrottleClass,
  User,
  Versioning,
  VersioningClass,
} from "../interfaces.js";
import { AnonymousUser, type RegisteredUser } from "../interfaces.js";
import type { ParserClass } from "../request/parsers.js";
import { type AnyContext, Request } from "../request/request.js";
import type { ContentNegotiationClass } from "../response/negotiation.js";
import type { Renderer, RendererClass, RendererContext } from "../response/renderers.js";
import { type HeaderRecord, Response } from "../response/response.js";
import type { ApiSettings } from "../settings/settings.js";
import { SimpleRateThrottle, type ThrottleWindow } from "../throttling/simple-rate-throttle.js";
import type { APIView, HandlerResult, MethodHandler } from "./api-view.js";
import { handlerName } from "./http-methods.js";

/**
 * What every request of one route resolves the same way: the view's configuration (its
 * instance's, else its class's, else the settings') and which request-cycle methods its class
 * overrides (true: the cycle calls the view's). Plain data of one shape, made by `cyclePlan`.
 */
export interface CyclePlan {
  /** The apiContext's settings the plan was made for (a route's plan is remade when they differ). */
  readonly contextSettings: ApiSettings | undefined;
  /**
   * The view answers its configuration itself (getAttribute, handlerFor): the plan is remade for
   * every request, and the cycle asks the view again once the request is set.
   */
  readonly perRequest: boolean;
  readonly settings: ApiSettings;
  /** The view's own kwargs (initkwargs), merged over the URL's. */
  readonly kwargs: Readonly<Record<string, string>>;
  readonly authenticationClasses: readonly AuthenticationClass[];
  readonly permissionClasses: readonly PermissionClass[];
  readonly throttleClasses: readonly ThrottleClass[];
  readonly rendererClasses: readonly RendererClass[];
  readonly parserClasses: readonly ParserClass[];
  readonly versioningClass: VersioningClass | null | undefined;
  readonly contentNegotiationClass: ContentNegotiationClass;
  readonly maxBodySize: number | undefined;
  /** The `Allow` header: the methods the view answers. */
  readonly allow: string;
  readonly overrides: Overrides;
}

/** The request-cycle methods a view may override; true when its class (or instance) does. */
export interface Overrides {
  readonly dispatch: boolean;
  readonly initializeRequest: boolean;
  readonly initial: boolean;
  readonly performContentNegotiation: boolean;
  readonly determineVersion: boolean;
  readonly performAuthentication: boolean;
  readonly checkPermissions: boolean;
  readonly checkThrottles: boolean;
  readonly getAuthenticators: boolean;
  readonly getPermissions: boolean;
  readonly getThrottles: boolean;
  readonly getParsers: boolean;
  readonly getRenderers: boolean;
  readonly getContentNegotiator: boolean;
  readonly handlerFor: boolean;
  readonly finalizeResponse: boolean;
}

/** Authenticator used when the test client forces authentication (DRF's ForcedAuthentication). */
class ForcedAuthentication implements Authentication {
  authenticate(): null {
    return null;
  }
}

export class RequestCycle {
  /** Set by `run`, or by the view for a step called outside a dispatch. */
  settings: ApiSettings;
  kwargs: Record<string, string>;
  /** The authenticators of this request (DRF's request.authenticators): read by permissionDenied. */
  authenticators: Authentication[] = [];
  private renderers: Renderer[] | undefined = undefined;

  constructor(
    readonly view: APIView,
    readonly plan: CyclePlan,
  ) {
    this.settings = plan.settings;
    this.kwargs = plan.kwargs;
  }

  /**
   * The request cycle. Answers synchronously when every step does (content negotiation,
   * versioning, authentication without credentials to verify, sync permissions, throttles on a
   * memory cache, a handler that returns its Response, the JSON renderer): @hono/node-server
   * then writes the response in the same tick, as for a plain Hono handler. A Promise as soon
   * as one step is asynchronous; the result is the same either way.
   */
  run(c: AnyContext, ctx: ApiContext): globalThis.Response | Promise<globalThis.Response> {
    const view = this.view;
    view.cycle = this;
    view.settings = this.settings;
    // Object.assign, not spreads: one call, and V8 (Node 20) copies into a fresh literal faster.
    const kwargs = Object.assign({}, ctx.kwargs ?? c.req.param(), this.plan.kwargs);
    this.kwargs = kwargs;
    view.kwargs = kwargs;
    const request = this.plan.overrides.initializeRequest ? view.initializeRequest(c) : this.makeRequest(c);
    view.request = request;
    // Django's ATOMIC_REQUESTS: an error anywhere in the view rolls its writes back.
    if (this.settings.atomicRequests)
      return this.settle(
        request,
        atomic(() => this.runHandler(request)),
      );
    let result: Awaitable<HandlerResult>;
    try {
      const initial = this.plan.overrides.initial ? view.initial(request) : this.initialSteps(request);
      if (initial) return this.settle(request, this.handleAfter(request, initial));
      result = this.callHandler(request);
      if (!(result instanceof Promise)) result = this.checkedResult(request, result);
    } catch (error) {
      return this.fail(request, error);
    }
    return result instanceof Promise ? this.settle(request, result) : this.finalizeOrFail(request, result);
  }

  makeRequest(c: AnyContext): Request {
    // The parsers are made when the body is first read: a GET never instantiates them.
    const { plan, view } = this;
    return new Request(c, {
      parsers: () => (plan.overrides.getParsers ? view.getParsers() : instantiate(plan.parserClasses)),
      kwargs: this.kwargs,
      settings: this.settings,
      maxBodySize: plan.maxBodySize,
    });
  }

  /** The renderers, instantiated once per request (negotiation, rendering and metadata all ask). */
  renderersNow(): Renderer[] {
    this.renderers ??= this.plan.overrides.getRenderers
      ? this.view.getRenderers()
      : instantiate(this.plan.rendererClasses);
    return this.renderers;
  }

  /**
   * Everything before the handler, in DRF's order (APIView's `initial`). A Promise only when a
   * step is asynchronous: the built-in steps answer synchronously when their parts do (no
   * Authorization to verify, sync permissions, a memory cache's throttle hits), and each
   * `await` of a value that is no promise would cost a microtask.
   */
  initialSteps(request: Request): void | Promise<void> {
    this.negotiation(request, false);
    const version = this.version(request);
    if (version) return this.initialAfter(request, version, 1);
    const auth = this.authenticate(request);
    if (auth) return this.initialAfter(request, auth, 2);
    const permitted = this.permissions(request);
    if (permitted) return this.initialAfter(request, permitted, 3);
    return this.throttles(request);
  }

  /** The rest of `initialSteps` once one of its steps answered with a Promise (`done` steps ran). */
  private async initialAfter(request: Request, pending: Promise<void>, done: number): Promise<void> {
    await pending;
    if (done < 2) await this.authenticate(request);
    if (done < 3) await this.permissions(request);
    await this.throttles(request);
  }

  // Each step: the view's override when it has one, else the built-in one (synchronous when it can).
  private negotiation(request: Request, force: boolean): void {
    if (this.plan.overrides.performContentNegotiation) this.view.performContentNegotiation(request, force);
    else this.negotiate(request, force);
  }
  private version(request: Request): Promise<void> | undefined {
    return this.plan.overrides.determineVersion
      ? this.view.determineVersion(request)
      : this.versionNow(request);
  }
  private authenticate(request: Request): Promise<void> | undefined {
    return this.plan.overrides.performAuthentication
      ? this.view.performAuthentication(request)
      : this.authenticateNow(request);
  }
  private permissions(request: Request): Promise<void> | undefined {
    return this.plan.overrides.checkPermissions
      ? this.view.checkPermissions(request)
      : this.permissionsNow(request);
  }
  private throttles(request: Request): Promise<void> | undefined {
    return this.plan.overrides.checkThrottles
      ? this.view.checkThrottles(request)
      : this.throttlesNow(request);
  }

  negotiate(request: Request, force: boolean): void {
    const renderers = this.renderersNow();
    const override = this.settings.urlFormatOverride;
    const format = override && request.hasQuery ? request.queryParams.get(override) : null;
    const { plan } = this;
    try {
      const negotiator = plan.overrides.getContentNegotiator
        ? this.view.getContentNegotiator()
        : new plan.contentNegotiationClass();
      request.accepted = negotiator.selectRenderer(request.header("accept"), format, renderers);
    } catch (error) {
      if (!force) throw error;
      const first = renderers[0];
      if (first) request.accepted = { renderer: first, mediaType: first.mediaType };
    }
  }

  /** determineVersion, synchronous when the scheme answers synchronously (they all do here). */
  versionNow(request: Request): Promise<void> | undefined {
    const { plan } = this;
    const Scheme = plan.perRequest
      ? (this.view.getAttribute<VersioningClass | null>("versioningClass") ??
        this.settings.defaultVersioningClass)
      : plan.versioningClass;
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

  /** performAuthentication, synchronous while the authenticators answer synchronously. */
  authenticateNow(request: Request): Promise<void> | undefined {
    const forced = request.forcedAuth;
    if (forced) {
      const authenticator = new ForcedAuthentication();
      this.authenticators = [authenticator];
      if (forced.user) {
        // The application registered its user type; authenticators hand back that type.
        request.user = forced.user as RegisteredUser;
        request.auth = forced.token;
        request.successfulAuthenticator = authenticator;
      }
      return undefined;
    }
    const authenticators = this.plan.overrides.getAuthenticators
      ? this.view.getAuthenticators()
      : instantiate(this.plan.authenticationClasses);
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

  private permissionList(): Permission[] {
    return this.plan.overrides.getPermissions
      ? this.view.getPermissions()
      : instantiate(this.plan.permissionClasses);
  }

  /** checkPermissions, synchronous while the permissions answer synchronously (AllowAny and most do). */
  permissionsNow(request: Request): Promise<void> | undefined {
    const view = this.view;
    return this.askInOrder(request, this.permissionList(), (p) =>
      p.hasPermission ? p.hasPermission(request, view) : true,
    );
  }

  /** checkObjectPermissions: a Promise only when a permission answers with one. */
  objectPermissions(request: Request, obj: unknown): Promise<void> | undefined {
    const view = this.view;
    return this.askInOrder(request, this.permissionList(), (p) =>
      p.hasObjectPermission ? p.hasObjectPermission(request, view, obj) : true,
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
      if (!answer) this.view.permissionDenied(request, permission.message, permission.code);
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
      if (!allowed) this.view.permissionDenied(request, permission.message, permission.code);
      if (++i >= permissions.length) return;
      allowed = await ask(permissions[i] as Permission);
    }
  }

  /**
   * Every throttle sees the request (so each counts it); the longest wait is reported.
   * The hits of SimpleRateThrottles go to their cache in one batch (`hitWindows`: one
   * Redis round trip, no promise on memory); a throttle with its own allowRequest runs alone.
   * Synchronous while every throttle is a SimpleRateThrottle on a memory cache.
   */
  throttlesNow(request: Request): Promise<void> | undefined {
    const throttles = this.plan.overrides.getThrottles
      ? this.view.getThrottles()
      : instantiate(this.plan.throttleClasses);
    const batched: SimpleRateThrottle[] = [];
    const windows: ThrottleWindow[] = [];
    for (let i = 0; i < throttles.length; i++) {
      if (!this.batchThrottle(request, throttles[i] as Throttle, batched, windows))
        return this.throttlesFrom(request, throttles, i, batched, windows);
    }
    return recordThrottles(batched, windows, undefined);
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
      if (!(await throttle.allowRequest(request, this.view))) waits.push(throttle.wait());
    }
    await recordThrottles(batched, windows, waits);
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
    const window = throttle.window(request, this.view);
    if (window !== null) {
      batched.push(throttle);
      windows.push(window);
    }
    return true;
  }

  /** The handler's result once `pending` (initial's or the handler's own) settles, rendered. */
  private async settle(request: Request, pending: Promise<unknown>): Promise<globalThis.Response> {
    let response: HandlerResult;
    try {
      response = this.checkedResult(request, await pending);
    } catch (error) {
      response = await this.view.handleException(error);
    }
    return this.finalizeOrFail(request, response);
  }

  /** An error of the synchronous part of the cycle, answered by the exception handler. */
  private async fail(request: Request, error: unknown): Promise<globalThis.Response> {
    return this.finalizeOrFail(request, await this.view.handleException(error));
  }

  /** The view's finalizeResponse when it overrides it, else the built-in one. */
  private finalizeNow(
    request: Request,
    response: HandlerResult,
  ): globalThis.Response | Promise<globalThis.Response> {
    return this.plan.overrides.finalizeResponse
      ? this.view.finalizeResponse(request, response)
      : this.finalize(request, response);
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
      const out = this.finalizeNow(request, response);
      if (!(out instanceof Promise)) return out;
      return out.catch((error: unknown) => this.finalizeNow(request, this.view.serverError(error)));
    } catch (error) {
      return this.finalizeNow(request, this.view.serverError(error));
    }
  }

  /** The handler once `initial`'s pending step settled. */
  private async handleAfter(request: Request, initial: Promise<void>): Promise<HandlerResult> {
    await initial;
    return this.callHandler(request);
  }

  /** The method's handler called (405 when there is none): its Response, or a Promise of it. */
  private callHandler(request: Request): Awaitable<HandlerResult> {
    const view = this.view;
    const handler = this.plan.overrides.handlerFor
      ? view.handlerFor(request.method)
      : handlerOf(view, request.method);
    if (!handler) throw new MethodNotAllowed(request.method);
    return handler.call(view, request);
  }

  /**
   * `initial`, then the method's handler, checked (ATOMIC_REQUESTS: a handler that returns no
   * Response fails inside the transaction, which rolls its writes back, as Django's does).
   */
  private async runHandler(request: Request): Promise<HandlerResult> {
    const initial = this.plan.overrides.initial ? this.view.initial(request) : this.initialSteps(request);
    if (initial) await initial;
    return this.checkedResult(request, await this.callHandler(request));
  }

  /** The handler's result, when it is a Response. */
  private checkedResult(request: Request, result: unknown): HandlerResult {
    if (!(result instanceof Response) && !(result instanceof globalThis.Response)) {
      // DRF asserts the same: a handler that forgot to return is a bug, answered as a logged 500.
      throw new TypeError(
        `Expected a Response from ${this.view.constructor.name}.${this.view.action ?? request.method.toLowerCase()}(), received ${result === null ? "null" : typeof result}.`,
      );
    }
    return result;
  }

  /**
   * Renders our Response with the negotiated renderer; a raw Fetch Response passes through.
   * A Promise only when the renderer is asynchronous (the browsable API); JSON stays synchronous.
   */
  finalize(request: Request, response: HandlerResult): globalThis.Response | Promise<globalThis.Response> {
    const head = request.method === "HEAD";
    if (!(response instanceof Response)) {
      if (!head) return response;
      return new globalThis.Response(null, { status: response.status, headers: response.headers });
    }
    if (!request.accepted) this.negotiation(request, true);
    const record = Response.headerRecord(response);
    if (record === null) return this.finalizeWithHeaders(request, response, head);
    // A plain record, not a Fetch Headers: @hono/node-server writes a record straight to
    // Node's response (a Headers is validated on every set, then copied again on the way out).
    record.allow ??= this.allowHeader();
    const extra = this.view.headers;
    for (const key in extra) {
      const name = key.toLowerCase();
      record[name] ??= extra[key] as string;
    }
    if (this.renderersNow().length > 1) record.vary = record.vary ? `${record.vary}, Accept` : "Accept";
    const status = response.status;
    const noBody = status === 204 || status === 304 || response.data === undefined;
    if (noBody || !request.accepted) return new globalThis.Response(null, { status, headers: record });
    const { renderer, mediaType } = request.accepted;
    record["content-type"] ??=
      response.contentType ?? (renderer.charset ? `${mediaType}; charset=${renderer.charset}` : mediaType);
    const context = new RecordRendererContext(this.view, request, response, record);
    const body = renderer.render(response.data, mediaType, context);
    if (body instanceof Promise)
      return body.then((out) => rendered(request, response, out, head, context.asked ?? record));
    return rendered(request, response, body, head, context.asked ?? record);
  }

  /** `Allow`: the route's, or the view's own answer now when it decides per request. */
  private allowHeader(): string {
    return this.plan.perRequest ? this.view.allowedMethods.join(", ") : this.plan.allow;
  }

  /** finalize for headers a record cannot hold (several Set-Cookie values). */
  private finalizeWithHeaders(
    request: Request,
    response: Response,
    head: boolean,
  ): globalThis.Response | Promise<globalThis.Response> {
    const headers = new Headers(response.headers);
    if (!headers.has("Allow")) headers.set("Allow", this.allowHeader());
    const extra = this.view.headers;
    for (const key in extra) if (!headers.has(key)) headers.set(key, extra[key] as string);
    if (this.renderersNow().length > 1) headers.append("Vary", "Accept");
    const status = response.status;
    const noBody = status === 204 || status === 304 || response.data === undefined;
    if (noBody || !request.accepted) return new globalThis.Response(null, { status, headers });
    const { renderer, mediaType } = request.accepted;
    const type =
      response.contentType ?? (renderer.charset ? `${mediaType}; charset=${renderer.charset}` : mediaType);
    if (!headers.has("Content-Type")) headers.set("Content-Type", type);
    const body = renderer.render(response.data, mediaType, { view: this.view, request, response, headers });
    if (body instanceof Promise) return body.then((out) => rendered(request, response, out, head, headers));
    return rendered(request, response, body, head, headers);
  }
}

/** handlerFor's rule: the view's method of that name; HEAD is answered by GET (Django's View.setup). */
export function handlerOf(view: APIView, method: string): MethodHandler | undefined {
  const self = view as unknown as Record<string, unknown>;
  const lower = handlerName(method);
  const own = self[lower];
  if (typeof own === "function") return own as MethodHandler;
  // The body is dropped on the way out.
  if (lower === "head" && typeof self.get === "function") return self.get as MethodHandler;
  return undefined;
}

export function instantiate<T>(classes: readonly (new () => T)[]): T[] {
  // A loop, not map(): no closure and callback call per class, several times a request.
  const out: T[] = new Array(classes.length);
  for (let i = 0; i < classes.length; i++) out[i] = new (classes[i] as new () => T)();
  return out;
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

/**
 * The Fetch Response of a rendered body; for a response asking for conditional GET
 * (`etagFromBody`), a 200 gets the body's strong ETag, and a matching If-None-Match a 304.
 * Tagged here, where the body is rendered once, rather than by rendering it a second way.
 */
function rendered(
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

const batchableAllowRequest = SimpleRateThrottle.prototype.allowRequest;

/** The batched windows hit in their cache(s), then refuseIfThrottled. */
function recordThrottles(
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
