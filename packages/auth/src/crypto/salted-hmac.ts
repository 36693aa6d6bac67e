import { createHash, createHmac } from "node:crypto";

/** Django's salted_hmac: HMAC keyed by hash(keySalt + secret), so each use gets its own key. */
export function saltedHmac(
  keySalt: string,
  value: string,
  secret: string,
  algorithm: "sha1" | "sha256" = "sha256",
): string {
  const key = createHash(algorithm)
    .update(keySalt + secret)
    .digest();
  return createHmac(algorithm, key).update(value).digest("hex");
}
