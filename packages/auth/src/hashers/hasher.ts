/** One password hashing algorithm, Django's BasePasswordHasher. */
export interface PasswordHasher {
  /** The prefix of encoded strings, e.g. "scrypt", "pbkdf2_sha256". */
  readonly algorithm: string;
  encode(password: string, salt: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
  /** True when `encoded` was made with weaker parameters than this hasher uses now. */
  mustUpdate(encoded: string): boolean;
  /** The parts of `encoded`, with the secret ones masked (Django's safe_summary). */
  safeSummary(encoded: string): Record<string, string>;
}

export function mask(value: string, show = 6): string {
  return value.slice(0, show) + "*".repeat(Math.max(0, value.length - show));
}
