import { APIClient, APIView, defineSettings, MemoryCache, type Request, Response } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  BasicAuthentication,
  cacheSessionStore,
  consoleMailBackend,
  decodeUidb64,
  IsAuthenticated,
  makePassword,
  maskCsrfSecret,
  memoryMailBackend,
  PasswordResetTokenGenerator,
  SessionAuthentication,
  sendMail,
  sessionEngine,
  uidb64,
} from "../src/index.js";
import { arrayUsers, type PlainUser } from "./support/memory-users.js";

const FIXTURE_HASH = "pbkdf2_sha256$20000$fixturesalt1$z3VbaHVeLXtYnKfEiSJzokdnK/5dftj8BgJlbnEfmkA=";
const UNICODE_HASH = await makePassword("pässwörd");

function fixtureUsers(): PlainUser[] {
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
      email: "i@example.com",
      password: "pbkdf2_sha256$20000$fixturesalt3$wKdsDocjzFdJKW/y2r4Kb7NonJljK+upe4qqTRbA+lw=",
      is_active: false,
      is_staff: false,
      isAuthenticated: true,
    },
    {
      pk: 7,
      username: "jürgen",
      email: "j@example.com",
      password: UNICODE_HASH,
      is_active: true,
      is_staff: false,
      isAuthenticated: true,
    },
  ];
}

class Echo extends APIView {
  static override permissionClasses = [IsAuthenticated];
  get(request: Request) {
    return new Response({ pk: request.user.pk });
  }
  post(request: Request) {
    return new Response({ pk: request.user.pk });
  }
}

