import { constantTimeEquals } from "../crypto/constant-time.js";
import { saltedHmac } from "../crypto/salted-hmac.js";

/** The user fields a reset token depends on: changing any of them voids it. */
export interface ResettableUser {
  readonly pk: unknown;
  readonly password?: string;
  readonly last_login?: Date | null;
  readonly email?: string | null;
}

export interface PasswordResetTokenOptions {
  secretKey: string;
  /** Older secret keys still accepted (Django's SECRET_KEY_FALLBACKS). */
  secretKeyFallbacks?: readonly string[];
  /** Seconds a token lives (Django's PASSWORD_RESET_TIMEOUT: 3 days). */
  timeout?: number;
  /** For tests: the clock. */
  now?: () => Date;
}

const KEY_SALT = "django.contrib.auth.tokens.PasswordResetTokenGenerator";
const EPOCH_2001 = Date.UTC(2001, 0, 1);

/** Python's str() of a naive datetime without microseconds: "2026-01-01 00:01:00". */
function pyDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Django's PasswordResetTokenGenerator: `<timestamp base36>-<hmac>`. Single-use
 * because the hash covers the password and last login (a reset changes the
 * first, logging in the second), expiring after `timeout`, no database row.
 */
export class PasswordResetTokenGenerator {
  private readonly options: Required<Omit<PasswordResetTokenOptions, "now">> & { now: () => Date };

  constructor(options: PasswordResetTokenOptions) {
    this.options = {
      secretKey: options.secretKey,
      secretKeyFallbacks: options.secretKeyFallbacks ?? [],
      timeout: options.timeout ?? 259_200,
      now: options.now ?? (() => new Date()),
    };
  }

  private seconds(): number {
    return Math.floor((this.options.now().getTime() - EPOCH_2001) / 1000);
  }

  private hashValue(user: ResettableUser, timestamp: number): string {
    const login = user.last_login ? pyDatetime(user.last_login) : "";
    return `${String(user.pk)}${user.password ?? ""}${login}${timestamp}${user.email ?? ""}`;
  }

  private tokenAt(user: ResettableUser, timestamp: number, secret: string): string {
    const hash = saltedHmac(KEY_SALT, this.hashValue(user, timestamp), secret, "sha256");
    let every2nd = "";
    for (let i = 0; i < hash.length; i += 2) every2nd += hash[i];
    return `${timestamp.toString(36)}-${every2nd}`;
  }

  makeToken(user: ResettableUser): string {
    return this.tokenAt(user, this.seconds(), this.options.secretKey);
  }

  checkToken(user: ResettableUser | null | undefined, token: string | null | undefined): boolean {
    if (!user || !token) return false;
    const parts = token.split("-");
    if (parts.length !== 2) return false;
    const tsB36 = parts[0]!;
    if (!/^[0-9a-z]{1,13}$/.test(tsB36)) return false;
    const ts = Number.parseInt(tsB36, 36);
    if (!Number.isSafeInteger(ts)) return false;
    const secrets = [this.options.secretKey, ...this.options.secretKeyFallbacks];
    if (!secrets.some((secret) => constantTimeEquals(this.tokenAt(user, ts, secret), token))) return false;
    return this.seconds() - ts <= this.options.timeout;
  }
}

/** Django's urlsafe_base64_encode(force_bytes(pk)): the `uidb64` of reset links. */
export function uidb64(pk: unknown): string {
  return Buffer.from(String(pk)).toString("base64url");
}

export function decodeUidb64(value: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) return null;
  return Buffer.from(value, "base64url").toString("utf8");
}
