// The two servers under test, each its own process (own heap, own event loop),
// compiled and run by plain Node for timing (as deployed), or from source through tsx for the
// body-diff test: shop-api's manage.ts runserver and the baseline.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { ThrottleRates } from "./baseline/throttle.js";
import { benchDir, shopApiDir } from "./paths.js";

export type ServerName = "shop-api" | "baseline";

export interface RunningServer {
  name: ServerName;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  pid: number;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  /** CPU time the process has used so far (user + system, every thread), in ms, from /proc. */
  cpuMs(): number;
  /** What the server wrote to stdout and stderr, when started with `captureOutput` (else ""). */
  output(): string;
  stop(): Promise<void>;
}

/** Signs the shop-api's JWTs; the baseline verifies the same tokens. */
export const BENCH_SECRET_KEY = "bench-secret-key-that-is-long-enough-for-hs256";

/** Rates so high they never refuse: the throttle checks still run on both servers. */
export const BENCH_THROTTLE_RATES = { anon: "100000000/s", user: "100000000/s" } as const;

export interface StartOptions {
  /** THROTTLE_ANON and THROTTLE_USER of both servers (default: BENCH_THROTTLE_RATES). */
  throttleRates?: ThrottleRates;
  /**
   * Run the compiled JavaScript (`apps/shop-api/dist`, `bench/dist`) with plain Node, as deployed
   * (`pnpm bench` builds both first); else the TypeScript sources through tsx (the body-diff test,
   * which must see the current sources without a build).
   */
  compiled?: boolean;
  /** Keep everything the server writes (for `output()`: --trace-gc lines); dropped otherwise. */
  captureOutput?: boolean;
}

export interface ShopApiOptions extends StartOptions {
  /**
   * The shop-api's product response cache (SHOP_CACHE_PRODUCTS). Off by default: the
   * baseline caches nothing but the category list, so only uncached timings compare like
   * with like; the runner adds the cached figures as separate, informational rows.
   */
  cacheProducts?: boolean;
}

/** The anon and user rates both servers read (the contract's THROTTLE_ANON and THROTTLE_USER). */
function throttleEnv(options: StartOptions): Record<string, string> {
  const rates = options.throttleRates ?? BENCH_THROTTLE_RATES;
  return { THROTTLE_ANON: rates.anon, THROTTLE_USER: rates.user };
}

/** Production settings with throttle rates so high they never trigger (the throttle checks still run). */
export function shopApiEnv(databaseUrl: string, options: ShopApiOptions = {}): Record<string, string> {
  return {
    SHOP_CACHE_PRODUCTS: options.cacheProducts ? "1" : "0",
    APP_ENV: "production",
    SECRET_KEY: BENCH_SECRET_KEY,
    DATABASE_URL: databaseUrl,
    ...throttleEnv(options),
    THROTTLE_AUTH: "100000000/s",
    // Request logging off on both sides: the baseline logs nothing either.
    LOG_LEVEL: "warn",
    PORT: "0",
  };
}

/** The baseline's environment: the same key and throttle rates as the shop-api's. */
export function baselineEnv(databaseUrl: string, options: StartOptions = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: "0",
    SECRET_KEY: BENCH_SECRET_KEY,
    ...throttleEnv(options),
  };
}

function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

// Linux reports a process's CPU time in clock ticks of USER_HZ, 100 a second on every
// architecture Node runs on (`getconf CLK_TCK`).
const MS_PER_TICK = 10;

function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces and parentheses): utime is the 14th
  // field of the line, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

function waitForListening(name: ServerName, child: ChildProcess, capture: boolean): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start in 90 s:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/[^:]+:(\d+)\//.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      if (capture) child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      else child.stdout?.resume();
      const pid = child.pid ?? 0;
      resolve({
        name,
        origin: `http://127.0.0.1:${port}`,
        pid,
        rss: () => readRss(pid),
        cpuMs: () => readCpuMs(pid),
        output: () => (capture ? output : ""),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`));
    });
  });
}

export function startShopApi(
  databaseUrl: string,
  nodeArgs: string[] = [],
  options: ShopApiOptions = {},
): Promise<RunningServer> {
  const entry = options.compiled
    ? ["dist/manage.js", "runserver"]
    : ["--conditions=source", "--import", "tsx", "src/manage.ts", "runserver"];
  return spawnServer(
    "shop-api",
    shopApiDir,
    [...nodeArgs, ...entry],
    shopApiEnv(databaseUrl, options),
    options.captureOutput === true,
  );
}

export function startBaseline(
  databaseUrl: string,
  nodeArgs: string[] = [],
  options: StartOptions = {},
): Promise<RunningServer> {
  const entry = options.compiled
    ? ["dist/baseline/server.js"]
    : ["--import", "tsx", "src/baseline/server.ts"];
  return spawnServer(
    "baseline",
    benchDir,
    [...nodeArgs, ...entry],
    baselineEnv(databaseUrl, options),
    options.captureOutput === true,
  );
}

/** `node <args>` in `cwd` with `env` over this process's environment, once it listens. */
function spawnServer(
  name: ServerName,
  cwd: string,
  args: string[],
  env: Record<string, string>,
  capture: boolean,
): Promise<RunningServer> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return waitForListening(name, child, capture);
}
