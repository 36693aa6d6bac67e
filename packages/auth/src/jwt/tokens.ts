import { newJti, type Payload, type TokenBackend } from "./backend.js";
import type { TokenStore } from "./store.js";
import { TOKEN_BLACKLISTED, TokenError } from "./token-error.js";

export type TokenType = "access" | "refresh";

/** Latest `exp` accepted: 9999-12-31T23:59:59Z (what a Django datetime can hold). */
const MAX_EXP = 253_402_300_799;

export interface TokenContext {
  backend: TokenBackend;
  store: TokenStore;
  lifetimes: Record<TokenType, number>;
  userIdClaim: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** simplejwt's Token: a payload with a type, an expiry, an id; `encode()` signs it. */
export class Token {
  readonly tokenType: TokenType | null;
  readonly payload: Payload;
  /** The signed string this token was decoded from (null for a new token). */
  readonly raw: string | null;
  protected readonly ctx: TokenContext;

  constructor(ctx: TokenContext, tokenType: TokenType | null, payload?: Payload, raw?: string) {
    this.ctx = ctx;
    this.tokenType = tokenType;
    this.raw = raw ?? null;
    if (payload) {
      this.payload = payload;
    } else {
      this.payload = { token_type: tokenType };
      const now = nowSeconds();
      this.setExp(now);
      this.payload.iat = now;
      this.setJti();
    }
  }

  get(claim: string): unknown {
    return this.payload[claim];
  }

  set(claim: string, value: unknown): void {
    this.payload[claim] = value;
  }

  get jti(): string {
    return String(this.payload.jti);
  }

  get exp(): number {
    return Number(this.payload.exp);
  }

  get userId(): unknown {
    return this.payload[this.ctx.userIdClaim];
  }

  setJti(): void {
    this.payload.jti = newJti();
  }

  setExp(fromTime: number = nowSeconds(), lifetime?: number): void {
    const seconds = lifetime ?? (this.tokenType ? this.ctx.lifetimes[this.tokenType] : 0);
    this.payload.exp = fromTime + seconds;
  }

  setIat(at: number = nowSeconds()): void {
    this.payload.iat = at;
  }

  encode(): Promise<string> {
    return this.ctx.backend.encode(this.payload);
  }

  /** simplejwt's Token.verify, after the signature and exp/nbf/aud/iss were checked by the backend. */
  async verify(): Promise<void> {
    const exp = this.payload.exp;
    if (exp === undefined) throw new TokenError("Token has no 'exp' claim");
    // The backend refused non-numeric values; an absurd one (1e300) is refused here, not overflowed later.
    if (typeof exp !== "number" || !Number.isFinite(exp) || exp > MAX_EXP)
      throw new TokenError("Token is invalid or expired");
    if (this.payload.jti === undefined || this.payload.jti === null) throw new TokenError("Token has no id");
    if (this.tokenType !== null) {
      const type = this.payload.token_type;
      if (type === undefined) throw new TokenError("Token has no type");
      if (type !== this.tokenType) throw new TokenError("Token has wrong type");
    }
  }

  /** Outstanding-token fields of this token (simplejwt's OutstandingToken row). */
  record(token: string): { jti: string; userId: unknown; token: string; createdAt: Date; expiresAt: Date } {
    const iat = typeof this.payload.iat === "number" ? this.payload.iat : nowSeconds();
    return {
      jti: this.jti,
      userId: this.userId ?? null,
      token,
      createdAt: new Date(iat * 1000),
      expiresAt: new Date(this.exp * 1000),
    };
  }
}

export class AccessToken extends Token {
  constructor(ctx: TokenContext, payload?: Payload, raw?: string) {
    super(ctx, "access", payload, raw);
  }
}

const NO_COPY_CLAIMS = new Set(["token_type", "exp", "iat", "jti"]);

export class RefreshToken extends Token {
  constructor(ctx: TokenContext, payload?: Payload, raw?: string) {
    super(ctx, "refresh", payload, raw);
  }

  /** A new access token carrying this refresh token's claims (custom ones included). */
  accessToken(): AccessToken {
    const access = new AccessToken(this.ctx);
    for (const [claim, value] of Object.entries(this.payload)) {
      if (!NO_COPY_CLAIMS.has(claim)) access.set(claim, value);
    }
    return access;
  }

  override async verify(): Promise<void> {
    await super.verify();
    if (await this.ctx.store.isBlacklisted(this.jti)) throw new TokenError(TOKEN_BLACKLISTED);
  }

  /** Records this (new) token as outstanding and returns its signed string. */
  async outstand(): Promise<string> {
    const token = await this.encode();
    await this.ctx.store.outstand(this.record(token));
    return token;
  }

  /**
   * Blacklists this token. Resolves false when it already was: two concurrent
   * refreshes of one token cannot both succeed.
   */
  blacklist(): Promise<boolean> {
    return this.ctx.store.blacklist(this.record(this.raw ?? ""));
  }
}

/** simplejwt's UntypedToken: any of our tokens (for the verify endpoint). */
export class UntypedToken extends Token {
  constructor(ctx: TokenContext, payload: Payload, raw: string) {
    super(ctx, null, payload, raw);
  }
}
