// APIView.initial runs its steps synchronously while they answer synchronously; an
// asynchronous authenticator, permission, throttle or overridden step keeps DRF's order
// and outcome (the first user found wins, the first refusal answers, every throttle counts).
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  AnonRateThrottle,
  APIClient,
  APIView,
  type Authentication,
  AuthenticationFailed,
  defineSettings,
  MemoryCache,
  type Permission,
  type Request,
  Response,
  type Throttle,
  type User,
  type ViewOptions,
} from "../src/index.js";

class TokenUser implements User {
  readonly isAuthenticated = true;
  constructor(readonly pk: number) {}
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** `X-Sync: <pk>` → that user, synchronously; `X-Sync: bad` → 401. */
class SyncAuth implements Authentication {
  authenticate(request: Request): readonly [User, unknown] | null {
    const value = request.header("x-sync");
    if (value === null) return null;
    if (value === "bad") throw new AuthenticationFailed("Bad sync credential.");
    return [new TokenUser(Number(value)), "sync"];
  }
  authenticateHeader(): string {
    return "Sync";
  }
}

/** `X-Async: <pk>` → that user, after a timer; `X-Async: bad` → 401. */
class AsyncAuth implements Authentication {
  async authenticate(request: Request): Promise<readonly [User, unknown] | null> {
    await tick();
    const value = request.header("x-async");
    if (value === null) return null;
    if (value === "bad") throw new AuthenticationFailed("Bad async credential.");
    return [new TokenUser(Number(value)), "async"];
  }
}

class AsyncIsAuthenticated implements Permission {
  message = "Async says no.";
  async hasPermission(request: Request): Promise<boolean> {
    await tick();
    return request.user.isAuthenticated;
  }
}

class NotUserTwo implements Permission {
  message = "Not for user 2.";
  hasPermission(request: Request): boolean {
    return request.user.pk !== 2;
  }
}

/** A throttle with its own (asynchronous) allowRequest: refuses every `limit`+1-th request. */
class CountingThrottle implements Throttle {
  static seen = 0;
  static limit = Number.POSITIVE_INFINITY;
  async allowRequest(): Promise<boolean> {
    await tick();
    CountingThrottle.seen++;
    return CountingThrottle.seen <= CountingThrottle.limit;
  }
  wait(): number | null {
    return 30;
  }
}

const settings = defineSettings({ defaultThrottleRates: { anon: "2/min" } });

class Who extends APIView {
  async get(request: Request): Promise<Response> {
    return new Response({ user: request.user.pk, auth: request.auth as unknown });
  }
}

function clientFor(View: typeof APIView, options: ViewOptions): APIClient {
  const app = new Hono();
  app.get("/x/", View.asView({ settings, throttleClasses: [], ...options }));
  return new APIClient(app);
}

describe("authentication with asynchronous authenticators", () => {
  const client = () => clientFor(Who, { authenticationClasses: [SyncAuth, AsyncAuth, SyncAuth] });

  it("a synchronous authenticator before an asynchronous one answers first", async () => {
    const res = await client().get("/x/", { headers: { "X-Sync": "4", "X-Async": "5" } });
    expect(res.data).toEqual({ user: 4, auth: "sync" });
  });

  it("the asynchronous one answers when the first finds no credentials", async () => {
    const res = await client().get("/x/", { headers: { "X-Async": "5" } });
    expect(res.data).toEqual({ user: 5, auth: "async" });
  });

  it("nobody: the anonymous user after all three", async () => {
    const res = await client().get("/x/");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ user: null, auth: null });
  });

  it("a failing asynchronous authenticator is a 401 with the first authenticator's challenge", async () => {
    const res = await client().get("/x/", { headers: { "X-Async": "bad" } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "Bad async credential." });
    expect(res.headers.get("www-authenticate")).toBe("Sync");
  });

  it("a synchronous authenticator after an asynchronous one still runs", async () => {
    const app = new Hono();
    app.get(
      "/x/",
      Who.asView({ settings, throttleClasses: [], authenticationClasses: [AsyncAuth, SyncAuth] }),
    );
    const res = await new APIClient(app).get("/x/", { headers: { "X-Sync": "6" } });
    expect(res.data).toEqual({ user: 6, auth: "sync" });
  });
});

