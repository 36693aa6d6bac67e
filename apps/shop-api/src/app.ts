// The shop-api composition root: one Hono app mounting the routers of every
// module under /api/v1/ and /api/v2/ (URL-path versioning), the auth endpoints,
// /healthz and the OpenAPI schema. Everything here runs once at startup.
import {
  type AbstractUserInstance,
  cacheSessionStore,
  JWTAuthentication,
  LoginView,
  LogoutView,
  modelTokenStore,
  ObtainAuthToken,
  SessionAuthentication,
  type SimpleJwt,
  sessionEngine,
  simpleJwt,
  TokenAuthentication,
  TokenBlacklistView,
  TokenObtainPairView,
  TokenRefreshView,
  TokenVerifyView,
  userService,
} from "@x/auth";
import { closeDatabase, configureDatabase, routingScope, routingScopeNeeded } from "@x/models";
import { DefaultRouter, mount, path, schemaView } from "@x/routers";
import { CharField, EmailField, IntegerField, Serializer } from "@x/serializers";
import {
  AllowAny,
  AnonRateThrottle,
  apiContext,
  BrowsableAPIRenderer,
  type Cache,
  defineSettings,
  getDefaultCache,
  JSONRenderer,
  MemoryCache,
  type OperationSchema,
  PageNumberPagination,
  RedisCache,
  type Request,
  Response,
  ScopedRateThrottle,
  setDefaultCache,
  URLPathVersioning,
  UserRateThrottle,
} from "@x/views";
import { Hono } from "hono";
import { mountDocs } from "./docs.js";
import { healthz } from "./healthz.js";
import { jsonLogger, requestLogging } from "./middleware/logging.js";
import type { NodeResponseOptions } from "./middleware/node.js";
import { securityHeaders, securityHeadersForNode } from "./middleware/security-headers.js";
import { OrderViewSet } from "./orders/views.js";
import { CachedProductViewSet, CategoryViewSet, ProductViewSet, ReviewViewSet } from "./products/views.js";
import type { ShopConfig } from "./settings/env.js";
import { auth, User } from "./users/models.js";
import { connectUserSignals } from "./users/signals.js";
import { UserViewSet } from "./users/views.js";

/** Page-number pagination as the contract fixes it: `?page=`, `?page_size=` up to 100, 20 by default. */
export class StandardPagination extends PageNumberPagination {
  override pageSize = 20;
  override pageSizeQueryParam = "page_size";
  override maxPageSize = 100;
}

/** The handbook's CustomAuthToken answer (documents the token endpoint). */
class CustomAuthTokenSerializer extends Serializer.of({
  token: new CharField({ readOnly: true }),
  user_id: new IntegerField({ readOnly: true }),
  email: new EmailField({ readOnly: true }),
  username: new CharField({ readOnly: true }),
}) {}

/** The token endpoint's answer carries the user, as the handbook's CustomAuthToken. */
class ShopObtainAuthToken extends ObtainAuthToken {
  static override schema: OperationSchema = { responses: { 200: CustomAuthTokenSerializer } };

  override async post(request: Request): Promise<Response> {
    const serializer = new this.serializerClass({ data: await request.data, context: { request } });
    await serializer.isValid({ raiseException: true });
    const user = serializer.validatedData.user as AbstractUserInstance;
    const [token] = await this.getOrCreateToken(user);
    return new Response({ token: token.key, user_id: user.pk, email: user.email, username: user.username });
  }
}

export interface ShopApp {
  app: Hono;
  cache: Cache;
  jwt: SimpleJwt<AbstractUserInstance>;
  /**
   * What the service's Node server writes into every response head itself (security headers,
   * X-Request-Id): `serveApp(app, { response: await shop.nodeResponse() })`. Only when created
   * with `nodeHeaders: true`; otherwise middleware adds them.
   */
  nodeResponse(): Promise<NodeResponseOptions>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Connect to `config.databaseUrl` (default). Tests pass false: their test database is already the default. */
  connectDatabase?: boolean;
  /**
   * Served by `serveApp` with `nodeResponse()`: the security headers and request ids are
   * written by Node's response, without their middleware (two middleware layers less per
   * request). Off by default: the in-process client has no Node response.
   */
  nodeHeaders?: boolean;
}

// Django's SECURE_REFERRER_POLICY: "same-origin" (with "no-referrer" a browser's form post
// carries `Origin: null`, which the CSRF check of the browsable API's forms must refuse).
// Four of Hono's defaults are left out, as Django's SecurityMiddleware leaves them out: no
// current browser acts on X-XSS-Protection (its filter is gone) or X-Download-Options (IE8),
// and X-DNS-Prefetch-Control and Origin-Agent-Cluster only concern HTML documents with
// foreign links or document.domain. Every response pays for each header it carries.
const SECURITY_HEADERS = {
  referrerPolicy: "same-origin",
  xXssProtection: false,
  xDownloadOptions: false,
  xDnsPrefetchControl: false,
  originAgentCluster: false,
} as const;

