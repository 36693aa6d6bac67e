import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  APIClient,
  APIView,
  type Authentication,
  AuthenticationFailed,
  apiContext,
  apiView,
  defineSettings,
  type Permission,
  type Request,
  Response,
  type User,
} from "../src/index.js";

class TokenUser implements User {
  readonly isAuthenticated = true;
  constructor(
    readonly pk: number,
    readonly is_staff = false,
  ) {}
}

/** Bearer auth for tests: `Bearer good` → user 1, `Bearer bad` → 401, anything else ignored. */
class BearerAuth implements Authentication {
  authenticate(request: Request): readonly [User, unknown] | null {
    const header = request.headers.get("authorization") ?? "";
    if (!header.startsWith("Bearer ")) return null;
    if (header === "Bearer good") return [new TokenUser(1), "good"];
    throw new AuthenticationFailed("Invalid token.");
  }
  authenticateHeader(): string {
    return 'Bearer realm="api"';
  }
}

class IsAuthenticated implements Permission {
  hasPermission(request: Request): boolean {
    return request.user.isAuthenticated;
  }
}

class Echo extends APIView {
  static override authenticationClasses = [BearerAuth];
  static override permissionClasses = [IsAuthenticated];

  async get(request: Request): Promise<Response> {
    return new Response({ user: request.user.pk, q: request.queryParams.get("q") });
  }

  async post(request: Request): Promise<Response> {
    return new Response({ received: await request.data }, { status: 201 });
  }
}

class NoBody extends APIView {
  async post(): Promise<Response> {
    return new Response({ status: "ok" });
  }
}

function app(): Hono {
  const hono = new Hono();
  hono.all("/echo/", Echo.asView());
  hono.all("/nobody/", NoBody.asView());
  return hono;
}

describe("APIView request cycle", () => {
  const client = new APIClient(app());

  it("answers an authenticated GET", async () => {
    client.credentials({ Authorization: "Bearer good" });
    const res = await client.get("/echo/", { query: { q: "x" } });
    client.credentials();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ user: 1, q: "x" });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(res.text).toBe('{"user":1,"q":"x"}');
  });

  it("queryParams is Django's QueryDict: get() is the last value", async () => {
    const res = await new APIClient(app()).forceAuthenticate(new TokenUser(1)).get("/echo/?q=first&q=last");
    expect(res.data.q).toBe("last");
  });

  it("401 with WWW-Authenticate for anonymous, before the 405", async () => {
    const res = await client.delete("/echo/");
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "Authentication credentials were not provided." });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("405 with Allow for an authenticated client", async () => {
    const res = await new APIClient(app()).credentials({ Authorization: "Bearer good" }).delete("/echo/");
    expect(res.status).toBe(405);
    expect(res.data).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("a bad credential is a 401 with the scheme's message", async () => {
    const res = await new APIClient(app()).credentials({ Authorization: "Bearer bad" }).get("/echo/");
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "Invalid token." });
  });

  it("parses JSON lazily; 415 and 400 for bad bodies only where read", async () => {
    const c = new APIClient(app()).forceAuthenticate(new TokenUser(2));
    expect((await c.post("/echo/", { a: [1, "é"] })).data).toEqual({ received: { a: [1, "é"] } });
    const unsupported = await c.post("/echo/", "hello", { contentType: "text/plain" });
    expect(unsupported.status).toBe(415);
    expect(unsupported.data).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    const malformed = await c.post("/echo/", "{bad", { contentType: "application/json" });
    expect(malformed.status).toBe(400);
    expect(malformed.data.detail).toMatch(/^JSON parse error - /);
    const ignored = await c.post("/nobody/", "{bad", { contentType: "application/json" });
    expect(ignored.status).toBe(200);
  });

  it("HEAD answers like GET without a body, with the GET's Content-Length", async () => {
    const client = new APIClient(app()).forceAuthenticate(new TokenUser(3));
    const res = await client.head("/echo/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const got = await client.get("/echo/");
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(got.text)));
  });

  it("406 when no renderer satisfies Accept", async () => {
    const res = await new APIClient(app())
      .forceAuthenticate(new TokenUser(3))
      .get("/echo/", { headers: { Accept: "text/csv" } });
    expect(res.status).toBe(406);
    expect(res.data).toEqual({ detail: "Could not satisfy the request Accept header." });
  });

  it("413 when the body is over the configured limit", async () => {
    const hono = new Hono();
    hono.use("*", apiContext({ settings: defineSettings({ maxBodySize: 10 }) }));
    hono.all("/echo/", Echo.asView());
    const res = await new APIClient(hono)
      .forceAuthenticate(new TokenUser(3))
      .post("/echo/", { long: "x".repeat(20) });
    expect(res.status).toBe(413);
    expect(res.data).toEqual({ detail: "Request body is too large." });
  });

  it("a view's own maxBodySize overrides the setting", async () => {
    class BigUpload extends Echo {
      static override maxBodySize = 64;
    }
    const hono = new Hono();
    hono.use("*", apiContext({ settings: defineSettings({ maxBodySize: 10 }) }));
    hono.all("/big/", BigUpload.asView());
    hono.all("/small/", Echo.asView());
    const client = new APIClient(hono).forceAuthenticate(new TokenUser(3));
    const body = { long: "x".repeat(20) };
    expect((await client.post("/big/", body)).status).toBe(201);
    expect((await client.post("/small/", body)).status).toBe(413);
    expect((await client.post("/big/", { long: "x".repeat(100) })).status).toBe(413);
  });

  it("OPTIONS answers DRF's metadata", async () => {
    const res = await new APIClient(app()).forceAuthenticate(new TokenUser(3)).options("/echo/");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      name: "Echo",
      description: "",
      renders: ["application/json"],
      parses: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
    });
  });
});

