import type { AuthUser } from "../users/user-source.js";
import type { Token } from "./tokens.js";

export type JwtAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "RS384"
  | "RS512"
  | "ES256"
  | "ES384"
  | "ES512";

/** simplejwt's SIMPLE_JWT settings, camelCased; durations in seconds. */
export interface JwtSettingsInput<U extends AuthUser = AuthUser> {
  /** HS256/384/512: the shared secret (SECRET_KEY); RS and ES algorithms: the private key, PKCS#8 PEM. */
  signingKey: string;
  /** RS and ES algorithms: the public key, SPKI PEM (required for them). */
  verifyingKey?: string;
  algorithm?: JwtAlgorithm;
  accessTokenLifetime?: number;
  refreshTokenLifetime?: number;
  rotateRefreshTokens?: boolean;
  blacklistAfterRotation?: boolean;
  updateLastLogin?: boolean;
  /** simplejwt's CHECK_REVOKE_TOKEN: tokens carry a digest of the password hash and die when the password changes. */
  checkRevokeToken?: boolean;
  revokeTokenClaim?: string;
  audience?: string;
  issuer?: string;
  /** Seconds of clock skew accepted on exp/nbf. */
  leeway?: number;
  authHeaderTypes?: readonly string[];
  /** WWW-Authenticate realm. */
  realm?: string;
  userIdClaim?: string;
  /** Custom claims: simplejwt's `TokenObtainPairSerializer.get_token` override. */
  getToken?: (user: U, token: Token) => void;
  /** Put the refresh token in an httpOnly cookie instead of the response body. */
  refreshCookie?: RefreshCookieSettings;
}

export interface RefreshCookieSettings {
  name?: string;
  path?: string;
  domain?: string;
  secure?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

export interface JwtSettings<U extends AuthUser = AuthUser> {
  signingKey: string;
  verifyingKey: string | undefined;
  algorithm: JwtAlgorithm;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  rotateRefreshTokens: boolean;
  blacklistAfterRotation: boolean;
  updateLastLogin: boolean;
  checkRevokeToken: boolean;
  revokeTokenClaim: string;
  audience: string | undefined;
  issuer: string | undefined;
  leeway: number;
  authHeaderTypes: readonly string[];
  realm: string;
  userIdClaim: string;
  getToken: ((user: U, token: Token) => void) | undefined;
  refreshCookie:
    | (Required<Omit<RefreshCookieSettings, "domain">> & { domain: string | undefined })
    | undefined;
}

function positiveSeconds(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0)
    throw new Error(`SIMPLE_JWT ${name} must be a positive number of seconds`);
  return v;
}

/** Fills simplejwt's defaults and refuses settings that would make tokens unsafe. */
export function resolveJwtSettings<U extends AuthUser>(input: JwtSettingsInput<U>): JwtSettings<U> {
  const algorithm = input.algorithm ?? "HS256";
  if (typeof input.signingKey !== "string" || input.signingKey === "")
    throw new Error("SIMPLE_JWT signingKey is required");
  if (!algorithm.startsWith("HS") && !input.verifyingKey)
    throw new Error(`SIMPLE_JWT verifyingKey is required for ${algorithm}`);
  const headerTypes = input.authHeaderTypes ?? ["Bearer"];
  if (headerTypes.length === 0) throw new Error("SIMPLE_JWT authHeaderTypes needs at least one type");
  const cookie = input.refreshCookie;
  return {
    signingKey: input.signingKey,
    verifyingKey: input.verifyingKey,
    algorithm,
    accessTokenLifetime: positiveSeconds("accessTokenLifetime", input.accessTokenLifetime, 60 * 60),
    refreshTokenLifetime: positiveSeconds("refreshTokenLifetime", input.refreshTokenLifetime, 24 * 60 * 60),
    rotateRefreshTokens: input.rotateRefreshTokens ?? false,
    blacklistAfterRotation: input.blacklistAfterRotation ?? false,
    updateLastLogin: input.updateLastLogin ?? false,
    checkRevokeToken: input.checkRevokeToken ?? false,
    revokeTokenClaim: input.revokeTokenClaim ?? "hash_password",
    audience: input.audience,
    issuer: input.issuer,
    leeway: input.leeway ?? 0,
    authHeaderTypes: headerTypes,
    realm: input.realm ?? "api",
    userIdClaim: input.userIdClaim ?? "user_id",
    getToken: input.getToken,
    refreshCookie: cookie
      ? {
          name: cookie.name ?? "refresh",
          path: cookie.path ?? "/",
          domain: cookie.domain,
          secure: cookie.secure ?? true,
          sameSite: cookie.sameSite ?? "Strict",
        }
      : undefined,
  };
}
