import { constantTimeEquals } from "../crypto/constant-time.js";
import { saltedHmac } from "../crypto/salted-hmac.js";
import type { AuthUser, UserSource } from "../users/user-source.js";
import { tokenBackend } from "./backend.js";
import { type JwtSettings, type JwtSettingsInput, resolveJwtSettings } from "./settings.js";
import { memoryTokenStore, type TokenStore } from "./store.js";
import { TOKEN_BLACKLISTED, TokenError } from "./token-error.js";
import { AccessToken, RefreshToken, type TokenContext, UntypedToken } from "./tokens.js";

/** Credentials were wrong or the account is inactive (simplejwt's `no_active_account`). */
export class NoActiveAccount extends Error {
  constructor(message = "No active account found with the given credentials") {
    super(message);
    this.name = "NoActiveAccount";
  }
}

/** The token was issued before the user's password changed (simplejwt's `password_changed`). */
export class PasswordChanged extends Error {
  constructor() {
    super("The user's password has been changed.");
    this.name = "PasswordChanged";
  }
}

/** Why a Bearer token did not authenticate: simplejwt's JWTAuthentication bodies. */
export class JwtAuthenticationError extends Error {
  readonly body: Record<string, unknown>;
  constructor(body: Record<string, unknown>) {
    super(String(body.detail));
    this.name = "JwtAuthenticationError";
    this.body = body;
  }
}

export interface SimpleJwtOptions<U extends AuthUser> extends JwtSettingsInput<U> {
  users: UserSource<U>;
  /** Outstanding/blacklisted tokens; default: in process memory. */
  store?: TokenStore;
}

export interface TokenPair {
  refresh: string;
  access: string;
}

export interface SimpleJwt<U extends AuthUser> {
  readonly settings: JwtSettings<U>;
  readonly users: UserSource<U>;
  readonly store: TokenStore;
  /** A refresh token for the user, custom claims applied, recorded as outstanding. */
  forUser(user: U): Promise<RefreshToken>;
  /** Decode and verify a token of one type (signature, exp/nbf, aud/iss, type, id, blacklist). */
  accessToken(token: string): Promise<AccessToken>;
  refreshToken(token: string): Promise<RefreshToken>;
  untypedToken(token: string): Promise<UntypedToken>;
  /** TokenObtainPairSerializer: credentials → a pair. */
  obtainPair(
    credentials: { username: string; password: string },
    getToken?: (user: U) => Promise<RefreshToken>,
  ): Promise<TokenPair & { user: U }>;
  /** TokenRefreshSerializer: a new access token (and a rotated refresh token when configured). */
  refresh(refresh: string): Promise<{ access: string; refresh?: string }>;
  /** TokenVerifySerializer: resolves when valid; `{ blacklisted: true }` rejection for a blacklisted refresh token. */
  verify(token: string): Promise<void>;
  /** TokenBlacklistSerializer. */
  blacklist(refresh: string): Promise<void>;
  /** Blacklists every outstanding refresh token of the user; returns how many. */
  logoutEverywhere(user: U): Promise<number>;
  flushExpiredTokens(now?: Date): Promise<number>;
  /** JWTAuthentication.get_validated_token + get_user for a raw Bearer token. */
  authenticateToken(raw: string): Promise<[U, AccessToken]>;
}

/** Raised by `verify` for a blacklisted token (simplejwt answers 400 there, not 401). */
export class BlacklistedTokenError extends TokenError {
  constructor() {
    super(TOKEN_BLACKLISTED);
    this.name = "BlacklistedTokenError";
  }
}

