import { randomUUID } from "node:crypto";
import { type CryptoKey, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { JwtSettings } from "./settings.js";
import { TOKEN_INVALID, TokenError } from "./token-error.js";

export type Payload = Record<string, unknown>;

/** simplejwt's TokenBackend on jose: signs and verifies with one algorithm only. */
export interface TokenBackend {
  encode(payload: Payload): Promise<string>;
  /** Verified payload; throws TokenError("Token is invalid or expired") for anything wrong. */
  decode(token: string): Promise<Payload>;
}

type Key = CryptoKey | Uint8Array;

export function tokenBackend(settings: JwtSettings<never>): TokenBackend {
  const { algorithm } = settings;
  // Keys are imported once, at startup, not per request.
  let keys: Promise<{ sign: Key; verify: Key }> | null = null;
  function loadKeys() {
    keys ??= (async () => {
      if (algorithm.startsWith("HS")) {
        // A CryptoKey, not the raw bytes: given bytes, jose imports a WebCrypto key on every
        // sign and verify (about as costly as the rest of a request that carries a token).
        const secret = await crypto.subtle.importKey(
          "raw",
          new TextEncoder().encode(settings.signingKey),
          { name: "HMAC", hash: `SHA-${algorithm.slice(2)}` },
          false,
          ["sign", "verify"],
        );
        return { sign: secret, verify: secret };
      }
      return {
        sign: await importPKCS8(settings.signingKey, algorithm),
        verify: await importSPKI(settings.verifyingKey!, algorithm),
      };
    })();
    return keys;
  }

  return {
    async encode(payload) {
      const claims: Payload = { ...payload };
      if (settings.audience !== undefined) claims.aud = settings.audience;
      if (settings.issuer !== undefined) claims.iss = settings.issuer;
      return new SignJWT(claims as JWTPayload)
        .setProtectedHeader({ alg: algorithm, typ: "JWT" })
        .sign((await loadKeys()).sign);
    },
    async decode(token) {
      const { verify } = await loadKeys();
      try {
        // `algorithms` pins the one configured algorithm: "none" and HS256-signed
        // tokens under an RS256 setup (algorithm confusion) are refused here.
        const { payload } = await jwtVerify(token, verify, {
          algorithms: [algorithm],
          clockTolerance: settings.leeway,
          ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
          ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
        });
        return payload as Payload;
      } catch {
        throw new TokenError(TOKEN_INVALID);
      }
    },
  };
}

export function newJti(): string {
  return randomUUID().replaceAll("-", "");
}
