import type { Request } from "@x/views";
import {
  APIClient,
  APIView,
  defineSettings,
  MemoryCache,
  Response,
  ScopedRateThrottle,
  setDefaultCache,
} from "@x/views";
import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type AuthUser,
  IsAuthenticated,
  JWTAuthentication,
  makePassword,
  memoryTokenStore,
  simpleJwt,
  TokenBlacklistView,
  TokenObtainPairSerializer,
  TokenObtainPairView,
  TokenRefreshView,
  TokenVerifyView,
} from "../src/index.js";
import { arrayUsers, type PlainUser } from "./support/memory-users.js";

const FIXTURE_HASH = "pbkdf2_sha256$20000$fixturesalt1$z3VbaHVeLXtYnKfEiSJzokdnK/5dftj8BgJlbnEfmkA=";
const INACTIVE_HASH = "pbkdf2_sha256$20000$fixturesalt3$wKdsDocjzFdJKW/y2r4Kb7NonJljK+upe4qqTRbA+lw=";

function makeUsers(): PlainUser[] {
  return [
    {
      pk: 1,
      username: "admin",
      email: "admin@example.com",
      password: FIXTURE_HASH,
      is_active: true,
      is_staff: true,
      isAuthenticated: true,
    },
    {
      pk: 3,
      username: "inactive",
      email: "inactive@example.com",
      password: INACTIVE_HASH,
      is_active: false,
      is_staff: false,
      isAuthenticated: true,
    },
  ];
}

class MeView extends APIView {
  static override permissionClasses = [IsAuthenticated];
  async get(request: Request) {
    return new Response({ pk: request.user.pk });
  }
}

function build(options: { cookie?: boolean; authRate?: string } = {}) {
  const users = makeUsers();
  const jwt = simpleJwt<PlainUser>({
    signingKey: "test-secret-key",
    users: arrayUsers(users),
    store: memoryTokenStore(),
    rotateRefreshTokens: true,
    blacklistAfterRotation: true,
    getToken: (user, token) => {
      token.set("username", user.username);
      token.set("email", user.email);
      token.set("is_staff", user.is_staff);
    },
    ...(options.cookie ? { refreshCookie: { path: "/api/v1/auth/jwt/", secure: true } } : {}),
  });
  const settings = defineSettings({
    defaultAuthenticationClasses: [JWTAuthentication.using(jwt)],
    defaultThrottleRates: { auth: options.authRate ?? "1000/min" },
  });
  const login = { jwt, settings, throttleClasses: [ScopedRateThrottle] };
  const app = new Hono();
  app.post("/api/v1/auth/jwt/", TokenObtainPairView.asView(login));
  app.post("/api/v1/auth/jwt/refresh/", TokenRefreshView.asView(login));
  app.post("/api/v1/auth/jwt/verify/", TokenVerifyView.asView(login));
  app.post("/api/v1/auth/jwt/blacklist/", TokenBlacklistView.asView(login));
  app.get("/api/v1/me/", MeView.asView({ settings }));
  return { client: new APIClient(app), users, jwt };
}

beforeEach(() => setDefaultCache(new MemoryCache()));

