// Shared tools of the security tests: HS256 tokens forged with node:crypto
// (no JWT library: the tests must not share the code under test), a check of
// DRF's error shapes, and a tiny deterministic PRNG for the fuzz pass.
import { createHmac } from "node:crypto";
import type { APIClient, TestResponse } from "@x/views";
import type { TestShop } from "../setup.js";

/** The SECRET_KEY createTestShop configures. */
export const TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256";

const b64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

/** A compact JWS `header.payload.signature` signed with HMAC-SHA256 under `secret`. */
export function signHs256(
  payload: Record<string, unknown>,
  secret: string = TEST_SECRET,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** The (unverified) claims of a compact JWT. */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Claims of a valid access token for `userId`, as the shop issues them, with `overrides` applied. */
export function accessClaims(
  userId: unknown,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: "access",
    exp: now + 600,
    iat: now,
    jti: `forged${now}${Math.random().toString(16).slice(2)}`,
    user_id: userId,
    ...overrides,
  };
}

/** A JWT pair from the shop's login endpoint. */
export async function jwtPair(
  t: TestShop,
  username: string,
  password: string,
): Promise<{ access: string; refresh: string }> {
  const res = await t.client().post("/api/v1/auth/jwt/", { username, password });
  if (res.status !== 200) throw new Error(`jwt login ${username}: ${res.status} ${res.text}`);
  return res.data as { access: string; refresh: string };
}

/** GET /users/me/ with `Authorization: <header>`. */
export function meWith(t: TestShop, header: string): Promise<TestResponse> {
  return t.client().get("/api/v1/users/me/", { headers: { Authorization: header } });
}

function isErrorList(value: unknown): boolean {
  return Array.isArray(value) && value.every((m) => typeof m === "string" || isFieldErrors(m));
}

/** DRF's validation shape: field → messages, nested objects, or lists aligned with list items. */
export function isFieldErrors(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value).every((v) => isErrorList(v) || isFieldErrors(v));
}

/** True when `body` is a DRF error body: `{"detail": "..."}` (plus simplejwt's `code`/`messages`) or field errors. */
export function isDrfErrorBody(body: unknown): boolean {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  if ("detail" in record) return typeof record.detail === "string";
  return Object.keys(record).length > 0 && isFieldErrors(record);
}

/** mulberry32: a seeded PRNG, so a fuzz failure replays exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sends a raw body (`contentType` defaults to JSON) as is. */
export function sendRaw(
  client: APIClient,
  method: string,
  path: string,
  body: string,
  contentType = "application/json",
): Promise<TestResponse> {
  return client.request(method, path, body, { contentType });
}
