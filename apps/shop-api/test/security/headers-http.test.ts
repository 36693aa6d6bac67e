// The hardening headers over real HTTP (the node server path writes them onto Node's
// response) are the ones Hono's secureHeaders gives the in-process client.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { afterEach, describe, expect, it } from "vitest";
import type { NodeResponseOptions } from "../../src/middleware/node.js";
import { securityHeaders, securityHeadersForNode } from "../../src/middleware/security-headers.js";
import { serveApp } from "../../src/server.js";

const FROZEN = Object.freeze({
  "content-type": "application/json",
  "content-length": "2",
  "x-frame-options": "DENY",
});

function appWith(middleware?: ReturnType<typeof securityHeaders>) {
  const app = new Hono();
  if (middleware) app.use("*", middleware);
  app.get("/json/", (c) => c.json({ ok: true }));
  app.get("/own/", (c) => c.body("x", 200, { "X-Frame-Options": "DENY", "X-Powered-By": "me" }));
  app.get("/raw/", () => new Response("raw", { headers: { "content-type": "text/plain" } }));
  app.get("/cookies/", (c) => {
    c.header("Set-Cookie", "a=1; Path=/", { append: true });
    c.header("Set-Cookie", "b=2; Path=/", { append: true });
    return c.json({ ok: true });
  });
  app.get("/own-id/", (c) => c.body("x", 200, { "X-Request-Id": "handler-id", Vary: "Cookie" }));
  // A cached page's head: one frozen record (with its length) answered again and again.
  app.get("/frozen/", (c) => new Response("{}", { status: c.req.query("s") ? 203 : 200, headers: FROZEN }));
  app.get("/empty/", (c) => c.body(null, 204));
  app.get("/typed-empty/", (c) => c.body(null, 204, { "Content-Type": "application/json" }));
  app.get("/unchanged/", (c) => c.body(null, 304, { ETag: '"a"', Vary: "Accept" }));
  app.get("/boom/", () => {
    throw new Error("boom");
  });
  app.onError((_error, c) => c.text("server error", 500));
  return app;
}

const servers: { close(cb: () => void): void }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((done) => s.close(() => done()));
});

async function serve(app: Hono, response?: NodeResponseOptions): Promise<string> {
  let port = 0;
  const server = await serveApp(app, { port: 0, host: "127.0.0.1", onListen: (p) => (port = p), response });
  servers.push(server as unknown as { close(cb: () => void): void });
  return `http://127.0.0.1:${port}`;
}

const names = (res: Response) =>
  Object.fromEntries(
    [...res.headers].filter(([k]) => !["date", "content-length", "connection", "keep-alive"].includes(k)),
  );

it("serveApp answers for SIGINT/SIGTERM while it serves, and no longer once its owner closes it", async () => {
  const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
  await serve(appWith());
  expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(
    before.map((n) => n + 1),
  );
  const server = servers.pop();
  await new Promise<void>((done) => server?.close(() => done()));
  expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
});

