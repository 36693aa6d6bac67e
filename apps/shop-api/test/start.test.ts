// The production command: the built service (dist/) as a node:cluster of two
// workers sharing one port, stopped gracefully with SIGTERM — so the tests also
// prove the published build runs, not only the sources.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const appDir = resolve(root, "apps/shop-api");
const tsc = resolve(root, "node_modules/.bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "shop-start-"));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, "db.sqlite3")}`,
  APP_ENV: "production",
  SECRET_KEY: "start-test-secret",
  LOG_LEVEL: "warn",
};

beforeAll(() => {
  // `pnpm test` has just built everything (and other test files read dist/ meanwhile): only
  // a run of this file on its own compiles, in the layers' dependency order, the app last.
  if (process.env.X_WORKSPACE_BUILT !== "1") {
    for (const pkg of ["models", "serializers", "views", "routers", "auth", "filters"]) {
      execFileSync(tsc, ["-p", resolve(root, "packages", pkg, "tsconfig.build.json")], { stdio: "pipe" });
    }
    execFileSync(tsc, ["-p", resolve(appDir, "tsconfig.build.json")], { stdio: "pipe" });
  }
  execFileSync(process.execPath, ["dist/manage.js", "migrate"], { cwd: appDir, env, stdio: "pipe" });
  execFileSync(process.execPath, ["dist/manage.js", "loaddata", "fixtures/shop.json"], {
    cwd: appDir,
    env,
    stdio: "pipe",
  });
}, 180_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function start(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ["dist/manage.js", "start", "--workers", "2", "--port", "0"], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not listen:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ports = [...output.matchAll(/listening on http:\/\/localhost:(\d+)\//g)].map((m) => m[1]);
      if (ports.length === 2) {
        clearTimeout(timer);
        expect(ports[0]).toBe(ports[1]); // both workers share the port
        resolvePromise({ child, base: `http://127.0.0.1:${ports[0]}`, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`start exited with ${code}:\n${output}`)));
  });
}

it("serves from two workers on one port and stops gracefully on SIGTERM", async () => {
  const { child, base, output } = await start();
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => fetch(`${base}/api/v1/products/?page_size=1`)),
  );
  expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(((await answers[0]!.json()) as { count: number }).count).toBe(487);
  // The service's Node response writes the hardening headers and request ids (no middleware).
  const ids = new Set(answers.map((r) => r.headers.get("x-request-id")));
  expect(ids.size).toBe(20);
  for (const r of answers) {
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("same-origin");
    expect(r.headers.get("x-powered-by")).toBeNull();
    expect(r.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    // Django's set: no X-XSS-Protection (no current browser has the filter it switched).
    expect(r.headers.get("x-xss-protection")).toBeNull();
  }
  const pids = new Set(output().match(/\(pid (\d+)\)/g));
  expect(pids.size).toBe(2);
  child.removeAllListeners("exit");
  const code = await new Promise<number | null>((resolveExit) => {
    child.on("exit", (c) => resolveExit(c));
    child.kill("SIGTERM");
  });
  expect(code).toBe(0);
}, 120_000);
