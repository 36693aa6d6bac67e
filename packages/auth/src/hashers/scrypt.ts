import { type ScryptOptions, scrypt } from "node:crypto";
import { constantTimeEquals } from "../crypto/constant-time.js";
import { mask, type PasswordHasher } from "./hasher.js";

function scryptAsync(password: string, salt: string, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface ScryptHasherOptions {
  /** CPU/memory cost N (a power of two). Django's default: 2**14. */
  workFactor?: number;
  blockSize?: number;
  parallelism?: number;
}

/**
 * Django's ScryptPasswordHasher, same encoding: `scrypt$salt$N$r$p$base64(hash)`
 * (64-byte key), so hashes move between the two frameworks.
 */
export function scryptHasher(options: ScryptHasherOptions = {}): PasswordHasher {
  const n = options.workFactor ?? 2 ** 14;
  const r = options.blockSize ?? 8;
  const p = options.parallelism ?? 1;
  const keyLength = 64;

  function decode(encoded: string) {
    const parts = encoded.split("$");
    if (parts.length !== 6 || parts[0] !== "scrypt") return null;
    const [nn, rr, pp] = [Number(parts[2]), Number(parts[3]), Number(parts[4])];
    // Refuse absurd parameters instead of letting a stored string exhaust memory.
    if (![nn, rr, pp].every((v) => Number.isSafeInteger(v) && v > 0) || nn > 2 ** 20 || rr > 64 || pp > 16)
      return null;
    return { salt: parts[1]!, n: nn, r: rr, p: pp, hash: parts[5]! };
  }

  async function hash(password: string, salt: string, nn: number, rr: number, pp: number) {
    const key = await scryptAsync(password, salt, keyLength, {
      N: nn,
      r: rr,
      p: pp,
      maxmem: 256 * nn * rr * pp,
    });
    return key.toString("base64");
  }

  return {
    algorithm: "scrypt",
    async encode(password, salt) {
      if (salt.includes("$")) throw new Error("salt must not contain '$'");
      return `scrypt$${salt}$${n}$${r}$${p}$${await hash(password, salt, n, r, p)}`;
    },
    async verify(password, encoded) {
      const d = decode(encoded);
      if (d === null) return false;
      return constantTimeEquals(await hash(password, d.salt, d.n, d.r, d.p), d.hash);
    },
    mustUpdate(encoded) {
      const d = decode(encoded);
      return d === null || d.n !== n || d.r !== r || d.p !== p;
    },
    safeSummary(encoded) {
      const d = decode(encoded);
      return {
        algorithm: "scrypt",
        "work factor": String(d?.n ?? ""),
        "block size": String(d?.r ?? ""),
        parallelism: String(d?.p ?? ""),
        salt: mask(d?.salt ?? ""),
        hash: mask(d?.hash ?? ""),
      };
    },
  };
}