export function createApp(config: ShopConfig, options: CreateAppOptions = {}): ShopApp {
  if (options.connectDatabase !== false)
    configureDatabase({ default: config.databaseUrl, replicas: config.databaseReplicaUrls });
  const cache: Cache = config.redisUrl
    ? new RedisCache({
        url: config.redisUrl,
        keyPrefix: config.cacheKeyPrefix,
        onUnavailable: config.cacheUnavailable,
        timeoutMs: config.cacheTimeoutMs,
      })
    : new MemoryCache();
  setDefaultCache(cache);
  connectUserSignals();

  const logger = jsonLogger(config.logLevel);
  for (const warning of config.warnings) logger.log("warn", warning);

  const users = userService(User);
  const jwt = simpleJwt<AbstractUserInstance>({
    signingKey: config.secretKey,
    users,
    store: modelTokenStore(auth),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
    authHeaderTypes: ["Bearer"],
    realm: "api",
    getToken: (user, token) => {
      token.set("username", user.username);
      token.set("email", user.email);
      token.set("is_staff", user.is_staff);
    },
  });
  const sessions = sessionEngine({ store: cacheSessionStore(cache), users, secretKey: config.secretKey });

  const settings = defineSettings({
    defaultAuthenticationClasses: [
      JWTAuthentication.using(jwt),
      TokenAuthentication.using(auth.Token),
      SessionAuthentication.using(sessions),
    ],
    // DRF's defaults: JSON for API clients, the browsable API for a browser (Accept: text/html or ?format=api).
    defaultRendererClasses: [
      JSONRenderer,
      BrowsableAPIRenderer.configure({
        title: "shop-api",
        loginUrl: "/api-auth/login/",
        logoutUrl: "/api-auth/logout/",
      }),
    ],
    defaultPermissionClasses: [AllowAny],
    defaultThrottleClasses: [AnonRateThrottle, UserRateThrottle, ScopedRateThrottle],
    defaultThrottleRates: config.throttleRates,
    defaultPaginationClass: StandardPagination,
    pageSize: 20,
    defaultVersioningClass: URLPathVersioning,
    defaultVersion: "v1",
    allowedVersions: ["v1", "v2"],
    versionParam: "version",
    numProxies: config.numProxies,
  });

  const router = new DefaultRouter();
  router.register("categories", CategoryViewSet, { basename: "category" });
  router.register("products", config.cacheProducts ? CachedProductViewSet : ProductViewSet, {
    basename: "product",
  });
  router.register("reviews", ReviewViewSet, { basename: "review" });
  router.register("orders", OrderViewSet, { basename: "order" });
  router.register("users", UserViewSet, { basename: "user" });

  const app = new Hono();
  // One routing scope per request: after its first write, its reads go to the primary
  // (read-your-writes). Without replicas there is nothing to route: no scope at all.
  if (routingScopeNeeded()) app.use("*", (_c, next) => routingScope(next));
  // Request logs (and ids), and Hono's secureHeaders set (a response's own value kept) written
  // onto Node's response; served with nodeResponse(), Node's response writes both itself.
  const nodeHeaders = options.nodeHeaders === true;
  if (!nodeHeaders || logger.enabled?.("info") !== false) app.use("*", requestLogging(logger));
  if (!nodeHeaders) app.use("*", securityHeaders(SECURITY_HEADERS));
  // The primary, each read replica and Redis (healthz.ts says which of them fail the check).
  app.get("/healthz", healthz({ cache, redisTimeoutMs: config.cacheTimeoutMs, logger }));

  const api = "/api/:version{v1|v2}";
  // The auth endpoints are named routes beside the router: reversible and in the schema.
  const tokenViews = { jwt, throttleScope: "auth" };
  const authRoutes = [
    path("auth/token/", ShopObtainAuthToken, {
      name: "auth-token",
      initkwargs: { users, tokenModel: auth.Token },
    }),
    path("auth/jwt/", TokenObtainPairView, { name: "jwt-obtain", initkwargs: tokenViews }),
    path("auth/jwt/refresh/", TokenRefreshView, { name: "jwt-refresh", initkwargs: tokenViews }),
    path("auth/jwt/verify/", TokenVerifyView, { name: "jwt-verify", initkwargs: tokenViews }),
    path("auth/jwt/blacklist/", TokenBlacklistView, { name: "jwt-blacklist", initkwargs: tokenViews }),
  ];
  const resolver = mount(app, `${api}/`, [router, ...authRoutes], { settings });

  // DRF's api-auth/: the browsable API's session login and logout pages (CSRF-checked forms).
  app.use("/api-auth/*", apiContext({ settings }));
  const browserAuth = { sessions, pageTitle: "shop-api", redirectUrl: "/api/v1/" };
  app.all("/api-auth/login/", LoginView.asView(browserAuth));
  app.all("/api-auth/logout/", LogoutView.asView({ ...browserAuth, loginUrl: "/api-auth/login/" }));

  // GET /api/schema/ (?version=v2: that version's document); the docs page offers one per version.
  const documents = (settings.allowedVersions ?? []).map((v) => ({
    name: v,
    url: `/api/schema/?version=${v}`,
  }));
  mountDocs(app, "/api/docs/", { urls: documents, primaryName: settings.defaultVersion ?? "v1" });
  app.get("/api/schema/", schemaView({ mounts: [resolver], settings, title: "shop-api", version: "1.0.0" }));

  return {
    app,
    cache,
    jwt,
    async nodeResponse() {
      if (!nodeHeaders) return {};
      const security = await securityHeadersForNode(SECURITY_HEADERS);
      if (!security) throw new Error("nodeHeaders: these security headers need their middleware");
      return { ...security, requestIds: true };
    },
    async close() {
      await closeDatabase();
      const current = getDefaultCache() as { close?: () => Promise<void> };
      await current.close?.();
    },
  };
}
