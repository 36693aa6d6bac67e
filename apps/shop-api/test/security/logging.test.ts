// OWASP API8:2023 Security Misconfiguration, the logs: with request logging on,
// no password, token, Authorization header or query string reaches a log line,
// and a client's X-Request-Id is echoed only when it is a plain identifier (no
// log or header injection).
import type { TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestShop, PASSWORD, type TestShop } from "../setup.js";

let t: TestShop;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestShop({ LOG_LEVEL: "debug" });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

describe("API8: logs", () => {
  it("log one JSON line per request with no credentials, tokens or query strings", async () => {
    const login = await t.client().post("/api/v1/auth/jwt/", { username: "margaret16", password: PASSWORD });
    const { access, refresh } = login.data as { access: string; refresh: string };
    const token = await t
      .client()
      .post("/api/v1/auth/token/", { username: "margaret16", password: PASSWORD });
    const key = (token.data as { token: string }).token;
    await t.client().get(`/api/v1/users/me/?token=${key}&access=${access}`, {
      headers: { Authorization: `Bearer ${access}`, Cookie: "sessionid=secret-session-value" },
    });
    await t.client().post("/api/v1/auth/jwt/refresh/", { refresh });
    await t
      .client()
      .post("/api/v1/users/", { username: "logme", email: "l@example.com", password: "logged-password-1" });
    await t.client().get("/api/v1/users/me/", { headers: { Authorization: `Token ${key}` } });

    const requestLines = lines.filter((l) => l.includes('"message":"request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const line of requestLines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry).sort()).toEqual(
        ["duration_ms", "level", "message", "method", "path", "request_id", "status", "time"].sort(),
      );
      expect(entry.path as string).not.toContain("?");
    }
    const all = lines.join("");
    for (const secret of [
      PASSWORD,
      "logged-password-1",
      access,
      refresh,
      key,
      "secret-session-value",
      "Bearer",
      "Token ",
    ])
      expect(all.includes(secret), `log contains ${secret.slice(0, 12)}`).toBe(false);
  });

  it("a hostile X-Request-Id is replaced, a plain one echoed", async () => {
    const send = (id: string): Promise<TestResponse> =>
      t.client().get("/api/v1/categories/", { headers: { "X-Request-Id": id } });
    expect((await send("abc-123.DEF_4")).headers.get("x-request-id")).toBe("abc-123.DEF_4");
    for (const id of ['x" , "level":"error', "a".repeat(129), "<script>", "id with spaces", "ü"]) {
      const before = lines.length;
      const res = await send(id);
      expect(res.headers.get("x-request-id"), id).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.slice(before).join(""), id).not.toContain(id);
    }
  });
});
