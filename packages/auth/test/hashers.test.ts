import { describe, expect, it, vi } from "vitest";
import {
  checkPassword,
  constantTimeEquals,
  identifyHasher,
  isPasswordUsable,
  makePassword,
  needsRehash,
  pbkdf2Hasher,
  scryptHasher,
} from "../src/index.js";

// A fixture user's hash, as Django wrote it.
const DJANGO_HASH = "pbkdf2_sha256$20000$fixturesalt1$z3VbaHVeLXtYnKfEiSJzokdnK/5dftj8BgJlbnEfmkA=";

describe("password hashing", () => {
  it("verifies Django's pbkdf2_sha256 hashes as they are", async () => {
    expect(await checkPassword("shop-pass-123", DJANGO_HASH)).toBe(true);
    expect(await checkPassword("shop-pass-124", DJANGO_HASH)).toBe(false);
    expect(identifyHasher(DJANGO_HASH).algorithm).toBe("pbkdf2_sha256");
  });

  it("hashes new passwords with scrypt in Django's encoding", async () => {
    const encoded = await makePassword("s3cret");
    const parts = encoded.split("$");
    expect(parts[0]).toBe("scrypt");
    expect(parts.slice(2, 5)).toEqual(["16384", "8", "1"]);
    expect(Buffer.from(parts[5]!, "base64")).toHaveLength(64);
    expect(await checkPassword("s3cret", encoded)).toBe(true);
    expect(await checkPassword("s3cret ", encoded)).toBe(false);
    // A fresh salt each time.
    expect(await makePassword("s3cret")).not.toBe(encoded);
  });

  it("matches Django's scrypt output for a known salt", async () => {
    // django.contrib.auth.hashers.ScryptPasswordHasher().encode("lètmein", "seasalt")
    const encoded = await scryptHasher().encode("lètmein", "seasalt");
    expect(encoded).toBe(
      "scrypt$seasalt$16384$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==",
    );
  });

  it("flags outdated hashes and re-hashes through the setter on a successful check", async () => {
    expect(needsRehash(DJANGO_HASH)).toBe(true);
    const setter = vi.fn();
    expect(await checkPassword("wrong", DJANGO_HASH, { setter })).toBe(false);
    expect(setter).not.toHaveBeenCalled();
    expect(await checkPassword("shop-pass-123", DJANGO_HASH, { setter })).toBe(true);
    expect(setter).toHaveBeenCalledWith("shop-pass-123");

    const current = await makePassword("x");
    expect(needsRehash(current)).toBe(false);
    const weaker = await scryptHasher({ workFactor: 2 ** 10 }).encode("x", "salt");
    expect(needsRehash(weaker)).toBe(true);
    expect(await checkPassword("x", weaker)).toBe(true);
  });

  it("never verifies unusable, unknown or malformed hashes", async () => {
    const unusable = await makePassword(null);
    expect(isPasswordUsable(unusable)).toBe(false);
    expect(await checkPassword("", unusable)).toBe(false);
    expect(await checkPassword("x", "md5$abc$def")).toBe(false);
    expect(await checkPassword("x", "pbkdf2_sha256$notanumber$salt$hash")).toBe(false);
    expect(await checkPassword("x", "scrypt$salt$99999999999$8$1$hash")).toBe(false);
    expect(await checkPassword(null, DJANGO_HASH)).toBe(false);
    expect(await checkPassword("x", null)).toBe(false);
    expect(() => identifyHasher("md5$abc$def")).toThrow("Unknown password hashing algorithm 'md5'.");
  });

  it("encodes pbkdf2 as Django does", async () => {
    const h = pbkdf2Hasher({ iterations: 20000 });
    expect(await h.encode("shop-pass-123", "fixturesalt1")).toBe(DJANGO_HASH);
    expect(h.mustUpdate(DJANGO_HASH)).toBe(false);
    expect(pbkdf2Hasher().mustUpdate(DJANGO_HASH)).toBe(true);
    expect(h.safeSummary(DJANGO_HASH).hash).toMatch(/^z3VbaH\*+$/);
  });

  it("compares secrets in constant time, whatever their lengths", () => {
    expect(constantTimeEquals("abc", "abc")).toBe(true);
    expect(constantTimeEquals("abc", "abd")).toBe(false);
    expect(constantTimeEquals("abc", "abcd")).toBe(false);
    expect(constantTimeEquals("", "")).toBe(true);
  });
});
