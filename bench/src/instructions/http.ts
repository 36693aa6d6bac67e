// `pnpm bench --instructions --http`: instructions per request of each server as it is served,
// HTTP included. The server runs under callgrind (`node --single-threaded`, compiled, the same
// entry and settings as the timed runs); a client outside valgrind (autocannon, one connection)
// sends a warm-up and then `small` or `large` requests; the two runs' difference divided by
// `large - small` is the server's user-space instructions per request: Node's HTTP parsing and
// head writing are in it (the in-process count leaves them out), the kernel's work is not.
// With Node's --perf-basic-prof map, the same runs say which symbols (JavaScript functions
// included) the instructions go to.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { benchDir, shopApiDir } from "../paths.js";
import { BENCH_HOST } from "../requests.js";
import { baselineEnv, type ServerName, shopApiEnv } from "../servers.js";
import { backgroundKind, eventTotals, parsePerfMap, perRequestCosts, selfCostsByEvent } from "./callgrind.js";
import type { Sizes } from "./count.js";

/** Requests per HTTP run: cheaper per request than in one process, but valgrind serves ~500/s. */
export const HTTP_SIZES: Record<string, Sizes> = {
  "api root": { warm: 3000, small: 2000, large: 10000 },
  "category list": { warm: 3000, small: 2000, large: 10000 },
  "product detail": { warm: 2000, small: 500, large: 2500 },
  "product list page 5": { warm: 1000, small: 300, large: 1500 },
  "product list filter+search+ordering": { warm: 200, small: 20, large: 100 },
};

export interface ServedCount {
  /** User-space instructions per request. */
  perRequest: number;
  /** Self instructions per request by symbol. */
  symbols: Map<string, number>;
  /**
   * Every event per request (`Ir`; with `cacheSim` also callgrind's simulated cache misses:
   * `I1mr`, `D1mr`, `D1mw`, `ILmr`, `DLmr`, `DLmw`).
   */
  events: Record<string, number>;
  /**
   * With `cacheSim`: the misses per request of the request's own code, without V8's compiler,
   * GC and start-up (whose share depends on when they ran, as for the instructions).
   */
  ownMisses?: Record<string, number>;
  /** With `cacheSim`: first-level misses (instruction fetches, data reads and writes) per request by symbol. */
  missSymbols?: Map<string, number>;
}

/** The simulated cache's first-level misses, counted per symbol with `cacheSim`. */
const L1_MISS_EVENTS = ["I1mr", "D1mr", "D1mw"];

interface OneRun {
  total: number;
  symbols: Map<string, number>;
  events: Record<string, number>;
  /** Per miss event, by symbol (with `cacheSim`). */
  misses?: Map<string, Map<string, number>>;
}

export interface ServedOptions {
  /**
   * Also simulate the caches (`--cache-sim=yes`): how many instruction and data reads miss the
   * first-level caches per request, which instruction counts do not show (bench/README.md,
   * "Profile": the PostgreSQL detail runs as many instructions as the baseline's, in more time).
   */
  cacheSim?: boolean;
}

function entryOf(
  server: ServerName,
  databaseUrl: string,
): { cwd: string; args: string[]; env: Record<string, string> } {
  return server === "shop-api"
    ? { cwd: shopApiDir, args: ["dist/manage.js", "runserver"], env: shopApiEnv(databaseUrl) }
    : {
        cwd: benchDir,
        args: ["dist/baseline/server.js"],
        env: baselineEnv(databaseUrl),
      };
}

function fire(origin: string, path: string, amount: number): Promise<void> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: `${origin}${path}`, connections: 1, amount, headers: { host: BENCH_HOST } },
      (error, result) => {
        if (error) return reject(error);
        const failed = result.non2xx + result.errors + result.timeouts;
        if (failed > 0) return reject(new Error(`${path}: ${failed} of ${amount} requests failed`));
        resolve();
      },
    );
  });
}