describe("BasicAuthentication", () => {
  const users = fixtureUsers();
  const settings = defineSettings({
    defaultAuthenticationClasses: [BasicAuthentication.using(arrayUsers(users))],
  });
  const app = new Hono();
  app.all("/echo/", Echo.asView({ settings }));
  const client = new APIClient(app);
  const get = (authorization: string) => client.get("/echo/", { headers: { Authorization: authorization } });
  const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

  it("authenticates a fixture user with shop-pass-123", async () => {
    const res = await get(`Basic ${b64("admin:shop-pass-123")}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ pk: 1 });
    expect((await get(`basic ${b64("jürgen:pässwörd")}`)).status).toBe(200);
  });

  it("refuses bad credentials and malformed headers with DRF's messages", async () => {
    const cases: [string, string][] = [
      [`Basic ${b64("admin:wrong")}`, "Invalid username/password."],
      [`Basic ${b64("inactive:shop-pass-123")}`, "Invalid username/password."],
      [`Basic ${b64("admin")}`, "Invalid username/password."],
      ["Basic", "Invalid basic header. No credentials provided."],
      ["Basic a b", "Invalid basic header. Credentials string should not contain spaces."],
      ["Basic %%%not-base64", "Invalid basic header. Credentials not correctly base64 encoded."],
      ["Basic YWRtaW4", "Invalid basic header. Credentials not correctly base64 encoded."],
    ];
    for (const [header, detail] of cases) {
      const res = await get(header);
      expect(res.status, header).toBe(401);
      expect(res.data).toEqual({ detail });
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="api"');
    }
    // Not UTF-8: decoded as latin-1, as DRF does, then simply wrong.
    const latin1 = await get(`Basic ${b64(Buffer.from([0x61, 0xe9, 0xff, 0x3a, 0x78]))}`);
    expect(latin1.status).toBe(401);
    expect(latin1.data).toEqual({ detail: "Invalid username/password." });
  });

  it("upgrades the hash of a Django user on login", async () => {
    const local = fixtureUsers();
    const source = arrayUsers(local);
    let saved: string | undefined;
    const { checkPassword } = await import("../src/index.js");
    expect(
      await checkPassword("shop-pass-123", local[0]!.password, {
        setter: async (raw) => {
          saved = await makePassword(raw);
        },
      }),
    ).toBe(true);
    expect(saved?.startsWith("scrypt$")).toBe(true);
    expect(await source.authenticate({ username: "admin", password: "shop-pass-123" })).toBe(local[0]);
  });
});

describe("SessionAuthentication", () => {
  function setup() {
    const users = fixtureUsers();
    const sessions = sessionEngine<PlainUser>({
      store: cacheSessionStore(new MemoryCache()),
      users: arrayUsers(users),
      secretKey: "session-secret",
    });
    const settings = defineSettings({
      defaultAuthenticationClasses: [SessionAuthentication.using(sessions)],
    });
    class Login extends APIView {
      static override authenticationClasses = [];
      async post(request: Request) {
        const { username, password } = (await request.data) as { username: string; password: string };
        const user = await sessions.users.authenticate({ username, password });
        if (!user) return new Response({ detail: "bad" }, { status: 400 });
        const response = new Response({ csrftoken: "" });
        await sessions.login(request, user, response);
        return response;
      }
    }
    class Logout extends APIView {
      async post(request: Request) {
        const response = new Response({});
        await sessions.logout(request, response);
        return response;
      }
    }
    const app = new Hono();
    app.post("/login/", Login.asView({ settings }));
    app.post("/logout/", Logout.asView({ settings }));
    app.all("/echo/", Echo.asView({ settings }));
    return { client: new APIClient(app), users, sessions };
  }

  it("logs in with a session cookie; reads need no CSRF token", async () => {
    const { client } = setup();
    const login = await client.post("/login/", { username: "admin", password: "shop-pass-123" });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("sessionid="))).toMatch(
      /^sessionid=[a-z0-9]{32}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(client.cookies.get("csrftoken")).toMatch(/^[A-Za-z0-9]{32}$/);
    const me = await client.get("/echo/");
    expect(me.status).toBe(200);
    expect(me.data).toEqual({ pk: 1 });
  });

  it("enforces CSRF on unsafe methods (403), accepting masked and unmasked tokens", async () => {
    const { client } = setup();
    await client.post("/login/", { username: "admin", password: "shop-pass-123" });
    const secret = client.cookies.get("csrftoken")!;
    let res = await client.post("/echo/", {});
    expect(res.status).toBe(403);
    expect(res.data).toEqual({ detail: "CSRF Failed: CSRF token missing." });
    res = await client.post("/echo/", {}, { headers: { "X-CSRFToken": "x".repeat(32) } });
    expect(res.data).toEqual({
      detail: "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    });
    res = await client.post("/echo/", {}, { headers: { "X-CSRFToken": "short" } });
    expect(res.data).toEqual({
      detail: "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.",
    });
    res = await client.post("/echo/", {}, { headers: { "X-CSRFToken": secret } });
    expect(res.status).toBe(200);
    res = await client.post("/echo/", {}, { headers: { "X-CSRFToken": maskCsrfSecret(secret) } });
    expect(res.status).toBe(200);
    res = await client.post(
      "/echo/",
      {},
      { headers: { "X-CSRFToken": secret, Origin: "https://evil.example" } },
    );
    expect(res.data).toEqual({
      detail:
        "CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.",
    });
    client.cookies.delete("csrftoken");
    res = await client.post("/echo/", {}, { headers: { "X-CSRFToken": secret } });
    expect(res.data).toEqual({ detail: "CSRF Failed: CSRF cookie not set." });
  });

  it("ends the session on logout, password change and deactivation", async () => {
    const { client, users } = setup();
    await client.post("/login/", { username: "admin", password: "shop-pass-123" });
    const csrf = { "X-CSRFToken": client.cookies.get("csrftoken")! };
    expect((await client.post("/logout/", {}, { headers: csrf })).status).toBe(200);
    expect(client.cookies.has("sessionid")).toBe(false);
    expect((await client.get("/echo/")).status).toBe(403);

    await client.post("/login/", { username: "admin", password: "shop-pass-123" });
    expect((await client.get("/echo/")).status).toBe(200);
    users[0]!.password = await makePassword("a-new-password");
    expect((await client.get("/echo/")).status).toBe(403);

    users[0]!.password = FIXTURE_HASH;
    await client.post("/login/", { username: "admin", password: "shop-pass-123" });
    users[0]!.is_active = false;
    expect((await client.get("/echo/")).status).toBe(403);
  });

  it("ignores forged or unknown session keys", async () => {
    const { client } = setup();
    for (const key of ["a".repeat(32), "../../etc", "x".repeat(500)]) {
      const res = await client.get("/echo/", { headers: { Cookie: `sessionid=${key}` } });
      expect(res.status).toBe(403);
      expect(res.data).toEqual({ detail: "Authentication credentials were not provided." });
    }
  });
});

describe("password reset tokens", () => {
  const user = { pk: 4, password: FIXTURE_HASH, last_login: null as Date | null, email: "ann@example.com" };
  let now = new Date("2026-01-10T00:00:00Z");
  const generator = new PasswordResetTokenGenerator({ secretKey: "reset-secret", now: () => now });

  it("checks tokens: expiry, password change, login, other secrets", () => {
    const token = generator.makeToken(user);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);
    expect(generator.checkToken(user, token)).toBe(true);
    expect(generator.checkToken({ ...user, pk: 5 }, token)).toBe(false);
    expect(generator.checkToken({ ...user, password: "changed" }, token)).toBe(false);
    expect(generator.checkToken({ ...user, last_login: new Date() }, token)).toBe(false);
    expect(generator.checkToken({ ...user, email: "new@example.com" }, token)).toBe(false);
    expect(new PasswordResetTokenGenerator({ secretKey: "other" }).checkToken(user, token)).toBe(false);
    expect(
      new PasswordResetTokenGenerator({
        secretKey: "new",
        secretKeyFallbacks: ["reset-secret"],
        now: () => now,
      }).checkToken(user, token),
    ).toBe(true);
    for (const bad of ["", "nodash", "zz-zz-zz", "!!-abc", `${"z".repeat(20)}-abc`])
      expect(generator.checkToken(user, bad)).toBe(false);
    now = new Date(now.getTime() + 3 * 86400_000 + 1000);
    expect(generator.checkToken(user, token)).toBe(false);
  });

  it("encodes uids as Django does", () => {
    expect(uidb64(4)).toBe("NA");
    expect(decodeUidb64("NA")).toBe("4");
    expect(decodeUidb64("not base64!")).toBeNull();
  });

  it("sends mail through the in-memory and console backends", async () => {
    const mail = memoryMailBackend();
    await sendMail(mail, {
      subject: "Reset",
      body: "link",
      from: "noreply@example.com",
      to: ["ann@example.com"],
    });
    expect(mail.outbox).toHaveLength(1);
    expect(mail.outbox[0]!.to).toEqual(["ann@example.com"]);
    let written = "";
    await sendMail(consoleMailBackend({ write: (s: string) => (written += s) }), mail.outbox[0]!);
    expect(written).toContain("Subject: Reset\nFrom: noreply@example.com\nTo: ann@example.com\n\nlink\n");
  });
});
