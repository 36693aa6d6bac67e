// The shop-api as a real process for the fault tests: the built `manage
// runserver` or `start` (dist/, compiled by global-setup.ts), its database
// prepared in this process, and an HTTP client bounded in time.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { closeDatabase, configureDatabase, loadData } from "@x/models";
import { DEMO_FIXTURE, migrateProject } from "../../src/project.js";

export const appDir = resolve(import.meta.dirname, "../..");
export const PASSWORD = "shop-pass-123";

/** Migrates `databaseUrl` and loads the demo fixture (487 products, users with PASSWORD). */
export async function prepareDatabase(databaseUrl: string): Promise<void> {
  configureDatabase(databaseUrl);
  try {
    await migrateProject();
    await loadData([DEMO_FIXTURE]);
  } finally {
    await closeDatabase();
  }
}

export interface ShopProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  output(): string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export const BASE_ENV: Record<string, string> = {
  APP_ENV: "production",
  SECRET_KEY: "fault-tests-secret-key-long-enough-for-hs256",
  LOG_LEVEL: "warn",
  THROTTLE_ANON: "1000000/hour",
  THROTTLE_USER: "1000000/hour",
  THROTTLE_AUTH: "1000000/min",
};

/** Starts `manage <command> --port 0` and resolves once every worker listens (`workers` lines). */
export function startShop(
  env: Record<string, string>,
  options: { command?: "runserver" | "start"; workers?: number } = {},
): Promise<ShopProcess> {
  const command = options.command ?? "runserver";
  const args = ["dist/manage.js", command, "--port", "0"];
  if (command === "start") args.push("--workers", String(options.workers ?? 2));
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: { ...process.env, ...BASE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once("exit", (code, signal) => done({ code, signal }));
  });
  const expected = command === "start" ? (options.workers ?? 2) : 1;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`shop-api did not listen within 60 s:\n${output}`));
    }, 60_000);
    const poll = setInterval(() => {
      const ports = [...output.matchAll(/listening on http:\/\/localhost:(\d+)\//g)].map((m) => Number(m[1]));
      if (ports.length < expected) return;
      clearInterval(poll);
      clearTimeout(timer);
      const port = ports[0]!;
      resolvePromise({
        child,
        pid: child.pid!,
        port,
        base: `http://127.0.0.1:${port}`,
        output: () => output,
        exited,
        async stop(graceMs = 10_000) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.kill("SIGTERM");
          await exited;
          clearTimeout(killer);
        },
      });
    }, 50);
    void exited.then(({ code, signal }) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`shop-api exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

export interface Outcome {
  /** 0 when no HTTP response came (see `error`). */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of several endpoints; each test reads what it asserts
  body: any;
  ms: number;
  /** The network error (refused, reset, timeout) when no response came. */
  error?: string;
  /** When the request was sent (ms since the epoch). */
  at: number;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Aborts (and reports `error: "timeout"`) after this long. Default 10 s. */
  timeoutMs?: number;
}

/** One request, bounded in time; never throws: a network failure is an Outcome with `error`. */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<Outcome> {
  const at = Date.now();
  const started = performance.now();
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Token ${options.token}`;
  try {
    const res = await fetch(`${base}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let body: unknown = text;
    if (res.headers.get("content-type")?.includes("json")) body = JSON.parse(text);
    return { status: res.status, body, ms: performance.now() - started, at };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { status: 0, body: undefined, ms: performance.now() - started, error: reason, at };
  }
}

/** Logs in with the token endpoint. */
export async function login(base: string, username: string): Promise<string> {
  const res = await call(base, "/api/v1/auth/token/", {
    method: "POST",
    body: { username, password: PASSWORD },
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** DRF's answer when the database (or a fail-closed cache) cannot serve. */
export const UNAVAILABLE = { detail: "Service temporarily unavailable, try again later." };