describe("securityHeaders", () => {
  const options = { referrerPolicy: "same-origin" } as const;

  it("over HTTP sends exactly Hono's secureHeaders set, on every kind of response", async () => {
    const ours = await serve(appWith(securityHeaders(options)));
    const hono = await serve(appWith(secureHeaders({ ...options, overwrite: false })));
    for (const path of ["/json/", "/raw/", "/nothing/", "/boom/"]) {
      const [a, b] = await Promise.all([fetch(ours + path), fetch(hono + path)]);
      expect(a.status, path).toBe(b.status);
      expect(names(a), path).toEqual(names(b));
      expect(a.headers.get("referrer-policy"), path).toBe("same-origin");
      expect(a.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });

  it("keeps a header the response set itself, and drops X-Powered-By", async () => {
    const ours = await serve(appWith(securityHeaders(options)));
    const res = await fetch(`${ours}/own/`);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("in process (no Node response) sets the same headers on the Fetch response", async () => {
    const a = await appWith(securityHeaders(options)).request("/json/");
    const b = await appWith(secureHeaders({ ...options, overwrite: false })).request("/json/");
    expect(names(a)).toEqual(names(b));
    const own = await appWith(securityHeaders(options)).request("/own/");
    expect(own.headers.get("x-frame-options")).toBe("DENY");
    expect(own.headers.get("x-powered-by")).toBeNull();
  });
});

describe("headers written by the server's own response (createApp's nodeHeaders + serveApp's response)", () => {
  const options = { referrerPolicy: "same-origin" } as const;
  const withoutId = (res: Response) => {
    const all = names(res);
    delete all["x-request-id"];
    return all;
  };

  it("are Hono's secureHeaders set, with no middleware, on every kind of response", async () => {
    const security = await securityHeadersForNode(options);
    expect(security).toBeDefined();
    const ours = await serve(appWith(), { ...security, requestIds: true });
    const hono = await serve(appWith(secureHeaders({ ...options, overwrite: false })));
    for (const path of ["/json/", "/raw/", "/nothing/", "/boom/"]) {
      const [a, b] = await Promise.all([fetch(ours + path), fetch(hono + path)]);
      expect(a.status, path).toBe(b.status);
      expect(withoutId(a), path).toEqual(names(b));
      expect(a.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keep a response's own header, drop X-Powered-By, echo a plain client request id and replace a hostile one", async () => {
    const ours = await serve(appWith(), { ...(await securityHeadersForNode(options)), requestIds: true });
    const own = await fetch(`${ours}/own/`);
    expect(own.headers.get("x-frame-options")).toBe("DENY");
    expect(own.headers.get("x-powered-by")).toBeNull();
    const plain = await fetch(`${ours}/json/`, { headers: { "X-Request-Id": "abc-123.DEF_4" } });
    expect(plain.headers.get("x-request-id")).toBe("abc-123.DEF_4");
    const hostile = await fetch(`${ours}/json/`, { headers: { "X-Request-Id": "a b<script>" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const a = (await fetch(`${ours}/json/`)).headers.get("x-request-id");
    const b = (await fetch(`${ours}/json/`)).headers.get("x-request-id");
    expect(a).not.toBe(b);
  });

  it("keep every Set-Cookie and a request id the response set itself (written once)", async () => {
    const ours = await serve(appWith(), { ...(await securityHeadersForNode(options)), requestIds: true });
    const cookies = await fetch(`${ours}/cookies/`);
    expect(cookies.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(cookies.headers.get("x-content-type-options")).toBe("nosniff");
    const own = await fetch(`${ours}/own-id/`, { headers: { "X-Request-Id": "client-id" } });
    expect(own.headers.get("x-request-id")).toBe("handler-id");
    expect(own.headers.get("vary")).toBe("Cookie");
    expect(own.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("on a frozen header record (a replayed cached page) are the same each time, with each request's own id", async () => {
    const ours = await serve(appWith(), { ...(await securityHeadersForNode(options)), requestIds: true });
    const heads = [];
    for (const query of ["", "", "?s=1", "", "?s=1"]) {
      const res = await fetch(`${ours}/frozen/${query}`, {
        headers: { "X-Request-Id": `client-${heads.length}` },
      });
      expect(res.status).toBe(query ? 203 : 200);
      expect(await res.text()).toBe("{}");
      expect(res.headers.get("x-request-id")).toBe(`client-${heads.length}`);
      heads.push(withoutId(res));
    }
    const fresh = await fetch(`${ours}/frozen/`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(heads[0]).toMatchObject({ "x-frame-options": "DENY", "referrer-policy": "same-origin" });
    expect(heads[0]?.["x-content-type-options"]).toBe("nosniff");
    for (const head of heads) expect(head).toEqual(heads[0]);
    expect(FROZEN).toEqual({
      "content-type": "application/json",
      "content-length": "2",
      "x-frame-options": "DENY",
    });
  });

  it("give a 204 or 304 no Content-Type (DRF and Django send none), and keep it elsewhere", async () => {
    for (const response of [{ ...(await securityHeadersForNode(options)), requestIds: true }, undefined]) {
      const ours = await serve(appWith(), response);
      for (const path of ["/empty/", "/typed-empty/", "/unchanged/"]) {
        const res = await fetch(ours + path);
        expect([204, 304], path).toContain(res.status);
        expect(res.headers.get("content-type"), path).toBeNull();
      }
      const unchanged = await fetch(`${ours}/unchanged/`);
      expect([unchanged.headers.get("etag"), unchanged.headers.get("vary")]).toEqual(['"a"', "Accept"]);
      expect((await fetch(`${ours}/json/`)).headers.get("content-type")).toBe("application/json");
    }
  });

  it("are none without options (a plain serveApp adds nothing)", async () => {
    const res = await fetch(`${await serve(appWith())}/json/`);
    expect(res.headers.get("x-content-type-options")).toBeNull();
    expect(res.headers.get("x-request-id")).toBeNull();
  });

  it("a Content-Security-Policy needs the middleware (a per-request nonce)", async () => {
    expect(
      await securityHeadersForNode({ contentSecurityPolicy: { defaultSrc: ["'self'"] } }),
    ).toBeUndefined();
  });
});
