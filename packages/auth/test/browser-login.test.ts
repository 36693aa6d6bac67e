// The browsable API's login and logout pages (DRF's api-auth/login/ and
// logout/): the form and its CSRF cookie, CSRF-checked form posts, the new
// session, the `next` redirect kept on this site, and the logout form post.
import {
  APIClient,
  APIView,
  defineSettings,
  MemoryCache,
  type Request,
  Response,
  ScopedRateThrottle,
  setDefaultCache,
} from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  cacheSessionStore,
  IsAuthenticated,
  LoginView,
  LogoutView,
  makePassword,
  SessionAuthentication,
  safeNext,
  sessionEngine,
} from "../src/index.js";
import { arrayUsers, type PlainUser } from "./support/memory-users.js";

const PASSWORD_HASH = await makePassword("shop-pass-123");

class Me extends APIView {
  static override permissionClasses = [IsAuthenticated];
  get(request: Request) {
    return new Response({ pk: request.user.pk });
  }
  post(request: Request) {
    return new Response({ pk: request.user.pk });
  }
}

function setup() {
  const users: PlainUser[] = [
    {
      pk: 5,
      username: "manager",
      email: "m@example.com",
      password: PASSWORD_HASH,
      is_active: true,
      is_staff: false,
      isAuthenticated: true,
    },
  ];
  const sessions = sessionEngine<PlainUser>({
    store: cacheSessionStore(new MemoryCache()),
    users: arrayUsers(users),
    secretKey: "browser-login-secret",
  });
  const settings = defineSettings({ defaultAuthenticationClasses: [SessionAuthentication.using(sessions)] });
  const app = new Hono();
  app.all("/api-auth/login/", LoginView.asView({ sessions, settings, pageTitle: "Shop <API>" }));
  app.all("/api-auth/logout/", LogoutView.asView({ sessions, settings }));
  app.all("/me/", Me.asView({ settings }));
  return { client: new APIClient(app, { defaultFormat: "form" }), sessions };
}

/** The value of the page's hidden csrfmiddlewaretoken input. */
function formToken(page: string): string {
  const match = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"/.exec(page);
  expect(match, "no csrfmiddlewaretoken in the page").not.toBeNull();
  return match![1]!;
}

