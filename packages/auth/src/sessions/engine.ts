import type { Request } from "@x/views";
import { constantTimeEquals } from "../crypto/constant-time.js";
import { getRandomString } from "../crypto/random.js";
import { saltedHmac } from "../crypto/salted-hmac.js";
import type { AuthUser, UserSource } from "../users/user-source.js";
import { type HasHeaders, serializeCookie } from "./cookies.js";
import { type CsrfOptions, maskCsrfSecret, newCsrfSecret } from "./csrf.js";
import type { SessionData, SessionStore } from "./store.js";

const SESSION_KEY = "_auth_user_id";
const HASH_SESSION_KEY = "_auth_user_hash";
const KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

export interface SessionUser extends AuthUser {
  /** The encoded password: a password change ends every session (Django's session auth hash). */
  readonly password?: string;
}

export interface SessionEngineOptions<U extends SessionUser> {
  store: SessionStore;
  users: UserSource<U>;
  /** SECRET_KEY: keys the session auth hash. */
  secretKey: string;
  cookieName?: string;
  /** Seconds (Django's SESSION_COOKIE_AGE: two weeks). */
  cookieAge?: number;
  cookieSecure?: boolean;
  cookieSameSite?: "Strict" | "Lax" | "None";
  cookiePath?: string;
  cookieDomain?: string;
  csrfCookieName?: string;
  csrfHeaderName?: string;
  csrfTrustedOrigins?: readonly string[];
}

export interface SessionEngine<U extends SessionUser> {
  readonly users: UserSource<U>;
  readonly csrf: CsrfOptions;
  /** The logged-in, active user of this request's session, or null. */
  getUser(request: Request): Promise<U | null>;
  /** Django's login(): a new session (fresh key, fresh CSRF secret) for the user; sets both cookies. */
  login(request: Request, user: U, response: HasHeaders): Promise<string>;
  /** Django's logout(): deletes the session and expires the cookie. */
  logout(request: Request, response: HasHeaders): Promise<void>;
  /** Django's update_session_auth_hash: keeps this session alive after the user's own password change. */
  updateSessionAuthHash(request: Request, user: U): Promise<void>;
  /** Django's get_token(): a masked CSRF token for forms/headers, setting the cookie when missing. */
  getCsrfToken(request: Request, response: HasHeaders): string;
}

/** Server-side sessions as Django's SessionMiddleware + auth login/logout keep them. */
export function sessionEngine<U extends SessionUser>(options: SessionEngineOptions<U>): SessionEngine<U> {
  const cookieName = options.cookieName ?? "sessionid";
  const age = options.cookieAge ?? 1_209_600;
  const csrf: CsrfOptions = {
    cookieName: options.csrfCookieName ?? "csrftoken",
    headerName: options.csrfHeaderName ?? "X-CSRFToken",
    trustedOrigins: options.csrfTrustedOrigins ?? [],
  };
  const base = {
    path: options.cookiePath ?? "/",
    domain: options.cookieDomain,
    secure: options.cookieSecure ?? false,
    sameSite: options.cookieSameSite ?? "Lax",
  } as const;
  const authHash = (user: U) =>
    saltedHmac(
      "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
      user.password ?? "",
      options.secretKey,
    );

  function sessionKeyOf(request: Request): string | null {
    const key = request.cookies[cookieName];
    // Keys are ours (32 of [a-z0-9]); anything else is not looked up at all.
    return key !== undefined && /^[a-z0-9]{32}$/.test(key) ? key : null;
  }

  function setCsrfCookie(response: HasHeaders, secret: string) {
    response.headers.append(
      "Set-Cookie",
      serializeCookie(csrf.cookieName, secret, { ...base, maxAge: 31_449_600, httpOnly: false }),
    );
  }

  return {
    users: options.users,
    csrf,
    async getUser(request) {
      const key = sessionKeyOf(request);
      if (key === null) return null;
      const data: SessionData | null = await options.store.load(key);
      if (!data || data[SESSION_KEY] === undefined) return null;
      const user = await options.users.getById(data[SESSION_KEY]);
      if (!user?.is_active) return null;
      const stored = data[HASH_SESSION_KEY];
      if (typeof stored !== "string" || !constantTimeEquals(stored, authHash(user))) {
        await options.store.delete(key);
        return null;
      }
      return user;
    },
    async login(request, user, response) {
      const old = sessionKeyOf(request);
      if (old !== null) await options.store.delete(old);
      const key = getRandomString(32, KEY_CHARS);
      await options.store.save(key, { [SESSION_KEY]: user.pk, [HASH_SESSION_KEY]: authHash(user) }, age);
      response.headers.append(
        "Set-Cookie",
        serializeCookie(cookieName, key, { ...base, maxAge: age, httpOnly: true }),
      );
      // Django rotates the CSRF secret on login.
      setCsrfCookie(response, newCsrfSecret());
      await options.users.updateLastLogin?.(user);
      return key;
    },
    async logout(request, response) {
      const key = sessionKeyOf(request);
      if (key !== null) await options.store.delete(key);
      response.headers.append(
        "Set-Cookie",
        serializeCookie(cookieName, "", { ...base, maxAge: 0, httpOnly: true }),
      );
    },
    async updateSessionAuthHash(request, user) {
      const key = sessionKeyOf(request);
      if (key === null) return;
      const data = await options.store.load(key);
      if (!data || String(data[SESSION_KEY]) !== String(user.pk)) return;
      await options.store.save(key, { ...data, [HASH_SESSION_KEY]: authHash(user) }, age);
    },
    getCsrfToken(request, response) {
      let secret = request.cookies[csrf.cookieName];
      if (secret === undefined || !/^[A-Za-z0-9]{32}$/.test(secret)) {
        secret = newCsrfSecret();
        setCsrfCookie(response, secret);
      }
      return maskCsrfSecret(secret);
    },
  };
}
