// Security schemes from authentication classes, and whether an operation admits anonymous users.
import type { AuthenticationClass, PermissionClass } from "@x/views";
import type { SecuritySchemeObject } from "./types.js";

/**
 * What an authentication class may declare to be documented (a static member
 * `openApiSecurityScheme`); without it, DRF's and simplejwt's classes are recognised by name.
 */
export interface DeclaredSecurityScheme {
  name: string;
  scheme: SecuritySchemeObject;
}

function classNames(cls: object): string[] {
  const names: string[] = [];
  for (let c: object | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const name = (c as { name?: unknown }).name;
    if (typeof name === "string" && name) names.push(name);
  }
  return names;
}

function staticOf(cls: object, name: string): unknown {
  return (cls as Record<string, unknown>)[name];
}

/** The security scheme of an authentication class, or null when it cannot be told. */
export function securitySchemeOf(Auth: AuthenticationClass): DeclaredSecurityScheme | null {
  const declared = staticOf(Auth, "openApiSecurityScheme") as DeclaredSecurityScheme | undefined;
  if (declared) return declared;
  const names = classNames(Auth);
  if (names.some((n) => /JWT|Jwt/.test(n))) {
    return { name: "jwtAuth", scheme: { type: "http", scheme: "bearer", bearerFormat: "JWT" } };
  }
  if (names.includes("TokenAuthentication")) {
    const keyword = keywordOf(Auth) ?? "Token";
    return {
      name: "tokenAuth",
      scheme: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: `Token-based authentication with required prefix "${keyword}"`,
      },
    };
  }
  if (names.includes("SessionAuthentication")) {
    return { name: "cookieAuth", scheme: { type: "apiKey", in: "cookie", name: "sessionid" } };
  }
  if (names.includes("BasicAuthentication")) {
    return { name: "basicAuth", scheme: { type: "http", scheme: "basic" } };
  }
  return null;
}

/** TokenAuthentication's prefix: DRF's `keyword`, a static or an instance field. */
function keywordOf(Auth: AuthenticationClass): string | undefined {
  const declared = staticOf(Auth, "keyword");
  if (typeof declared === "string") return declared;
  try {
    const keyword = (new Auth() as unknown as { keyword?: unknown }).keyword;
    return typeof keyword === "string" ? keyword : undefined;
  } catch {
    return undefined;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether anonymous requests pass the permissions for `method` (then the operation's
 * security lists `{}`: authentication optional). A permission class may declare it with a
 * static `openApiAllowsAnonymous(method)`; DRF's classes are recognised by name.
 */
export function allowsAnonymous(permissions: readonly PermissionClass[], method: string): boolean {
  return permissions.every((Permission) => {
    const declared = staticOf(Permission, "openApiAllowsAnonymous");
    if (typeof declared === "function")
      return Boolean((declared as (m: string) => unknown).call(Permission, method));
    const names = classNames(Permission);
    if (names.includes("AllowAny")) return true;
    if (names.some((n) => n.endsWith("OrReadOnly") || n.endsWith("OrAnonReadOnly")))
      return SAFE_METHODS.has(method);
    return false;
  });
}
