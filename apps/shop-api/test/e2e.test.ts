// End to end: the quick-start command as a real process (its own database:
// a temporary SQLite file, or a fresh PostgreSQL schema + the real Redis on the
// PostgreSQL pass), called over HTTP, restarted without duplicating the demo
// data, and stopped gracefully with SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createDatabase } from "@x/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = resolve(import.meta.dirname, "..");
const onPostgres = process.env.TEST_DB === "postgres";
const pgBase = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `e2e_${process.pid}_${randomBytes(3).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "shop-e2e-"));
const env: Record<string, string> = onPostgres
  ? {
      DATABASE_URL: `${pgBase}?schema=${schema}`,
      REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15",
      CACHE_KEY_PREFIX: `e2e-${schema}:`,
    }
  : { DATABASE_URL: `sqlite:${join(dir, "db.sqlite3")}` };

beforeAll(async () => {
  if (!onPostgres) return;
  const admin = createDatabase(pgBase);
  await admin.execute(`CREATE SCHEMA "${schema}"`);
  await admin.close();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!onPostgres) return;
  const admin = createDatabase(pgBase);
  await admin.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.close();
});

/** Starts `pnpm start`'s command (manage quickstart) and resolves with its base URL once it listens. */
function quickstart(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  // node itself with tsx's loader (not the tsx wrapper), so SIGTERM reaches the server's own handler.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", "src/manage.ts", "quickstart", "--port", "0"],
    {
      cwd: appDir,
      env: { ...process.env, ...env, LOG_LEVEL: "info", APP_ENV: "development", SECRET_KEY: "e2e-secret" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`quickstart did not listen:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/listening on (http:\/\/localhost:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, base: m[1]!, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`quickstart exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolvePromise(code));
    child.kill("SIGTERM");
  });
}

describe("the quick start, as a real process", () => {
  it("migrates, loads the demo data once, serves the API, logs safely and stops gracefully", async () => {
    const first = await quickstart();
    const root = await fetch(`${first.base}/api/v1/`);
    expect(root.status).toBe(200);
    expect(((await root.json()) as { products: string }).products).toBe(`${first.base}/api/v1/products/`);
    expect(await (await fetch(`${first.base}/healthz`)).json()).toEqual({ status: "ok" });
    const login = await fetch(`${first.base}/api/v1/auth/token/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "manager", password: "shop-pass-123" }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    expect(await stop(first.child)).toBe(0);
    // The request log has method, path, status, duration and id — never the password or token.
    const log = first.output();
    expect(log).toMatch(/"method":"POST","path":"\/api\/v1\/auth\/token\/","status":200/);
    expect(log).not.toContain("shop-pass-123");
    expect(log).not.toContain(token);

    const second = await quickstart();
    expect(second.output()).toContain("Demo data already present");
    const products = await fetch(`${second.base}/api/v1/products/?page_size=1`);
    expect(((await products.json()) as { count: number }).count).toBe(487);
    expect(await stop(second.child)).toBe(0);
  }, 180_000);
});
