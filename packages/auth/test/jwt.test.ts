import { createHmac, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type AuthUser,
  BlacklistedTokenError,
  JwtAuthenticationError,
  memoryTokenStore,
  NoActiveAccount,
  simpleJwt,
  TokenError,
  tokenBackend,
  type UserSource,
} from "../src/index.js";

interface TestUser extends AuthUser {
  pk: number;
  username: string;
  email: string;
  is_staff: boolean;
  is_active: boolean;
  isAuthenticated: true;
}

function usersOf(list: TestUser[]): UserSource<TestUser> {
  return {
    async getById(id) {
      return list.find((u) => u.pk === Number(id)) ?? null;
    },
    async authenticate({ username, password }) {
      const u = list.find((x) => x.username === username);
      return u && password === "shop-pass-123" ? u : null;
    },
  };
}

const ann: TestUser = {
  pk: 4,
  username: "ann",
  email: "ann@example.com",
  is_staff: false,
  is_active: true,
  isAuthenticated: true,
};
const SECRET = "django-insecure-test-secret";

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
function hs256(header: object, payload: object, secret: string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: object = {}) => ({
  token_type: "access",
  exp: now() + 600,
  iat: now(),
  jti: "0123456789abcdef0123456789abcdef",
  user_id: 4,
  ...extra,
});

function setup(extra: Partial<Parameters<typeof simpleJwt<TestUser>>[0]> = {}, list: TestUser[] = [ann]) {
  return simpleJwt<TestUser>({
    signingKey: SECRET,
    users: usersOf(list),
    store: memoryTokenStore(),
    getToken: (user, token) => {
      token.set("username", user.username);
      token.set("email", user.email);
      token.set("is_staff", user.is_staff);
    },
    ...extra,
  });
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
}

async function tokenErrorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TokenError) return e.message;
    throw e;
  }
  throw new Error("expected a TokenError");
}

