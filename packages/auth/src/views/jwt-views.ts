import { CharField, type FieldMap, Serializer } from "@x/serializers";
import {
  APIView,
  AuthenticationFailed,
  type OperationSchema,
  type Request,
  Response,
  ValidationError,
} from "@x/views";
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
import {
  EMPTY_OBJECT_SCHEMA,
  TOKEN_ERROR_SCHEMA,
  TokenBlacklistSerializer,
  TokenRefreshSerializer,
  TokenVerifySerializer,
} from "./serializers.js";

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
  protected async refreshInput(
    request: Request,
    Input: typeof TokenRefreshSerializer | typeof TokenBlacklistSerializer,
  ): Promise<string> {
    const cookie = this.config().settings.refreshCookie;
    const fromCookie = cookie ? request.cookies[cookie.name] : undefined;
    // With the cookie present the body's `refresh` may be left out (checked when sent).
    const serializer = new Input({ data: await request.data, partial: fromCookie !== undefined });
    await serializer.isValid({ raiseException: true });
    return (serializer.validatedData.refresh ?? fromCookie)!;
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
 * simplejwt's TokenObtainPairSerializer: `{username, password}` in, `{access, refresh}` out.
 * Its customisation point is the static `getToken`: subclass it to add claims (the handbook's
 * CustomTokenObtainPairSerializer), then set it as the view's `serializerClass`.
 */
export class TokenObtainPairSerializer extends Serializer<
  { access: string; refresh: string },
  { username: string; password: string }
> {
  static override declaredFields: FieldMap = {
    username: new CharField({ writeOnly: true }),
    password: new CharField({ writeOnly: true }),
    access: new CharField({ readOnly: true }),
    refresh: new CharField({ readOnly: true }),
  };

  static getToken(jwt: SimpleJwt<AuthUser>, user: AuthUser): Promise<RefreshToken> {
    return jwt.forUser(user);
  }
}

/** simplejwt's TokenObtainPairView: `{username, password}` → `{refresh, access}`. */
export class TokenObtainPairView extends TokenViewBase {
  static serializerClass: typeof TokenObtainPairSerializer = TokenObtainPairSerializer;
  /** Documented by the serializer: credentials in (write shape), the pair out (read shape). */
  static schema: OperationSchema = {
    responses: { 200: TokenObtainPairSerializer, 401: TOKEN_ERROR_SCHEMA },
  };

  async post(request: Request): Promise<Response> {
    const Input =
      this.getAttribute<typeof TokenObtainPairSerializer>("serializerClass") ?? TokenObtainPairSerializer;
    const serializer = new Input({ data: await request.data, context: { request } });
    await serializer.isValid({ raiseException: true });
    const { username, password } = serializer.validatedData;
    const jwt = this.config();
    try {
      const { refresh, access } = await jwt.obtainPair({ username, password }, (user) =>
        Input.getToken(jwt, user),
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
  static serializerClass = TokenRefreshSerializer;
  static schema: OperationSchema = {
    responses: {
      200: {
        type: "object",
        properties: {
          access: { type: "string", readOnly: true },
          refresh: {
            type: "string",
            readOnly: true,
            description: "A new refresh token, when refresh tokens rotate (`rotateRefreshTokens`).",
          },
        },
        required: ["access"],
        additionalProperties: false,
      },
      401: TOKEN_ERROR_SCHEMA,
    },
  };

  async post(request: Request): Promise<Response> {
    const raw = await this.refreshInput(request, TokenRefreshSerializer);
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
  static serializerClass = TokenVerifySerializer;
  static schema: OperationSchema = { responses: { 200: EMPTY_OBJECT_SCHEMA, 401: TOKEN_ERROR_SCHEMA } };

  async post(request: Request): Promise<Response> {
    const serializer = new TokenVerifySerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    try {
      await this.config().verify(serializer.validatedData.token);
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
  static serializerClass = TokenBlacklistSerializer;
  static schema: OperationSchema = { responses: { 200: EMPTY_OBJECT_SCHEMA, 401: TOKEN_ERROR_SCHEMA } };

  async post(request: Request): Promise<Response> {
    const raw = await this.refreshInput(request, TokenBlacklistSerializer);
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
