// OWASP API2:2023 Broken Authentication, end to end against the shop-api: forged,
// tampered, expired and misused JWTs, token-auth attacks and malformed headers
// are all 401 (never an anonymous pass, never a 500), and login failures do not
// tell an unknown user from a wrong password.
import type { TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User } from "../../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop } from "../setup.js";
import { accessClaims, claimsOf, jwtPair, meWith, signHs256, TEST_SECRET } from "./helpers.js";

let t: TestShop;
let pair: { access: string; refresh: string };
const CUSTOMER_ID = 16;

beforeAll(async () => {
  t = await createTestShop();
  pair = await jwtPair(t, "margaret16", PASSWORD);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function expectTokenRejected(res: TestResponse): void {
  expect(res.status, res.text).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  expect((res.data as { code: string }).code).toBe("token_not_valid");
  expect(res.text).not.toContain("margaret16");
}

describe("API2: JWT attacks on an authenticated endpoint", () => {
  it("a genuine access token works (the baseline of every attack below)", async () => {
    const res = await meWith(t, `Bearer ${pair.access}`);
    expect(res.status).toBe(200);
    expect((res.data as { username: string }).username).toBe("margaret16");
    expect(claimsOf(pair.access)).toMatchObject({ token_type: "access", user_id: CUSTOMER_ID });
  });

  it('alg "none" (unsigned, empty or kept signature) is refused', async () => {
    const claims = accessClaims(CUSTOMER_ID);
    for (const alg of ["none", "None", "NONE"]) {
      const unsigned = `${b64({ alg, typ: "JWT" })}.${b64(claims)}`;
      expectTokenRejected(await meWith(t, `Bearer ${unsigned}.`));
      const kept = `${unsigned}.${pair.access.split(".")[2]}`;
      expectTokenRejected(await meWith(t, `Bearer ${kept}`));
    }
  });

  it("another algorithm, a bad signature or another key is refused", async () => {
    const claims = accessClaims(CUSTOMER_ID);
    expectTokenRejected(
      await meWith(t, `Bearer ${signHs256(claims, "not-the-secret-key-of-this-server!!")}`),
    );
    expectTokenRejected(
      await meWith(t, `Bearer ${signHs256(claims, TEST_SECRET, { alg: "HS512", typ: "JWT" })}`),
    );
    expectTokenRejected(
      await meWith(t, `Bearer ${signHs256(claims, TEST_SECRET, { alg: "RS256", typ: "JWT" })}`),
    );
    const [h, p, s = ""] = pair.access.split(".");
    const flipped = `${s.slice(0, -2)}${s.at(-2) === "A" ? "B" : "A"}${s.at(-1)}`;
    expectTokenRejected(await meWith(t, `Bearer ${h}.${p}.${flipped}`));
    expectTokenRejected(await meWith(t, `Bearer ${h}.${p}.`));
  });

  it("a tampered payload (user_id, is_staff) under the original signature is refused", async () => {
    const [h, , s] = pair.access.split(".");
    const original = claimsOf(pair.access);
    for (const change of [{ user_id: 1 }, { is_staff: true }, { exp: (original.exp as number) + 86_400 }]) {
      expectTokenRejected(await meWith(t, `Bearer ${h}.${b64({ ...original, ...change })}.${s}`));
    }
  });

  it("an expired token is refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = signHs256(accessClaims(CUSTOMER_ID, { exp: now - 3600, iat: now - 7200 }));
    expectTokenRejected(await meWith(t, `Bearer ${expired}`));
  });

  it("a refresh token is not an access token, and an access token is not a refresh token", async () => {
    expectTokenRejected(await meWith(t, `Bearer ${pair.refresh}`));
    const refresh = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: pair.access });
    expect(refresh.status).toBe(401);
    expect((refresh.data as { code: string }).code).toBe("token_not_valid");
    const blacklist = await t.client().post("/api/v1/auth/jwt/blacklist/", { refresh: pair.access });
    expect(blacklist.status).toBe(401);
  });

  it("a token without token_type, user_id, exp or jti, or with a wrong token_type, is refused", async () => {
    const full = accessClaims(CUSTOMER_ID);
    for (const missing of ["token_type", "user_id", "exp", "jti"]) {
      const claims = { ...full };
      delete claims[missing];
      const res = await meWith(t, `Bearer ${signHs256(claims)}`);
      expect(res.status, `${missing}: ${res.text}`).toBe(401);
      expect((res.data as { code: string }).code, missing).toBe("token_not_valid");
    }
    for (const tokenType of ["refresh", "ACCESS", "", null, 1]) {
      expectTokenRejected(await meWith(t, `Bearer ${signHs256({ ...full, token_type: tokenType })}`));
    }
  });

  it("non-numeric or absurd exp and user_id values are a 401 or a clean answer, never a 500", async () => {
    for (const exp of ["tomorrow", null, { $gt: 0 }, [1], -1, 0, 1.5e308, "9999999999"]) {
      const res = await meWith(t, `Bearer ${signHs256(accessClaims(CUSTOMER_ID, { exp }))}`);
      expect(res.status, `exp ${JSON.stringify(exp)}: ${res.text}`).toBe(401);
    }
    // A far-future but numeric exp signed with the real key is a valid token, not a crash.
    const far = await meWith(t, `Bearer ${signHs256(accessClaims(CUSTOMER_ID, { exp: 32_503_680_000 }))}`);
    expect(far.status).toBe(200);
    for (const userId of ["abc", "16 OR 1=1", -1, 0, 1e30, 1.5, true, [16], { id: 16 }, "", null]) {
      const res = await meWith(t, `Bearer ${signHs256(accessClaims(userId))}`);
      expect(res.status, `user_id ${JSON.stringify(userId)}: ${res.text}`).toBe(401);
      expect(res.text).not.toContain("margaret16");
    }
  });

  it("an inactive user's and a deleted user's tokens are refused", async () => {
    const inactive = await meWith(t, `Bearer ${signHs256(accessClaims(3))}`);
    expect(inactive.status).toBe(401);
    expect(inactive.data).toMatchObject({ code: "user_inactive" });
    const deleted = await meWith(t, `Bearer ${signHs256(accessClaims(999_999))}`);
    expect(deleted.status).toBe(401);
    expect(deleted.data).toMatchObject({ code: "user_not_found" });
  });

  it("a user deactivated after login loses access and refresh at once", async () => {
    const victim = await jwtPair(t, "grace6", PASSWORD);
    expect((await meWith(t, `Bearer ${victim.access}`)).status).toBe(200);
    await User.objects.filter({ pk: 6 }).update({ is_active: false });
    try {
      expect((await meWith(t, `Bearer ${victim.access}`)).status).toBe(401);
      const refresh = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: victim.refresh });
      expect(refresh.status).toBe(401);
      expect(refresh.data).not.toHaveProperty("access");
    } finally {
      await User.objects.filter({ pk: 6 }).update({ is_active: true });
    }
  });

  it("a deleted user's JWT pair and token key are refused", async () => {
    const reg = await t.client().post("/api/v1/users/", {
      username: "ghost",
      email: "ghost@example.com",
      password: "ghost-password-1",
    });
    expect(reg.status).toBe(201);
    const ghost = await jwtPair(t, "ghost", "ghost-password-1");
    const login = await t
      .client()
      .post("/api/v1/auth/token/", { username: "ghost", password: "ghost-password-1" });
    const key = (login.data as { token: string }).token;
    expect((await meWith(t, `Token ${key}`)).status).toBe(200);
    await User.objects.filter({ username: "ghost" }).delete();
    const access = await meWith(t, `Bearer ${ghost.access}`);
    expect(access.status).toBe(401);
    expect(access.data).toMatchObject({ code: "user_not_found" });
    const refresh = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: ghost.refresh });
    expect(refresh.status).toBe(401);
    expect(refresh.data).not.toHaveProperty("access");
    const token = await meWith(t, `Token ${key}`);
    expect(token.status).toBe(401);
    expect(token.data).toEqual({ detail: "Invalid token." });
  });

  it("a deactivated user's token key is refused", async () => {
    const login = await t.client().post("/api/v1/auth/token/", { username: "radia12", password: PASSWORD });
    const key = (login.data as { token: string }).token;
    await User.objects.filter({ pk: 12 }).update({ is_active: false });
    try {
      const res = await meWith(t, `Token ${key}`);
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ detail: "User inactive or deleted." });
    } finally {
      await User.objects.filter({ pk: 12 }).update({ is_active: true });
    }
  });

  it("forged refresh tokens get no access token from refresh, and verify refuses them", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...accessClaims(1), token_type: "refresh", exp: now + 86_400 };
    const [h, , s] = pair.refresh.split(".");
    const forged = [
      `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
      signHs256(claims, "not-the-secret-key-of-this-server!!"),
      `${h}.${b64({ ...claimsOf(pair.refresh), user_id: 1 })}.${s}`,
    ];
    for (const token of forged) {
      const refresh = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: token });
      expect(refresh.status, refresh.text).toBe(401);
      expect(refresh.data).toMatchObject({ code: "token_not_valid" });
      expect(refresh.data).not.toHaveProperty("access");
      const verify = await t.client().post("/api/v1/auth/jwt/verify/", { token });
      expect(verify.status).toBe(401);
      expect(verify.data).toEqual({ detail: "Token is invalid or expired", code: "token_not_valid" });
    }
  });

  it("a rotated-out or blacklisted refresh token cannot be reused", async () => {
    const mine = await jwtPair(t, "ada13", PASSWORD);
    const first = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: mine.refresh });
    expect(first.status).toBe(200);
    const again = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: mine.refresh });
    expect(again.status).toBe(401);
    expect(again.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });

    const rotated = (first.data as { refresh: string }).refresh;
    expect((await t.client().post("/api/v1/auth/jwt/blacklist/", { refresh: rotated })).status).toBe(200);
    const afterLogout = await t.client().post("/api/v1/auth/jwt/refresh/", { refresh: rotated });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
  });
});

describe("API2: token authentication and headers", () => {
  it("an unknown, empty-ish or injected token key is 401 Invalid token.", async () => {
    for (const key of [
      "0000000000000000000000000000000000000000",
      "x",
      "'OR'1'='1",
      "%00",
      "a".repeat(5000),
    ]) {
      const res = await meWith(t, `Token ${key}`);
      expect(res.status, key.slice(0, 20)).toBe(401);
      expect(res.data).toEqual({ detail: "Invalid token." });
    }
    const spaced = await meWith(t, "Token ' OR '1'='1");
    expect(spaced.status).toBe(401);
    expect(spaced.data).toEqual({ detail: "Invalid token header. Token string should not contain spaces." });
  });

  it("malformed Authorization headers are 401 for a known scheme, anonymous for an unknown one", async () => {
    for (const header of ["Bearer", "Token", "Bearer a b", "Token a b", "Bearer   ", "Bearer \t x"]) {
      const res = await meWith(t, header);
      expect(res.status, JSON.stringify(header)).toBe(401);
      expect(res.data).toHaveProperty("detail");
      expect(res.text).not.toContain("margaret16");
    }
    for (const header of ["Basicx abc", "Digest abc", `bearerx ${pair.access}`, pair.access]) {
      const res = await meWith(t, header);
      expect(res.status, header.slice(0, 20)).toBe(401);
      expect(res.data).toEqual({ detail: "Authentication credentials were not provided." });
    }
  });
});

describe("API2: login does not enumerate users", () => {
  it("JWT login: wrong password and unknown user answer identically", async () => {
    const wrong = await t
      .client()
      .post("/api/v1/auth/jwt/", { username: "margaret16", password: "wrong-pass-123" });
    const unknown = await t
      .client()
      .post("/api/v1/auth/jwt/", { username: "nobody-here", password: "wrong-pass-123" });
    const inactive = await t.client().post("/api/v1/auth/jwt/", { username: "inactive", password: PASSWORD });
    for (const res of [wrong, unknown, inactive]) {
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ detail: "No active account found with the given credentials" });
    }
  });

  it("token login: wrong password and unknown user answer identically", async () => {
    const wrong = await t
      .client()
      .post("/api/v1/auth/token/", { username: "margaret16", password: "wrong-pass-123" });
    const unknown = await t
      .client()
      .post("/api/v1/auth/token/", { username: "nobody-here", password: "wrong-pass-123" });
    const inactive = await t
      .client()
      .post("/api/v1/auth/token/", { username: "inactive", password: PASSWORD });
    for (const res of [wrong, unknown, inactive]) {
      expect(res.status).toBe(400);
      expect(res.data).toEqual({ non_field_errors: ["Unable to log in with provided credentials."] });
    }
  });

  it("a NUL or a lone surrogate in a login field is a 400 naming the field, on both login endpoints", async () => {
    for (const path of ["/api/v1/auth/jwt/", "/api/v1/auth/token/"]) {
      for (const [body, error] of [
        [
          { username: "margaret16\u0000", password: PASSWORD },
          { username: ["Null characters are not allowed."] },
        ],
        [{ username: "\u0000", password: "x" }, { username: ["Null characters are not allowed."] }],
        [
          { username: "margaret16", password: `${PASSWORD}\u0000` },
          { password: ["Null characters are not allowed."] },
        ],
        [
          { username: "margaret16\ud800", password: PASSWORD },
          { username: ["Surrogate characters are not allowed: U+D800."] },
        ],
        [
          { username: "margaret16", password: "\udc00" },
          { password: ["Surrogate characters are not allowed: U+DC00."] },
        ],
      ] as const) {
        const res = await t.client().post(path, body);
        expect(res.status, `${path} ${JSON.stringify(body)}: ${res.text}`).toBe(400);
        expect(res.data).toEqual(error);
      }
    }
  });

  it("an unknown user costs a password hash too (no timing oracle by an order of magnitude)", async () => {
    const time = async (username: string) => {
      const started = performance.now();
      await t.client().post("/api/v1/auth/jwt/", { username, password: "wrong-pass-123" });
      return performance.now() - started;
    };
    await time("margaret16");
    await time("nobody-here");
    const median = async (username: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push(await time(username));
      return runs.sort((a, b) => a - b)[2] ?? 0;
    };
    const known = await median("margaret16");
    const unknown = await median("nobody-here");
    // A real hash takes milliseconds; skipping it for unknown users would make that path ~100x faster.
    expect(unknown).toBeGreaterThan(known / 5);
  }, 60_000);
});