/** One server under callgrind: `warm` requests, then `requests` counted ones, then SIGINT. */
async function oneRun(
  server: ServerName,
  databaseUrl: string,
  path: string,
  warm: number,
  requests: number,
  outDir: string,
  options: ServedOptions,
): Promise<OneRun> {
  const { cwd, args, env } = entryOf(server, databaseUrl);
  const out = join(outDir, `callgrind-${server}-${requests}-${process.pid}.out`);
  const child = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      `--callgrind-out-file=${out}`,
      "--dump-instr=yes",
      ...(options.cacheSim ? ["--cache-sim=yes"] : []),
      process.execPath,
      "--single-threaded",
      "--perf-basic-prof",
      ...args,
    ],
    { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (m) {
        clearInterval(timer);
        resolve(m[1] as string);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(
        new Error(`${server} exited (${code}) before listening under callgrind:\n${output.slice(-2000)}`),
      );
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  await fire(origin, path, warm);
  await fire(origin, path, requests);
  child.kill("SIGINT");
  await exited;
  const total = /Collected\s*:\s*([\d,]+)/.exec(output)?.[1];
  if (total === undefined)
    throw new Error(`${server} under callgrind printed no total:\n${output.slice(-2000)}`);
  const mapFile = `/tmp/perf-${child.pid}.map`;
  const text = readFileSync(out, "utf8");
  const perfMap = parsePerfMap(readFileSync(mapFile, "utf8"));
  const byEvent = selfCostsByEvent(text, perfMap, options.cacheSim ? ["Ir", ...L1_MISS_EVENTS] : ["Ir"]);
  const symbols = byEvent.get("Ir") as Map<string, number>;
  byEvent.delete("Ir");
  const events = eventTotals(text);
  // BENCH_KEEP_CALLGRIND=1: the callgrind file and perf map stay for a closer look (callgrind_annotate).
  if (process.env.BENCH_KEEP_CALLGRIND === "1") console.log(`kept ${out} and ${mapFile}`);
  else {
    rmSync(out, { force: true });
    rmSync(mapFile, { force: true });
  }
  return {
    total: Number(total.replace(/,/g, "")),
    symbols,
    events,
    ...(options.cacheSim ? { misses: byEvent } : {}),
  };
}

/** Instructions per served request of `server` on `path`, overall and by symbol. */
export async function countServed(
  server: ServerName,
  databaseUrl: string,
  path: string,
  sizes: Sizes,
  outDir: string,
  options: ServedOptions = {},
): Promise<ServedCount> {
  // Side by side on the two cores: the counts do not depend on timing.
  const [small, large] = await Promise.all([
    oneRun(server, databaseUrl, path, sizes.warm, sizes.small, outDir, options),
    oneRun(server, databaseUrl, path, sizes.warm, sizes.large, outDir, options),
  ]);
  const requests = sizes.large - sizes.small;
  return {
    perRequest: Math.round((large.total - small.total) / requests),
    symbols: perRequestCosts(small.symbols, large.symbols, requests),
    events: Object.fromEntries(
      Object.keys(large.events).map((event) => [
        event,
        Math.round(((large.events[event] ?? 0) - (small.events[event] ?? 0)) / requests),
      ]),
    ),
    ...(small.misses && large.misses
      ? {
          ownMisses: ownMisses(small.misses, large.misses, requests),
          missSymbols: perRequestCosts(allMisses(small.misses), allMisses(large.misses), requests),
        }
      : {}),
  };
}

/** Each miss event per request, summed over the symbols that are the request's own code. */
function ownMisses(
  small: Map<string, Map<string, number>>,
  large: Map<string, Map<string, number>>,
  requests: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const event of L1_MISS_EVENTS) {
    const perSymbol = perRequestCosts(small.get(event) ?? new Map(), large.get(event) ?? new Map(), requests);
    let sum = 0;
    for (const [symbol, n] of perSymbol) if (backgroundKind(symbol) === undefined) sum += n;
    out[event] = Math.round(sum);
  }
  return out;
}

/** Every first-level miss event of a run, summed per symbol. */
function allMisses(byEvent: Map<string, Map<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const event of L1_MISS_EVENTS)
    for (const [symbol, n] of byEvent.get(event) ?? []) out.set(symbol, (out.get(symbol) ?? 0) + n);
  return out;
}
