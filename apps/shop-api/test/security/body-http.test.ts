// Request bodies over real HTTP: @x/views reads them straight from Node's request stream
// (no Fetch Request is built), so the limits and errors are checked on that path too:
// Content-Length and chunked bodies, a declared and an undeclared oversize, bad JSON.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order } from "../../src/orders/models.js";
import { serveApp } from "../../src/server.js";
import { createTestShop, PASSWORD, type TestShop } from "../setup.js";

let t: TestShop;
let origin = "";
let server: { close(cb: () => void): void } | undefined;

beforeAll(async () => {
  t = await createTestShop();
  let port = 0;
  server = (await serveApp(t.shop.app, {
    port: 0,
    host: "127.0.0.1",
    onListen: (p) => (port = p),
  })) as unknown as { close(cb: () => void): void };
  origin = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await t?.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One POST; `chunks` are written one by one (chunked transfer encoding unless `length` is declared). */
function post(path: string, chunks: string[], headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${path}`,
      { method: "POST", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || "{}") }));
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const login = JSON.stringify({ username: "admin", password: PASSWORD });

describe("request bodies over HTTP", () => {
  it("reads a body with Content-Length and a chunked one alike", async () => {
    const sized = await post("/api/v1/auth/jwt/", [login], { "content-length": String(login.length) });
    expect(sized.status).toBe(200);
    expect(typeof sized.body.access).toBe("string");
    const chunked = await post("/api/v1/auth/jwt/", [
      login.slice(0, 10),
      login.slice(10, 25),
      login.slice(25),
    ]);
    expect(chunked.status).toBe(200);
    expect(typeof chunked.body.refresh).toBe("string");
  });

  it("an order placed over HTTP reads its body once and writes one order", async () => {
    const { access } = (await post("/api/v1/auth/jwt/", [login])).body as { access: string };
    const before = await Order.objects.count();
    const order = JSON.stringify({ items: [{ product: 7, quantity: 1 }] });
    const res = await post("/api/v1/orders/", [order], { authorization: `Bearer ${access}` });
    expect(res.status).toBe(201);
    expect(await Order.objects.count()).toBe(before + 1);
  });

  it("a body declared too large is 413 before it is read; an undeclared one when it grows too large", async () => {
    const big = JSON.stringify({ username: "big", password: "x".repeat(3_000_000) });
    const declared = await post("/api/v1/auth/jwt/", [big], { "content-length": String(big.length) });
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ detail: "Request body is too large." });
    const pieces = Array.from({ length: 30 }, (_, i) => big.slice(i * 100_000, (i + 1) * 100_000));
    const chunked = await post("/api/v1/auth/jwt/", pieces);
    expect(chunked.status).toBe(413);
    // The connection still serves the next request.
    expect((await post("/api/v1/auth/jwt/", [login])).status).toBe(200);
  });

  it("malformed JSON is DRF's 400", async () => {
    const res = await post("/api/v1/auth/jwt/", ['{"username": "admin", ']);
    expect(res.status).toBe(400);
    expect(String(res.body.detail)).toMatch(/^JSON parse error - /);
  });
});