describe("handler results", () => {
  it("a handler that returns nothing is a logged 500 naming it", async () => {
    const errors: string[] = [];
    class Forgetful extends APIView {
      static override settings = defineSettings({
        logger: { error: (_m, meta) => errors.push(String(meta?.error)), warn: () => {} },
      });
      async get(): Promise<Response> {
        return undefined as unknown as Response;
      }
    }
    const hono = new Hono();
    hono.all("/f/", Forgetful.asView());
    const res = await new APIClient(hono).get("/f/");
    expect([res.status, res.data]).toEqual([500, { detail: "A server error occurred." }]);
    expect(errors[0]).toContain("Expected a Response from Forgetful.get(), received undefined.");
  });

  it("data the renderer cannot write is a logged 500", async () => {
    const errors: string[] = [];
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const hono = new Hono();
    hono.all(
      "/c/",
      apiView(["GET"], () => new Response(circular), {
        settings: defineSettings({
          logger: { error: (_m, meta) => errors.push(String(meta?.error)), warn: () => {} },
        }),
      }),
    );
    const res = await new APIClient(hono).get("/c/");
    expect([res.status, res.data]).toEqual([500, { detail: "A server error occurred." }]);
    expect(errors[0]).toMatch(/circular/i);
  });

  it("a plain Fetch Response passes through untouched", async () => {
    const hono = new Hono();
    hono.all(
      "/raw/",
      apiView(["GET"], () => new globalThis.Response("plain", { status: 202 })),
    );
    const res = await new APIClient(hono).get("/raw/");
    expect([res.status, res.text]).toEqual([202, "plain"]);
  });
});

describe("function views", () => {
  it("apiView serves the listed methods only", async () => {
    const hono = new Hono();
    hono.all(
      "/hello/:name/",
      apiView(
        ["GET", "POST"],
        async (request) => new Response({ hello: request.kwargs.name, method: request.method }),
      ),
    );
    const client = new APIClient(hono);
    expect((await client.get("/hello/ada/")).data).toEqual({ hello: "ada", method: "GET" });
    expect((await client.post("/hello/ada/", {})).data).toEqual({ hello: "ada", method: "POST" });
    const put = await client.put("/hello/ada/", {});
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("permission denial without authenticators is a 403 with the permission's message", async () => {
    class Never implements Permission {
      message = "Go away.";
      hasPermission(): boolean {
        return false;
      }
    }
    const hono = new Hono();
    hono.all(
      "/x/",
      apiView(["GET"], () => new Response({}), { permissionClasses: [Never] }),
    );
    const res = await new APIClient(hono).get("/x/");
    expect(res.status).toBe(403);
    expect(res.data).toEqual({ detail: "Go away." });
  });
});
