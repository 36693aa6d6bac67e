// `pnpm bench --instructions [--http] [--endpoint NAME] [--db sqlite|postgres]`: instructions per request
// of each server's request cycle in one process, counted by valgrind's callgrind, on data x1
// (SQLite by default; on PostgreSQL the database server's own work is not in the count). Timings on
// the benchmark machines vary by ±15 % from run to run; instruction counts repeat within
// about 1 % (node --single-threaded: no background compiler or GC threads), so they can
// settle a change of a few percent that no timed run can. Each endpoint runs twice per server
// (the same warm-up, then `small` and `large` requests, side by side on the two cores), and
// the difference divided by `large - small` is the instructions per request, without the
// start-up. Not HTTP: the exchange's own cost is not in these figures. With `--http` each
// server is counted as served instead (http.ts), with the symbols its instructions go to.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchDir, resultsDir } from "../paths.js";
import { prepareDatabase } from "../prepare.js";
import { READ_REQUESTS } from "../requests.js";
import { type ServerName, shopApiEnv } from "../servers.js";
import { backgroundKind } from "./callgrind.js";
import { countServed, HTTP_SIZES } from "./http.js";

/** Requests per run: a warm-up, then `small` or `large` counted ones. Slow endpoints run fewer. */
export interface Sizes {
  warm: number;
  small: number;
  large: number;
}

// A run's start-up varies by some 30 million instructions: the difference of the two runs
// must span enough requests to make that small (20,000 cheap ones: ±1.5 %).
const SIZES: Record<string, Sizes> = {
  "api root": { warm: 5000, small: 5000, large: 25000 },
  "category list": { warm: 5000, small: 5000, large: 25000 },
  // The heavier requests get a longer warm-up: V8's optimising compiles must be done before
  // the counted span, or they land in it (20 % more for the detail after 500 requests).
  "product detail": { warm: 2000, small: 500, large: 4500 },
  "product list page 5": { warm: 1000, small: 300, large: 1500 },
  "product list filter+search+ordering": { warm: 200, small: 20, large: 100 },
};

/** callgrind's total ("==123== Collected : 4,383,377,691"), or undefined. */
export function collectedInstructions(stderr: string): number | undefined {
  const m = /Collected\s*:\s*([\d,]+)/.exec(stderr);
  return m ? Number((m[1] as string).replace(/,/g, "")) : undefined;
}

/** Instructions per request from two runs that differ only in how many requests they made. */
export function perRequest(small: number, large: number, sizes: Sizes): number {
  return Math.round((large - small) / (sizes.large - sizes.small));
}

