import { getRandomString } from "../crypto/random.js";
import type { PasswordHasher } from "./hasher.js";
import { pbkdf2Hasher } from "./pbkdf2.js";
import { scryptHasher } from "./scrypt.js";

/** Django's UNUSABLE_PASSWORD_PREFIX: such a password never verifies. */
export const UNUSABLE_PASSWORD_PREFIX = "!";
const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;

/** PASSWORD_HASHERS: the first one hashes new passwords, all of them verify. */
let hashers: readonly PasswordHasher[] = [scryptHasher(), pbkdf2Hasher(), pbkdf2Hasher({ digest: "sha1" })];

export function setPasswordHashers(list: readonly PasswordHasher[]): void {
  if (list.length === 0) throw new Error("at least one password hasher is needed");
  hashers = list;
}

export function getPasswordHashers(): readonly PasswordHasher[] {
  return hashers;
}

function preferred(): PasswordHasher {
  return hashers[0]!;
}

export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return encoded != null && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

/** The hasher that made `encoded`; throws when none of the configured ones did. */
export function identifyHasher(encoded: string): PasswordHasher {
  const algorithm = encoded.split("$", 1)[0];
  const hasher = hashers.find((h) => h.algorithm === algorithm);
  if (!hasher) throw new Error(`Unknown password hashing algorithm '${algorithm}'.`);
  return hasher;
}

/** Django's make_password; `null` gives an unusable password. */
export async function makePassword(password: string | null, salt?: string): Promise<string> {
  if (password === null) return UNUSABLE_PASSWORD_PREFIX + getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
  return preferred().encode(password, salt ?? getRandomString(22));
}

/** True when `encoded` should be re-hashed with the preferred hasher (Django's must_update). */
export function needsRehash(encoded: string): boolean {
  if (!isPasswordUsable(encoded)) return false;
  let hasher: PasswordHasher;
  try {
    hasher = identifyHasher(encoded);
  } catch {
    return false;
  }
  return hasher.algorithm !== preferred().algorithm || hasher.mustUpdate(encoded);
}

export interface CheckPasswordOptions {
  /** Called with the raw password after a successful check of an outdated hash. */
  setter?: (password: string) => Promise<void> | void;
}

/**
 * Django's check_password. An unusable or unknown hash still costs one run of
 * the preferred hasher, so the answer time does not tell them apart.
 */
export async function checkPassword(
  password: string | null | undefined,
  encoded: string | null | undefined,
  options: CheckPasswordOptions = {},
): Promise<boolean> {
  if (password == null || !isPasswordUsable(encoded)) {
    await preferred().encode(password ?? "", "timing");
    return false;
  }
  let hasher: PasswordHasher;
  try {
    hasher = identifyHasher(encoded!);
  } catch {
    await preferred().encode(password, "timing");
    return false;
  }
  const ok = await hasher.verify(password, encoded!);
  if (ok && options.setter && needsRehash(encoded!)) await options.setter(password);
  return ok;
}
