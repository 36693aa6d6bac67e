// How the outside (a router, the app, the test client) hands per-application
// state to views: one Hono context variable, merged by middlewares.
import type { Context, MiddlewareHandler } from "hono";
import type { UrlResolver, User } from "./interfaces.js";
import type { ApiSettings } from "./settings/settings.js";

export interface ApiContext {
  settings?: ApiSettings;
  /** Reverses route names to paths (installed by @x/routers). */
  resolver?: UrlResolver;
  /** URL namespace of the matched route (`"v1"`), read by NamespaceVersioning and reverse. */
  namespace?: string;
  /** Name of the matched route (`"product-detail"`). */
  routeName?: string;
  /**
   * The matched route's path parameters (`{ version: "v1", pk: "7" }`), set by the router that
   * dispatched the request; a view takes them as its kwargs (else Hono's `c.req.param()`).
   */
  kwargs?: Readonly<Record<string, string>>;
}

export const API_CONTEXT_KEY = "xApi";

/** Force-authentication handed over by the test client (never reachable from HTTP). */
export const FORCE_AUTH = Symbol.for("@x/views.forceAuth");
export interface ForcedAuth {
  user: User | null;
  token: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app/env may carry the API context
type AnyContext = Context<any, any, any>;

// Kept on the Context object itself: Hono's c.set() makes a Map per request for its first variable.
const SLOT = Symbol.for("@x/views.apiContext");
type WithSlot = { [SLOT]?: ApiContext };
const EMPTY: ApiContext = Object.freeze({});

export function getApiContext(c: AnyContext): ApiContext {
  return (c as WithSlot)[SLOT] ?? (c.get(API_CONTEXT_KEY) as ApiContext | undefined) ?? EMPTY;
}

/** Merges `patch` into this request's API context; a key the patch leaves undefined keeps its value. */
export function setApiContext(c: AnyContext, patch: ApiContext): void {
  const current = getApiContext(c);
  // Usually set once per request (the router's dispatch): then the patch is taken as it is.
  if (current === EMPTY) {
    (c as WithSlot)[SLOT] = patch;
    return;
  }
  const merged: Record<string, unknown> = { ...current };
  for (const key in patch) {
    const value = (patch as Record<string, unknown>)[key];
    if (value !== undefined) merged[key] = value;
  }
  (c as WithSlot)[SLOT] = merged as ApiContext;
}

/** Middleware installing settings / resolver / namespace for the routes below it. */
export function apiContext(patch: ApiContext): MiddlewareHandler {
  return async (c, next) => {
    setApiContext(c, patch);
    await next();
  };
}