describe("simplejwt tokens", () => {
  it("obtains a pair with simplejwt's claims and the custom ones", async () => {
    const jwt = setup();
    const { access, refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const a = payloadOf(access);
    const r = payloadOf(refresh);
    expect(a).toMatchObject({
      token_type: "access",
      user_id: 4,
      username: "ann",
      email: "ann@example.com",
      is_staff: false,
    });
    expect(r).toMatchObject({ token_type: "refresh", user_id: 4, username: "ann" });
    expect(a.exp).toBe((a.iat as number) + 3600);
    expect(r.exp).toBe((r.iat as number) + 86400);
    expect(a.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(a.jti).not.toBe(r.jti);
    expect(JSON.parse(Buffer.from(access.split(".")[0]!, "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
    // HS256 with the secret key: verifiable by any simplejwt/PyJWT peer.
    const [h, p, s] = access.split(".");
    expect(createHmac("sha256", SECRET).update(`${h}.${p}`).digest("base64url")).toBe(s);
    const [user, token] = await jwt.authenticateToken(access);
    expect(user).toBe(ann);
    expect(token.get("username")).toBe("ann");
  });

  it("refuses wrong credentials and inactive users", async () => {
    const jwt = setup({}, [ann, { ...ann, pk: 5, username: "off", is_active: false }]);
    await expect(jwt.obtainPair({ username: "ann", password: "nope" })).rejects.toBeInstanceOf(
      NoActiveAccount,
    );
    await expect(jwt.obtainPair({ username: "off", password: "shop-pass-123" })).rejects.toThrow(
      "No active account found with the given credentials",
    );
  });

  it("refuses alg none", async () => {
    const jwt = setup();
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`;
    expect(await tokenErrorOf(jwt.accessToken(token))).toBe("Token is invalid or expired");
  });

  it("refuses HS256 tokens signed with the RS256 public key (algorithm confusion)", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pub = publicKey.export({ type: "spki", format: "pem" }).toString();
    const priv = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const jwt = setup({ algorithm: "RS256", signingKey: priv, verifyingKey: pub });
    const refresh = await jwt.forUser(ann);
    const good = await refresh.accessToken().encode();
    expect(JSON.parse(Buffer.from(good.split(".")[0]!, "base64url").toString()).alg).toBe("RS256");
    expect((await jwt.authenticateToken(good))[0]).toBe(ann);
    const forged = hs256({ alg: "HS256", typ: "JWT" }, claims(), pub);
    expect(await tokenErrorOf(jwt.accessToken(forged))).toBe("Token is invalid or expired");
  });

  it("signs with ES256 keys", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwt = setup({
      algorithm: "ES256",
      signingKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      verifyingKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    const { access } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    expect((await jwt.accessToken(access)).get("user_id")).toBe(4);
    expect(() => setup({ algorithm: "ES256" })).toThrow("verifyingKey is required for ES256");
  });

  it("refuses expired and not-yet-valid tokens, with leeway", async () => {
    const jwt = setup();
    expect(
      await tokenErrorOf(jwt.accessToken(hs256({ alg: "HS256" }, claims({ exp: now() - 5 }), SECRET))),
    ).toBe("Token is invalid or expired");
    expect(
      await tokenErrorOf(jwt.accessToken(hs256({ alg: "HS256" }, claims({ nbf: now() + 60 }), SECRET))),
    ).toBe("Token is invalid or expired");
    const lenient = setup({ leeway: 30 });
    await expect(
      lenient.accessToken(hs256({ alg: "HS256" }, claims({ exp: now() - 5 }), SECRET)),
    ).resolves.toBeTruthy();
  });

  it("refuses bad signatures and tampered payloads", async () => {
    const jwt = setup();
    expect(await tokenErrorOf(jwt.accessToken(hs256({ alg: "HS256" }, claims(), "another-secret")))).toBe(
      "Token is invalid or expired",
    );
    const { access } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const [h, , s] = access.split(".");
    const tampered = `${h}.${b64({ ...payloadOf(access), user_id: 1, is_staff: true })}.${s}`;
    expect(await tokenErrorOf(jwt.accessToken(tampered))).toBe("Token is invalid or expired");
    expect(await tokenErrorOf(jwt.accessToken("not.a.jwt"))).toBe("Token is invalid or expired");
    expect(await tokenErrorOf(jwt.accessToken(""))).toBe("Token is invalid or expired");
  });

  it("keeps access and refresh tokens apart", async () => {
    const jwt = setup();
    const { access, refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    expect(await tokenErrorOf(jwt.accessToken(refresh))).toBe("Token has wrong type");
    expect(await tokenErrorOf(jwt.refreshToken(access))).toBe("Token has wrong type");
    expect(await tokenErrorOf(jwt.refresh(access))).toBe("Token has wrong type");
    await expect(jwt.authenticateToken(refresh)).rejects.toMatchObject({
      body: {
        detail: "Given token not valid for any token type",
        code: "token_not_valid",
        messages: [{ token_class: "AccessToken", token_type: "access", message: "Token has wrong type" }],
      },
    });
  });

  it("refuses tokens with missing or absurd claims", async () => {
    const jwt = setup();
    const sign = (c: object) => hs256({ alg: "HS256" }, c, SECRET);
    const { jti: _jti, ...noJti } = claims();
    const { token_type: _t, ...noType } = claims();
    const { exp: _e, ...noExp } = claims();
    expect(await tokenErrorOf(jwt.accessToken(sign(noJti)))).toBe("Token has no id");
    expect(await tokenErrorOf(jwt.accessToken(sign(noType)))).toBe("Token has no type");
    expect(await tokenErrorOf(jwt.accessToken(sign(noExp)))).toBe("Token has no 'exp' claim");
    expect(await tokenErrorOf(jwt.accessToken(sign(claims({ exp: 1e300 }))))).toBe(
      "Token is invalid or expired",
    );
    expect(await tokenErrorOf(jwt.accessToken(sign(claims({ exp: "tomorrow" }))))).toBe(
      "Token is invalid or expired",
    );
    const { user_id: _u, ...noUser } = claims();
    await expect(jwt.authenticateToken(sign(noUser))).rejects.toMatchObject({
      body: { detail: "Token contained no recognizable user identification", code: "token_not_valid" },
    });
    await expect(jwt.authenticateToken(sign(claims({ user_id: { $ne: null } })))).rejects.toBeInstanceOf(
      JwtAuthenticationError,
    );
  });

  it("refuses tokens of inactive and deleted users", async () => {
    const list = [ann];
    const jwt = setup({ rotateRefreshTokens: true }, list);
    const { access, refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    list[0] = { ...ann, is_active: false };
    await expect(jwt.authenticateToken(access)).rejects.toMatchObject({
      body: { detail: "User is inactive", code: "user_inactive" },
    });
    await expect(jwt.refresh(refresh)).rejects.toThrow("No active account found for the given token.");
    list.pop();
    await expect(jwt.authenticateToken(access)).rejects.toMatchObject({
      body: { detail: "User not found", code: "user_not_found" },
    });
  });

  it("checks audience and issuer when configured", async () => {
    const jwt = setup({ audience: "shop", issuer: "https://auth.example" });
    const { access } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    expect(payloadOf(access)).toMatchObject({ aud: "shop", iss: "https://auth.example" });
    await expect(jwt.accessToken(access)).resolves.toBeTruthy();
    const other = setup({ audience: "billing", issuer: "https://auth.example" });
    expect(await tokenErrorOf(other.accessToken(access))).toBe("Token is invalid or expired");
    const noIss = hs256({ alg: "HS256" }, { ...claims(), aud: "shop" }, SECRET);
    expect(await tokenErrorOf(jwt.accessToken(noIss))).toBe("Token is invalid or expired");
  });
});

describe("refresh, rotation and the blacklist", () => {
  it("refreshes without rotation by default", async () => {
    const jwt = setup();
    const { refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const out = await jwt.refresh(refresh);
    expect(Object.keys(out)).toEqual(["access"]);
    expect(payloadOf(out.access)).toMatchObject({ token_type: "access", user_id: 4, username: "ann" });
    await expect(jwt.refresh(refresh)).resolves.toBeTruthy();
  });

  it("rotates and blacklists the old refresh token; reusing it fails", async () => {
    const store = memoryTokenStore();
    const jwt = setup({ rotateRefreshTokens: true, blacklistAfterRotation: true, store });
    const { refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const out = await jwt.refresh(refresh);
    expect(out.refresh).toBeDefined();
    expect(payloadOf(out.refresh!).jti).not.toBe(payloadOf(refresh).jti);
    expect(payloadOf(out.refresh!).username).toBe("ann");
    expect(await tokenErrorOf(jwt.refresh(refresh))).toBe("Token is blacklisted");
    await expect(jwt.verify(refresh)).rejects.toBeInstanceOf(BlacklistedTokenError);
    await expect(jwt.refresh(out.refresh!)).resolves.toBeTruthy();
    expect(store.outstanding.size).toBe(3);
  });

  it("lets only one of two concurrent refreshes of one token rotate", async () => {
    const jwt = setup({ rotateRefreshTokens: true, blacklistAfterRotation: true });
    const { refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const results = await Promise.allSettled([jwt.refresh(refresh), jwt.refresh(refresh)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("blacklists on demand, logs out everywhere and flushes expired tokens", async () => {
    const store = memoryTokenStore();
    const jwt = setup({ store });
    const first = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    await jwt.blacklist(first.refresh);
    expect(await tokenErrorOf(jwt.refresh(first.refresh))).toBe("Token is blacklisted");
    expect(await tokenErrorOf(jwt.blacklist(first.refresh))).toBe("Token is blacklisted");

    const a = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    const b = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    expect(await jwt.logoutEverywhere(ann)).toBe(2);
    expect(await tokenErrorOf(jwt.refresh(a.refresh))).toBe("Token is blacklisted");
    expect(await tokenErrorOf(jwt.refresh(b.refresh))).toBe("Token is blacklisted");

    expect(await jwt.flushExpiredTokens(new Date())).toBe(0);
    expect(await jwt.flushExpiredTokens(new Date(Date.now() + 2 * 86400_000))).toBe(3);
    expect(store.outstanding.size).toBe(0);
  });

  it("verifies any of its tokens", async () => {
    const jwt = setup();
    const { access, refresh } = await jwt.obtainPair({ username: "ann", password: "shop-pass-123" });
    await expect(jwt.verify(access)).resolves.toBeUndefined();
    await expect(jwt.verify(refresh)).resolves.toBeUndefined();
    expect(await tokenErrorOf(jwt.verify(`${access}x`))).toBe("Token is invalid or expired");
  });

  it("the backend alone round-trips payloads", async () => {
    const backend = tokenBackend({ ...setup().settings } as never);
    const token = await backend.encode(claims());
    expect(await backend.decode(token)).toMatchObject({ user_id: 4 });
  });
});