describe("LoginView (api-auth/login/)", () => {
  it("GET shows the form with a CSRF token, sets the CSRF cookie and is never cached", async () => {
    const { client } = setup();
    const res = await client.get("/api-auth/login/", { query: { next: "/api/v1/" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(client.cookies.get("csrftoken")).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(formToken(res.text)).toHaveLength(64);
    expect(res.text).toContain('<form method="post" action="/api-auth/login/" id="login-form">');
    expect(res.text).toContain('<input type="hidden" name="next" value="/api/v1/">');
    // The browsable API's page shell (DRF's login.html extends its base.html), the brand escaped.
    expect(res.text).toContain('<header class="navbar"><span class="brand">Shop &lt;API&gt;</span>');
    expect(res.text).toContain("<title>Log in – Shop &lt;API&gt;</title>");
  });

  it("POST with the form's token logs in, rotates the CSRF cookie and redirects to next", async () => {
    const { client } = setup();
    const token = formToken((await client.get("/api-auth/login/")).text);
    const before = client.cookies.get("csrftoken");
    const res = await client.post("/api-auth/login/", {
      csrfmiddlewaretoken: token,
      username: "manager",
      password: "shop-pass-123",
      next: "/api/v1/products/?page=2",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/api/v1/products/?page=2");
    expect(client.cookies.get("sessionid")).toMatch(/^[a-z0-9]{32}$/);
    expect(client.cookies.get("csrftoken")).not.toBe(before);
    const me = await client.get("/me/");
    expect(me.status).toBe(200);
    expect(me.data).toEqual({ pk: 5 });
  });

  it("wrong credentials re-show the form (200) with Django's message and the username kept", async () => {
    const { client } = setup();
    const token = formToken((await client.get("/api-auth/login/")).text);
    const res = await client.post("/api-auth/login/", {
      csrfmiddlewaretoken: token,
      username: "manager<b>",
      password: "nope",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      "<li>Please enter a correct username and password. Note that both fields may be case-sensitive.</li>",
    );
    expect(res.text).toContain('value="manager&lt;b&gt;"');
    expect(client.cookies.has("sessionid")).toBe(false);
    const empty = await client.post("/api-auth/login/", { csrfmiddlewaretoken: token, username: "" });
    expect(empty.text).toContain("<li>Username: This field is required.</li>");
    expect(empty.text).toContain("<li>Password: This field is required.</li>");
  });

  it("refuses a post without a valid CSRF token (403 page) before checking the password", async () => {
    const { client } = setup();
    await client.get("/api-auth/login/");
    const missing = await client.post("/api-auth/login/", { username: "manager", password: "shop-pass-123" });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain("CSRF verification failed. Request aborted.");
    expect(missing.text).toContain("CSRF Failed: CSRF token missing.");
    // In the browsable API's page shell, with the view's brand.
    expect(missing.text).toContain('<span class="brand">Shop &lt;API&gt;</span>');
    const wrong = await client.post("/api-auth/login/", {
      csrfmiddlewaretoken: "a".repeat(64),
      username: "manager",
      password: "shop-pass-123",
    });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain("CSRF Failed: CSRF token from POST incorrect.");
    const cross = await client.post(
      "/api-auth/login/",
      {
        csrfmiddlewaretoken: client.cookies.get("csrftoken"),
        username: "manager",
        password: "shop-pass-123",
      },
      { headers: { Origin: "https://evil.example" } },
    );
    expect(cross.status).toBe(403);
    expect(client.cookies.has("sessionid")).toBe(false);
  });

  it("never redirects off the site: unsafe next falls back to /", async () => {
    const { client } = setup();
    for (const next of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
      "http://testserver/api/v1/",
    ]) {
      const token = formToken((await client.get("/api-auth/login/")).text);
      const res = await client.post("/api-auth/login/", {
        csrfmiddlewaretoken: token,
        username: "manager",
        password: "shop-pass-123",
        next,
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(next === "http://testserver/api/v1/" ? "/api/v1/" : "/");
    }
  });
});

describe("LoginView throttling", () => {
  it('only the posts spend the "auth" scope\'s budget', async () => {
    const users: PlainUser[] = [];
    const sessions = sessionEngine<PlainUser>({
      store: cacheSessionStore(new MemoryCache()),
      users: arrayUsers(users),
      secretKey: "throttle-secret",
    });
    const settings = defineSettings({
      defaultThrottleClasses: [ScopedRateThrottle],
      defaultThrottleRates: { auth: "2/min" },
    });
    setDefaultCache(new MemoryCache());
    const app = new Hono();
    app.all("/login/", LoginView.asView({ sessions, settings }));
    const client = new APIClient(app, { defaultFormat: "form" });
    for (let i = 0; i < 4; i++) expect((await client.get("/login/")).status).toBe(200);
    const token = formToken((await client.get("/login/")).text);
    const attempt = () =>
      client.post("/login/", { csrfmiddlewaretoken: token, username: "x", password: "y" });
    expect((await attempt()).status).toBe(200);
    expect((await attempt()).status).toBe(200);
    expect((await attempt()).status).toBe(429);
  });
});

describe("LogoutView (api-auth/logout/)", () => {
  async function loggedIn() {
    const ctx = setup();
    const token = formToken((await ctx.client.get("/api-auth/login/")).text);
    await ctx.client.post("/api-auth/login/", {
      csrfmiddlewaretoken: token,
      username: "manager",
      password: "shop-pass-123",
    });
    return ctx;
  }

  it("a form post with the cookie's token ends the session and redirects to next", async () => {
    const { client } = await loggedIn();
    const res = await client.post("/api-auth/logout/", {
      csrfmiddlewaretoken: client.cookies.get("csrftoken"),
      next: "/api/v1/",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/api/v1/");
    expect(client.cookies.has("sessionid")).toBe(false);
    expect((await client.get("/me/")).status).toBe(403);
  });

  it("without a token the session survives (403); GET is not a logout", async () => {
    const { client } = await loggedIn();
    expect((await client.post("/api-auth/logout/", {})).status).toBe(403);
    expect((await client.get("/api-auth/logout/")).status).toBe(405);
    expect((await client.get("/me/")).status).toBe(200);
  });

  it("without next it shows the logged-out page", async () => {
    const { client } = await loggedIn();
    const res = await client.post(
      "/api-auth/logout/",
      {},
      { headers: { "X-CSRFToken": client.cookies.get("csrftoken")! } },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("<h1>Logged out</h1>");
  });
});

describe("safeNext", () => {
  it("keeps paths and same-origin URLs, refuses the rest", async () => {
    // A Request comes from a view: this one records the decisions.
    const decisions: string[] = [];
    class Probe extends APIView {
      static override authenticationClasses = [];
      get(request: Request) {
        for (const next of ["/a/?b=1#c", "", null, "https://other/", "http://testserver/x/", "/x\u0000/"])
          decisions.push(safeNext(request, next, "FALLBACK"));
        return new Response({});
      }
    }
    const app = new Hono();
    app.get("/probe/", Probe.asView());
    await new APIClient(app).get("/probe/");
    expect(decisions).toEqual(["/a/?b=1#c", "FALLBACK", "FALLBACK", "FALLBACK", "/x/", "FALLBACK"]);
  });
});
