import { APIView, AuthenticationFailed, type Request, Response, ValidationError } from "@x/views";
import {
  BlacklistedTokenError,
  NoActiveAccount,
  PasswordChanged,
  type SimpleJwt,
} from "../jwt/simple-jwt.js";
import { TokenError } from "../jwt/token-error.js";
import type { RefreshToken } from "../jwt/tokens.js";
import { serializeCookie } from "../sessions/cookies.js";
import type { AuthUser } from "../users/user-source.js";
import { readCharFields } from "./fields.js";

/** simplejwt's InvalidToken: 401 `{"detail": <why>, "code": "token_not_valid"}`. */
function invalidToken(error: TokenError): AuthenticationFailed {
  return new AuthenticationFailed({ detail: error.message, code: "token_not_valid" }, "token_not_valid");
}

/**
 * simplejwt's TokenViewBase: no authentication or permissions, throttle scope
 * `auth`, and `Bearer realm="api"` on 401s. Route it with
 * `TokenObtainPairView.asView({ jwt })`.
 */
export class TokenViewBase extends APIView {
  static override authenticationClasses = [];
  static override permissionClasses = [];
  /** ScopedRateThrottle reads it: rate `defaultThrottleRates.auth`. */
  throttleScope = "auth";
  declare jwt: SimpleJwt<AuthUser>;

  protected config(): SimpleJwt<AuthUser> {
    const jwt = this.getAttribute<SimpleJwt<AuthUser>>("jwt");
    if (!jwt) throw new Error(`${this.constructor.name} needs a jwt configuration: .asView({ jwt })`);
    return jwt;
  }

  override authenticateHeader(): string {
    const { authHeaderTypes, realm } = this.config().settings;
    return `${authHeaderTypes[0]} realm="${realm}"`;
  }

  /** The refresh token from the body, else from the httpOnly cookie when one is configured. */
  protected async refreshInput(request: Request): Promise<string> {
    const cookie = this.config().settings.refreshCookie;
    const fromCookie = cookie ? request.cookies[cookie.name] : undefined;
    const { refresh } = readCharFields(await request.data, {
      refresh: { optional: fromCookie !== undefined },
    });
    return (refresh ?? fromCookie)!;
  }

  /** Moves `refresh` from the body into the httpOnly cookie when configured. */
  protected respondWithRefresh(data: { access?: string; refresh?: string }): Response {
    const cookie = this.config().settings.refreshCookie;
    if (!cookie || data.refresh === undefined) return new Response(data);
    const { refresh, ...rest } = data;
    const response = new Response(rest);
    response.headers.append(
      "Set-Cookie",
      serializeCookie(cookie.name, refresh, {
        maxAge: this.config().settings.refreshTokenLifetime,
        path: cookie.path,
        domain: cookie.domain,
        secure: cookie.secure,
        sameSite: cookie.sameSite,
        httpOnly: true,
      }),
    );
    return response;
  }
}

/**
 * simplejwt's TokenObtainPairSerializer, reduced to its customisation point:
 * subclass it and override the static `getToken` to add claims (the handbook's
 * CustomTokenObtainPairSerializer), then set it as a view's `serializerClass`.
 */
export class TokenObtainPairSerializer {
  static getToken(jwt: SimpleJwt<AuthUser>, user: AuthUser): Promise<RefreshToken> {
    return jwt.forUser(user);
  }
}

/** simplejwt's TokenObtainPairView: `{username, password}` → `{refresh, access}`. */
export class TokenObtainPairView extends TokenViewBase {
  static serializerClass: typeof TokenObtainPairSerializer = TokenObtainPairSerializer;

  async post(request: Request): Promise<Response> {
    const { username, password } = readCharFields(await request.data, { username: {}, password: {} });
    const jwt = this.config();
    const serializer =
      this.getAttribute<typeof TokenObtainPairSerializer>("serializerClass") ?? TokenObtainPairSerializer;
    try {
      const { refresh, access } = await jwt.obtainPair({ username: username!, password: password! }, (user) =>
        serializer.getToken(jwt, user),
      );
      return this.respondWithRefresh({ refresh, access });
    } catch (e) {
      if (e instanceof NoActiveAccount) throw new AuthenticationFailed(e.message, "no_active_account");
      throw e;
    }
  }
}

/** simplejwt's TokenRefreshView: `{refresh}` → `{access}` (+ `refresh` when rotating). */
export class TokenRefreshView extends TokenViewBase {
  async post(request: Request): Promise<Response> {
    const raw = await this.refreshInput(request);
    try {
      return this.respondWithRefresh(await this.config().refresh(raw));
    } catch (e) {
      if (e instanceof TokenError) throw invalidToken(e);
      if (e instanceof NoActiveAccount)
        throw new AuthenticationFailed({ detail: e.message, code: "no_active_account" }, "no_active_account");
      if (e instanceof PasswordChanged)
        throw new AuthenticationFailed({ detail: e.message, code: "password_changed" }, "password_changed");
      throw e;
    }
  }
}

/** simplejwt's TokenVerifyView: `{token}` → `{}`. */
export class TokenVerifyView extends TokenViewBase {
  async post(request: Request): Promise<Response> {
    const { token } = readCharFields(await request.data, { token: {} });
    try {
      await this.config().verify(token!);
    } catch (e) {
      if (e instanceof BlacklistedTokenError) throw new ValidationError({ non_field_errors: [e.message] });
      if (e instanceof TokenError) throw invalidToken(e);
      throw e;
    }
    return new Response({});
  }
}

/** simplejwt's TokenBlacklistView: `{refresh}` → `{}`; the token can no longer be used. */
export class TokenBlacklistView extends TokenViewBase {
  async post(request: Request): Promise<Response> {
    const raw = await this.refreshInput(request);
    try {
      await this.config().blacklist(raw);
    } catch (e) {
      if (e instanceof TokenError) throw invalidToken(e);
      throw e;
    }
    const response = new Response({});
    const cookie = this.config().settings.refreshCookie;
    if (cookie) {
      response.headers.append(
        "Set-Cookie",
        serializeCookie(cookie.name, "", {
          maxAge: 0,
          path: cookie.path,
          domain: cookie.domain,
          httpOnly: true,
        }),
      );
    }
    return response;
  }
}