describe("permissions with asynchronous answers", () => {
  const client = () =>
    clientFor(Who, {
      authenticationClasses: [SyncAuth],
      permissionClasses: [AsyncIsAuthenticated, NotUserTwo],
    });

  it("an asynchronous refusal is DRF's 401 for an anonymous client", async () => {
    const res = await client().get("/x/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Sync");
  });

  it("a synchronous permission after an asynchronous one still refuses", async () => {
    const res = await client().get("/x/", { headers: { "X-Sync": "2" } });
    expect(res.status).toBe(403);
    expect(res.data).toEqual({ detail: "Not for user 2." });
    const ok = await client().get("/x/", { headers: { "X-Sync": "3" } });
    expect(ok.data).toEqual({ user: 3, auth: "sync" });
  });
});

describe("throttles beside one with its own allowRequest", () => {
  it("every throttle counts every request; the custom one refuses with its wait", async () => {
    CountingThrottle.seen = 0;
    CountingThrottle.limit = 3;
    const cache = new MemoryCache();
    class Anon extends AnonRateThrottle {
      override cache = cache;
    }
    const app = new Hono();
    app.get("/x/", Who.asView({ settings, throttleClasses: [Anon, CountingThrottle] }));
    const client = new APIClient(app);
    expect((await client.get("/x/")).status).toBe(200);
    expect((await client.get("/x/")).status).toBe(200);
    // The anonymous rate (2/min) refuses the third; the custom throttle still saw it.
    const third = await client.get("/x/");
    expect(third.status).toBe(429);
    expect(CountingThrottle.seen).toBe(3);
    const fourth = await client.get("/x/");
    expect(fourth.status).toBe(429);
    // The longest wait of the refusing throttles: the custom one's 30 s vs about a minute.
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(30);
    expect(CountingThrottle.seen).toBe(4);
  });
});

describe("overridden steps", () => {
  it("asynchronous overrides of every step are called, in DRF's order", async () => {
    const calls: string[] = [];
    class Traced extends Who {
      override async initial(request: Request): Promise<void> {
        calls.push("initial");
        await super.initial(request);
        calls.push("initial done");
      }
      override async determineVersion(request: Request): Promise<void> {
        await tick();
        calls.push("version");
        await super.determineVersion(request);
      }
      override async performAuthentication(request: Request): Promise<void> {
        calls.push("authentication");
        await super.performAuthentication(request);
      }
      override async checkPermissions(request: Request): Promise<void> {
        await tick();
        calls.push(`permissions ${String(request.user.pk)}`);
        await super.checkPermissions(request);
      }
      override async checkThrottles(request: Request): Promise<void> {
        calls.push("throttles");
        await super.checkThrottles(request);
      }
    }
    const client = clientFor(Traced, { authenticationClasses: [SyncAuth], permissionClasses: [NotUserTwo] });
    const res = await client.get("/x/", { headers: { "X-Sync": "7" } });
    expect(res.data).toEqual({ user: 7, auth: "sync" });
    expect(calls).toEqual([
      "initial",
      "version",
      "authentication",
      "permissions 7",
      "throttles",
      "initial done",
    ]);

    calls.length = 0;
    const refused = await client.get("/x/", { headers: { "X-Sync": "2" } });
    expect(refused.status).toBe(403);
    expect(calls).toEqual(["initial", "version", "authentication", "permissions 2"]);
  });

  it("an asynchronous step's refusal stops the steps after it", async () => {
    const calls: string[] = [];
    class Refusing extends Who {
      override async performAuthentication(): Promise<void> {
        await tick();
        calls.push("authentication");
        throw new AuthenticationFailed("No.");
      }
      override async checkPermissions(): Promise<void> {
        calls.push("permissions");
      }
    }
    const res = await clientFor(Refusing, { authenticationClasses: [SyncAuth] }).get("/x/");
    expect(res.status).toBe(401);
    expect(calls).toEqual(["authentication"]);
  });

  it("the public steps still answer Promises when called directly", async () => {
    class Direct extends Who {
      override async get(request: Request): Promise<Response> {
        const answers = [
          this.determineVersion(request),
          this.performAuthentication(request),
          this.checkPermissions(request),
          this.checkThrottles(request),
        ];
        await Promise.all(answers);
        return new Response({ promises: answers.every((a) => a instanceof Promise) });
      }
    }
    const res = await clientFor(Direct, {}).get("/x/");
    expect(res.data).toEqual({ promises: true });
  });
});