describe("JWT endpoints (simplejwt bodies)", () => {
  it("obtains a pair for a fixture user and authenticates with the access token", async () => {
    const { client } = build();
    const res = await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.data).sort()).toEqual(["access", "refresh"]);
    client.credentials({ Authorization: `Bearer ${res.data.access}` });
    const me = await client.get("/api/v1/me/");
    expect(me.status).toBe(200);
    expect(me.data).toEqual({ pk: 1 });
  });

  it("answers wrong credentials and inactive users with 401 no_active_account", async () => {
    const { client } = build();
    for (const body of [
      { username: "admin", password: "wrong" },
      { username: "nobody", password: "shop-pass-123" },
      { username: "inactive", password: "shop-pass-123" },
    ]) {
      const res = await client.post("/api/v1/auth/jwt/", body);
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ detail: "No active account found with the given credentials" });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    }
  });

  it("validates the body as DRF does", async () => {
    const { client } = build();
    let res = await client.post("/api/v1/auth/jwt/", {});
    expect(res.status).toBe(400);
    expect(res.data).toEqual({
      username: ["This field is required."],
      password: ["This field is required."],
    });
    res = await client.post("/api/v1/auth/jwt/", { username: "", password: ["x"] });
    expect(res.data).toEqual({
      username: ["This field may not be blank."],
      password: ["Not a valid string."],
    });
    res = await client.post("/api/v1/auth/jwt/", [1, 2]);
    expect(res.data).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
    res = await client.post("/api/v1/auth/jwt/refresh/", {});
    expect(res.data).toEqual({ refresh: ["This field is required."] });
  });

  it("rotates refresh tokens and rejects the old one as blacklisted", async () => {
    const { client } = build();
    const pair = (await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" }))
      .data;
    const refreshed = await client.post("/api/v1/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.data).sort()).toEqual(["access", "refresh"]);
    const reuse = await client.post("/api/v1/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(reuse.status).toBe(401);
    expect(reuse.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
    const again = await client.post("/api/v1/auth/jwt/refresh/", { refresh: refreshed.data.refresh });
    expect(again.status).toBe(200);
  });

  it("verifies tokens", async () => {
    const { client } = build();
    const pair = (await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" }))
      .data;
    expect((await client.post("/api/v1/auth/jwt/verify/", { token: pair.access })).data).toEqual({});
    const bad = await client.post("/api/v1/auth/jwt/verify/", { token: `${pair.access}x` });
    expect(bad.status).toBe(401);
    expect(bad.data).toEqual({ detail: "Token is invalid or expired", code: "token_not_valid" });
    await client.post("/api/v1/auth/jwt/blacklist/", { refresh: pair.refresh });
    const black = await client.post("/api/v1/auth/jwt/verify/", { token: pair.refresh });
    expect(black.status).toBe(400);
    expect(black.data).toEqual({ non_field_errors: ["Token is blacklisted"] });
  });

  it("blacklists a refresh token on request", async () => {
    const { client } = build();
    const pair = (await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" }))
      .data;
    const res = await client.post("/api/v1/auth/jwt/blacklist/", { refresh: pair.refresh });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({});
    const after = await client.post("/api/v1/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(after.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
    const wrongType = await client.post("/api/v1/auth/jwt/blacklist/", { refresh: pair.access });
    expect(wrongType.status).toBe(401);
    expect(wrongType.data).toEqual({ detail: "Token has wrong type", code: "token_not_valid" });
  });

  it("rejects bad Bearer credentials with simplejwt's bodies and ignores unknown schemes", async () => {
    const { client, users } = build();
    const pair = (await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" }))
      .data;

    let res = await client.get("/api/v1/me/", { headers: { Authorization: "Bearer garbage" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(res.data).toEqual({
      detail: "Given token not valid for any token type",
      code: "token_not_valid",
      messages: [
        { token_class: "AccessToken", token_type: "access", message: "Token is invalid or expired" },
      ],
    });
    res = await client.get("/api/v1/me/", { headers: { Authorization: `Bearer ${pair.refresh}` } });
    expect(res.data.messages[0].message).toBe("Token has wrong type");
    res = await client.get("/api/v1/me/", { headers: { Authorization: "Bearer a b" } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({
      detail: "Authorization header must contain two space-delimited values",
      code: "bad_authorization_header",
    });
    res = await client.get("/api/v1/me/", { headers: { Authorization: "Unknown abc" } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "Authentication credentials were not provided." });

    users[0]!.is_active = false;
    res = await client.get("/api/v1/me/", { headers: { Authorization: `Bearer ${pair.access}` } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "User is inactive", code: "user_inactive" });
    users.splice(0, 1);
    res = await client.get("/api/v1/me/", { headers: { Authorization: `Bearer ${pair.access}` } });
    expect(res.data).toEqual({ detail: "User not found", code: "user_not_found" });
  });

  it("keeps the refresh token in an httpOnly cookie when configured", async () => {
    const { client } = build({ cookie: true });
    const res = await client.post("/api/v1/auth/jwt/", { username: "admin", password: "shop-pass-123" });
    expect(Object.keys(res.data)).toEqual(["access"]);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(
      /^refresh=[\w.-]+; Max-Age=86400; Path=\/api\/v1\/auth\/jwt\/; Secure; HttpOnly; SameSite=Strict$/,
    );
    const refreshed = await client.post("/api/v1/auth/jwt/refresh/", {});
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.data)).toEqual(["access"]);
    const out = await client.post("/api/v1/auth/jwt/blacklist/", {});
    expect(out.status).toBe(200);
    expect(client.cookies.has("refresh")).toBe(false);
  });

  it("throttles the login endpoints with the auth scope", async () => {
    const { client } = build({ authRate: "2/min" });
    const body = { username: "admin", password: "wrong" };
    expect((await client.post("/api/v1/auth/jwt/", body)).status).toBe(401);
    expect((await client.post("/api/v1/auth/jwt/", body)).status).toBe(401);
    const third = await client.post("/api/v1/auth/jwt/", body);
    expect(third.status).toBe(429);
    expect(third.data.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("custom claims through a token serializer subclass (the handbook's CustomTokenObtainPairSerializer)", () => {
  it("adds claims to both tokens, and refreshed access tokens keep them", async () => {
    class CustomTokenObtainPairSerializer extends TokenObtainPairSerializer {
      static override async getToken(
        jwt: Parameters<typeof TokenObtainPairSerializer.getToken>[0],
        user: AuthUser,
      ) {
        const token = await TokenObtainPairSerializer.getToken(jwt, user);
        const u = user as PlainUser;
        token.set("username", u.username);
        token.set("email", u.email);
        token.set("is_staff", u.is_staff);
        return token;
      }
    }
    class CustomTokenObtainPairView extends TokenObtainPairView {
      static override serializerClass = CustomTokenObtainPairSerializer;
    }
    const jwt = simpleJwt<PlainUser>({ signingKey: "k", users: arrayUsers(makeUsers()) });
    const app = new Hono();
    app.post("/token/", CustomTokenObtainPairView.asView({ jwt }));
    app.post("/token/refresh/", TokenRefreshView.asView({ jwt }));
    const client = new APIClient(app);
    const res = await client.post("/token/", { username: "admin", password: "shop-pass-123" });
    const claims = (t: string) => JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString());
    expect(claims(res.data.access)).toMatchObject({
      username: "admin",
      email: "admin@example.com",
      is_staff: true,
      user_id: 1,
    });
    expect(claims(res.data.refresh)).toMatchObject({ username: "admin", token_type: "refresh" });
    const refreshed = await client.post("/token/refresh/", { refresh: res.data.refresh });
    expect(claims(refreshed.data.access)).toMatchObject({ username: "admin", is_staff: true });
  });
});

describe("CHECK_REVOKE_TOKEN: a password change revokes every token", () => {
  it("refuses access and refresh tokens issued before the change", async () => {
    const users = makeUsers();
    const jwt = simpleJwt<PlainUser>({ signingKey: "k", users: arrayUsers(users), checkRevokeToken: true });
    const settings = defineSettings({ defaultAuthenticationClasses: [JWTAuthentication.using(jwt)] });
    const app = new Hono();
    app.post("/token/", TokenObtainPairView.asView({ jwt }));
    app.post("/token/refresh/", TokenRefreshView.asView({ jwt }));
    app.get("/me/", MeView.asView({ settings }));
    const client = new APIClient(app);
    const pair = (await client.post("/token/", { username: "admin", password: "shop-pass-123" })).data;
    const claims = JSON.parse(Buffer.from(pair.access.split(".")[1], "base64url").toString());
    expect(claims.hash_password).toMatch(/^[0-9a-f]{64}$/);
    expect((await client.get("/me/", { headers: { Authorization: `Bearer ${pair.access}` } })).status).toBe(
      200,
    );
    users[0]!.password = await makePassword("changed-password");
    const me = await client.get("/me/", { headers: { Authorization: `Bearer ${pair.access}` } });
    expect(me.status).toBe(401);
    expect(me.data).toEqual({ detail: "The user's password has been changed.", code: "password_changed" });
    const refreshed = await client.post("/token/refresh/", { refresh: pair.refresh });
    expect(refreshed.status).toBe(401);
    expect(refreshed.data).toEqual({
      detail: "The user's password has been changed.",
      code: "password_changed",
    });
  });
});
