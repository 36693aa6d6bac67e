import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import { constantTimeEquals } from "../crypto/constant-time.js";
import { mask, type PasswordHasher } from "./hasher.js";

const pbkdf2Async = promisify(pbkdf2);

export interface Pbkdf2Options {
  iterations?: number;
  digest?: "sha256" | "sha1";
}

/**
 * Django's PBKDF2PasswordHasher (`pbkdf2_sha256$iterations$salt$base64(hash)`).
 * Kept so that hashes made by Django verify as they are.
 */
export function pbkdf2Hasher(options: Pbkdf2Options = {}): PasswordHasher {
  const iterations = options.iterations ?? 1_000_000;
  const digest = options.digest ?? "sha256";
  const algorithm = `pbkdf2_${digest}`;
  const keyLength = digest === "sha256" ? 32 : 20;

  async function hash(password: string, salt: string, iter: number): Promise<string> {
    const key = await pbkdf2Async(password, salt, iter, keyLength, digest);
    return key.toString("base64");
  }

  function decode(encoded: string): { iterations: number; salt: string; hash: string } | null {
    const parts = encoded.split("$");
    if (parts.length !== 4 || parts[0] !== algorithm) return null;
    const iter = Number(parts[1]);
    if (!Number.isSafeInteger(iter) || iter < 1 || iter > 100_000_000) return null;
    return { iterations: iter, salt: parts[2]!, hash: parts[3]! };
  }

  return {
    algorithm,
    async encode(password, salt) {
      if (salt.includes("$")) throw new Error("salt must not contain '$'");
      return `${algorithm}$${iterations}$${salt}$${await hash(password, salt, iterations)}`;
    },
    async verify(password, encoded) {
      const d = decode(encoded);
      if (d === null) return false;
      return constantTimeEquals(await hash(password, d.salt, d.iterations), d.hash);
    },
    mustUpdate(encoded) {
      const d = decode(encoded);
      return d === null || d.iterations !== iterations;
    },
    safeSummary(encoded) {
      const d = decode(encoded);
      return {
        algorithm,
        iterations: String(d?.iterations ?? ""),
        salt: mask(d?.salt ?? ""),
        hash: mask(d?.hash ?? ""),
      };
    },
  };
}