export function simpleJwt<U extends AuthUser>(options: SimpleJwtOptions<U>): SimpleJwt<U> {
  const settings = resolveJwtSettings(options);
  const backend = tokenBackend(settings as JwtSettings<never>);
  const store = options.store ?? memoryTokenStore();
  const users = options.users;
  const ctx: TokenContext = {
    backend,
    store,
    lifetimes: { access: settings.accessTokenLifetime, refresh: settings.refreshTokenLifetime },
    userIdClaim: settings.userIdClaim,
  };

  async function decode<T extends AccessToken | RefreshToken | UntypedToken>(
    raw: string,
    make: (payload: Record<string, unknown>) => T,
  ): Promise<T> {
    if (typeof raw !== "string" || raw === "") throw new TokenError("Token is invalid or expired");
    const token = make(await backend.decode(raw));
    await token.verify();
    return token;
  }

  // Keyed by the signing key, so the claim tells nothing about the password hash.
  function passwordDigest(user: U): string {
    const password = (user as { password?: unknown }).password;
    return saltedHmac(
      "simplejwt.revoke_token",
      typeof password === "string" ? password : "",
      settings.signingKey,
    );
  }

  function revoked(token: RefreshToken | AccessToken, user: U): boolean {
    if (!settings.checkRevokeToken) return false;
    const claim = token.get(settings.revokeTokenClaim);
    return typeof claim !== "string" || !constantTimeEquals(claim, passwordDigest(user));
  }

  async function activeUserOf(token: RefreshToken | AccessToken): Promise<U | null> {
    const id = token.userId;
    if (typeof id !== "number" && typeof id !== "string") return null;
    const user = await users.getById(id);
    return user?.is_active ? user : null;
  }

  const jwt: SimpleJwt<U> = {
    settings,
    users,
    store,
    async forUser(user) {
      const token = new RefreshToken(ctx);
      const id = user.pk;
      token.set(settings.userIdClaim, typeof id === "number" ? id : String(id));
      if (settings.checkRevokeToken) token.set(settings.revokeTokenClaim, passwordDigest(user));
      settings.getToken?.(user, token);
      return token;
    },
    accessToken: (raw) => decode(raw, (p) => new AccessToken(ctx, p, raw)),
    refreshToken: (raw) => decode(raw, (p) => new RefreshToken(ctx, p, raw)),
    untypedToken: (raw) => decode(raw, (p) => new UntypedToken(ctx, p, raw)),

    async obtainPair({ username, password }, getToken = jwt.forUser) {
      const user = await users.authenticate({ username, password });
      if (!user?.is_active) throw new NoActiveAccount();
      const refresh = await getToken(user);
      const pair = { refresh: await refresh.outstand(), access: await refresh.accessToken().encode() };
      if (settings.updateLastLogin) await users.updateLastLogin?.(user);
      return { ...pair, user };
    },

    async refresh(raw) {
      const refresh = await jwt.refreshToken(raw);
      // simplejwt ≥ 5.3: a deleted or deactivated user cannot refresh.
      const owner = await activeUserOf(refresh);
      if (owner === null) throw new NoActiveAccount("No active account found for the given token.");
      if (revoked(refresh, owner)) throw new PasswordChanged();
      const access = await refresh.accessToken().encode();
      if (!settings.rotateRefreshTokens) return { access };
      if (settings.blacklistAfterRotation) {
        // Atomic: of two concurrent refreshes of one token, only one rotates.
        if (!(await refresh.blacklist())) throw new TokenError(TOKEN_BLACKLISTED);
      }
      const rotated = new RefreshToken(ctx, { ...refresh.payload });
      rotated.setJti();
      rotated.setExp();
      rotated.setIat();
      return { access, refresh: await rotated.outstand() };
    },

    async verify(raw) {
      const token = await jwt.untypedToken(raw);
      if (await store.isBlacklisted(token.jti)) throw new BlacklistedTokenError();
    },

    async blacklist(raw) {
      const refresh = await jwt.refreshToken(raw);
      await refresh.blacklist();
    },

    logoutEverywhere: (user) => store.blacklistAllForUser(user.pk),
    flushExpiredTokens: (now) => store.flushExpired(now),

    async authenticateToken(raw) {
      let access: AccessToken;
      try {
        access = await jwt.accessToken(raw);
      } catch (e) {
        if (!(e instanceof TokenError)) throw e;
        throw new JwtAuthenticationError({
          detail: "Given token not valid for any token type",
          code: "token_not_valid",
          messages: [{ token_class: "AccessToken", token_type: "access", message: e.message }],
        });
      }
      const id = access.userId;
      if (typeof id !== "number" && typeof id !== "string")
        throw new JwtAuthenticationError({
          detail: "Token contained no recognizable user identification",
          code: "token_not_valid",
        });
      const user = await users.getById(id);
      if (!user) throw new JwtAuthenticationError({ detail: "User not found", code: "user_not_found" });
      if (!user.is_active)
        throw new JwtAuthenticationError({ detail: "User is inactive", code: "user_inactive" });
      if (revoked(access, user))
        throw new JwtAuthenticationError({
          detail: "The user's password has been changed.",
          code: "password_changed",
        });
      return [user, access];
    },
  };
  return jwt;
}