function countRun(server: ServerName, path: string, warm: number, requests: number, env: NodeJS.ProcessEnv) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      "valgrind",
      [
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        process.execPath,
        "--single-threaded",
        join(benchDir, "dist/instructions/loop.js"),
        server,
        path,
        String(warm),
        String(requests),
      ],
      { env, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.once("exit", (code) => {
      const n = collectedInstructions(stderr);
      if (code === 0 && n !== undefined) resolve(n);
      else reject(new Error(`${server} ${path} under callgrind failed (${code}):\n${stderr.slice(-2000)}`));
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instructions: { type: "boolean" },
      http: { type: "boolean" },
      "cache-sim": { type: "boolean" },
      endpoint: { type: "string" },
      db: { type: "string" },
    },
  });
  const http = values.http === true;
  const cacheSim = values["cache-sim"] === true;
  if (cacheSim && !http) throw new Error("--cache-sim goes with --http (the served count)");
  const db = values.db ?? "sqlite";
  if (db !== "sqlite" && db !== "postgres") throw new Error(`--db must be sqlite or postgres, not ${db}`);
  if (spawnSync("valgrind", ["--version"]).status !== 0)
    throw new Error("pnpm bench --instructions needs valgrind (Debian: apt-get install valgrind)");
  const url = await prepareDatabase({ db, scale: 1, log: (line) => console.log(line) });
  const env = { ...process.env, ...shopApiEnv(url) };
  const requests = READ_REQUESTS.filter((r) => !values.endpoint || r.name === values.endpoint);
  if (requests.length === 0) throw new Error(`no endpoint named ${values.endpoint}`);
  console.log(
    http
      ? `instructions per request, served over HTTP (server only), ${db} x1, Node ${process.version}, callgrind`
      : `instructions per request, one process, ${db} x1, Node ${process.version}, callgrind`,
  );
  const rows: {
    endpoint: string;
    baseline: number;
    shopApi: number;
    ratio: number;
    extra?: ExtraInstructions;
    /** Per request, by server: callgrind's events (with --cache-sim, the simulated cache misses). */
    events?: Partial<Record<ServerName, Record<string, number>>>;
    /** The same misses without V8's compiler, GC and start-up (the request's own code). */
    ownMisses?: Partial<Record<ServerName, Record<string, number>>>;
    /** Where the shop-api's first-level misses beyond the baseline's are, by symbol. */
    extraMisses?: ExtraInstructions;
  }[] = [];
  mkdirSync(resultsDir, { recursive: true });
  for (const req of requests) {
    const counted: Partial<Record<ServerName, number>> = {};
    const symbols: Partial<Record<ServerName, Map<string, number>>> = {};
    const events: Partial<Record<ServerName, Record<string, number>>> = {};
    const ownMisses: Partial<Record<ServerName, Record<string, number>>> = {};
    const missSymbols: Partial<Record<ServerName, Map<string, number>>> = {};
    for (const server of ["baseline", "shop-api"] as const) {
      if (http) {
        const served = await countServed(server, url, req.path, HTTP_SIZES[req.name] as Sizes, resultsDir, {
          cacheSim,
        });
        counted[server] = served.perRequest;
        symbols[server] = served.symbols;
        events[server] = served.events;
        if (served.ownMisses) ownMisses[server] = served.ownMisses;
        if (served.missSymbols) missSymbols[server] = served.missSymbols;
        continue;
      }
      const sizes = SIZES[req.name] as Sizes;
      const [small, large] = await Promise.all([
        countRun(server, req.path, sizes.warm, sizes.small, env),
        countRun(server, req.path, sizes.warm, sizes.large, env),
      ]);
      counted[server] = perRequest(small, large, sizes);
    }
    const baseline = counted.baseline as number;
    const shopApi = counted["shop-api"] as number;
    const row = {
      endpoint: req.name,
      baseline,
      shopApi,
      ratio: shopApi / baseline,
      ...(symbols.baseline && symbols["shop-api"]
        ? { extra: extraInstructions(symbols["shop-api"], symbols.baseline) }
        : {}),
      ...(cacheSim ? { events, ownMisses } : {}),
      ...(missSymbols.baseline && missSymbols["shop-api"]
        ? { extraMisses: extraInstructions(missSymbols["shop-api"], missSymbols.baseline) }
        : {}),
    };
    rows.push(row);
    console.log(`  ${req.name}: baseline ${baseline}, shop-api ${shopApi} (${row.ratio.toFixed(2)}x)`);
    if (row.extra) console.log(formatExtra(row.extra, 25));
    if (row.events) console.log(formatMisses(row.events, "the whole run"));
    if (row.ownMisses) console.log(formatMisses(row.ownMisses, "without compiler/GC/start-up"));
    if (row.extraMisses) console.log(formatExtra(row.extraMisses, 25, "L1 misses (I1mr + D1mr + D1mw)"));
  }
  console.log(
    "\n| endpoint | baseline instr/req | shop-api instr/req | shop-api / baseline |\n|---|---|---|---|",
  );
  for (const r of rows)
    console.log(
      `| ${r.endpoint} | ${r.baseline.toLocaleString("en-US")} | ${r.shopApi.toLocaleString("en-US")} | ${r.ratio.toFixed(2)}x |`,
    );
  const file = join(resultsDir, `instructions-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ node: process.version, db, http, rows }, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
}

/** Where the shop-api's instructions beyond the baseline's go, per symbol (self, per request). */
export interface ExtraInstructions {
  /** Per-request totals without V8's compiler, garbage collector and start-up work. */
  shopApi: number;
  baseline: number;
  /** That work, per server: it differs with timing between runs more than with the request. */
  background: { shopApi: number; baseline: number };
  /** The symbols furthest apart, shop-api minus baseline, largest first (either sign). */
  symbols: { symbol: string; shopApi: number; baseline: number; difference: number }[];
}

export function extraInstructions(
  shopApi: ReadonlyMap<string, number>,
  baseline: ReadonlyMap<string, number>,
  limit = 60,
): ExtraInstructions {
  const out: ExtraInstructions = {
    shopApi: 0,
    baseline: 0,
    background: { shopApi: 0, baseline: 0 },
    symbols: [],
  };
  for (const symbol of new Set([...shopApi.keys(), ...baseline.keys()])) {
    const s = shopApi.get(symbol) ?? 0;
    const b = baseline.get(symbol) ?? 0;
    if (backgroundKind(symbol) !== undefined) {
      out.background.shopApi += s;
      out.background.baseline += b;
      continue;
    }
    out.shopApi += s;
    out.baseline += b;
    out.symbols.push({ symbol, shopApi: s, baseline: b, difference: s - b });
  }
  out.symbols.sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference));
  out.symbols.length = Math.min(out.symbols.length, limit);
  return out;
}

/** The names of callgrind's cache-simulation events, in the order they are printed. */
const MISS_EVENTS: [event: string, what: string][] = [
  ["I1mr", "instruction fetches missing L1"],
  ["D1mr", "data reads missing L1"],
  ["D1mw", "data writes missing L1"],
  ["ILmr", "instruction fetches missing the last level"],
  ["DLmr", "data reads missing the last level"],
  ["DLmw", "data writes missing the last level"],
];

/** `--cache-sim`: each server's simulated cache misses per request, side by side. */
export function formatMisses(
  events: Partial<Record<ServerName, Record<string, number>>>,
  what: string,
): string {
  const n = (x: number | undefined) =>
    (x === undefined ? "-" : Math.round(x).toLocaleString("en-US")).padStart(9);
  const lines = [
    `    simulated cache misses per request (callgrind --cache-sim=yes), ${what}: baseline  shop-api  ratio`,
  ];
  for (const [event, what] of MISS_EVENTS) {
    const b = events.baseline?.[event];
    const s = events["shop-api"]?.[event];
    if (b === undefined && s === undefined) continue;
    const ratio = b && s !== undefined ? `${(s / b).toFixed(2)}x` : "-";
    lines.push(`      ${`${event} (${what})`.padEnd(52)} ${n(b)} ${n(s)}  ${ratio}`);
  }
  return lines.join("\n");
}

export function formatExtra(extra: ExtraInstructions, limit: number, unit = "instructions"): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US").padStart(8);
  const lines = [
    `    without compiler/GC/start-up: shop-api ${n(extra.shopApi)}, baseline ${n(extra.baseline)}, difference ${n(extra.shopApi - extra.baseline)}`,
    `    compiler/GC/start-up (timing-dependent): shop-api ${n(extra.background.shopApi)}, baseline ${n(extra.background.baseline)}`,
    `    difference  shop-api  baseline  symbol (self ${unit} per request)`,
  ];
  for (const s of extra.symbols.slice(0, limit))
    lines.push(`    ${n(s.difference)}  ${n(s.shopApi)}  ${n(s.baseline)}  ${s.symbol.slice(0, 110)}`);
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("count.ts") || process.argv[1]?.endsWith("count.js")) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
