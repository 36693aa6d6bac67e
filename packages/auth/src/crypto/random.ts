import { randomBytes, randomInt } from "node:crypto";

const ALLOWED_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Django's get_random_string: uniformly drawn from a CSPRNG. */
export function getRandomString(length: number, allowedChars: string = ALLOWED_CHARS): string {
  let out = "";
  for (let i = 0; i < length; i++) out += allowedChars[randomInt(allowedChars.length)];
  return out;
}

/** `bytes` random bytes as lowercase hex (authtoken keys: 20 bytes → 40 hex). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
