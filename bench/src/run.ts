// `pnpm bench [--full] [--fresh] [--db sqlite|postgres] [--endpoint NAME]`: both servers as
// separate processes on the same database, bodies compared first, then warm-up and alternating
// timed runs (A B A B …) per endpoint; a table, the verdicts, and results/latest.json.
// `--db` and `--endpoint` narrow a run to the rows under study (a partial run: no latest.json).

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type RunResult, timedRun } from "./load.js";
import { resultsDir } from "./paths.js";
import { type DatabaseKind, prepareDatabase, refillStock } from "./prepare.js";
import {
  type BenchRequest,
  comparable,
  comparableHead,
  ORDER_PRODUCT,
  ORDER_REQUEST,
  obtainAccessToken,
  READ_REQUESTS,
  requestHeaders,
  send,
} from "./requests.js";
import { type RunningServer, type ShopApiOptions, startBaseline, startShopApi } from "./servers.js";
import { type EndpointSummary, ratios, summarizeServer, table, verdicts } from "./stats.js";

interface Plan {
  databases: DatabaseKind[];
  connections: number[];
  pairs: number;
  seconds: number;
  warmupSeconds: number;
  /** Data sets beyond x1, for the product list only (latency must stay flat with size). */
  scaling: number[];
}

const QUICK: Plan = {
  databases: ["sqlite"],
  connections: [32],
  pairs: 4,
  seconds: 2,
  warmupSeconds: 2,
  scaling: [],
};
const FULL: Plan = {
  databases: ["sqlite", "postgres"],
  connections: [1, 32],
  pairs: 8,
  seconds: 2,
  warmupSeconds: 2,
  scaling: [20],
};

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Same status, head and bytes on both servers, or the timing would compare different work. */
async function checkSameAnswers(
  shop: RunningServer,
  base: RunningServer,
  requests: BenchRequest[],
  token: string,
) {
  for (const req of requests) {
    // The headers the timed runs send: the token only on the requests that are timed with it.
    const headers = requestHeaders(req, token);
    const [a, b] = await Promise.all([send(shop.origin, req, headers), send(base.origin, req, headers)]);
    const same =
      a.status === b.status &&
      comparableHead(a.headers) === comparableHead(b.headers) &&
      comparable(req, a.body) === comparable(req, b.body);
    if (a.status < 200 || a.status > 299 || !same)
      throw new Error(
        `${req.path}: shop-api ${a.status} and baseline ${b.status} differ:\n${comparableHead(a.headers)}\n${a.body.slice(0, 400)}\n${comparableHead(b.headers)}\n${b.body.slice(0, 400)}`,
      );
  }
}

/** The shop-api's product response cache on: separate rows, outside the verdicts (the baseline has no cache). */
const CACHED = { cacheProducts: true } as const;
const CACHED_REQUESTS = READ_REQUESTS.filter(
  (r) => r.name === "product list page 5" || r.name === "product detail",
);

async function benchTarget(
  db: DatabaseKind,
  scale: number,
  requests: BenchRequest[],
  plan: Plan,
  fresh: boolean,
  options: ShopApiOptions = {},
): Promise<EndpointSummary[]> {
  const url = await prepareDatabase({ db, scale, fresh, log });
  const [shop, base] = await Promise.all([
    startShopApi(url, [], { ...options, compiled: true }),
    startBaseline(url, [], { compiled: true }),
  ]);
  const suffix = options.cacheProducts ? " [shop-api product cache on]" : "";
  const rows: EndpointSummary[] = [];
  try {
    const token = await obtainAccessToken(shop.origin);
    await refillStock(url, ORDER_PRODUCT);
    await checkSameAnswers(shop, base, requests, token);
    for (const connections of plan.connections) {
      for (const req of requests) {
        for (const server of [base, shop])
          await timedRun(server, req, connections, plan.warmupSeconds, token);
        const runs: RunResult[] = [];
        for (let pair = 0; pair < plan.pairs; pair++) {
          // A B, B A, A B, ...: whichever server goes second in a pair (after the other's load,
          // with the load generator's garbage from it) is not always the same one.
          for (const server of pair % 2 === 0 ? [base, shop] : [shop, base])
            runs.push(await timedRun(server, req, connections, plan.seconds, token));
        }
        const baseRuns = runs.filter((r) => r.server === "baseline");
        const shopRuns = runs.filter((r) => r.server === "shop-api");
        const baseline = summarizeServer(baseRuns);
        const shopApi = summarizeServer(shopRuns);
        const row: EndpointSummary = {
          db,
          scale,
          connections,
          endpoint: `${req.name}${suffix}`,
          path: req.path,
          ...(options.cacheProducts ? { informational: true } : {}),
          baseline,
          shopApi,
          ratio: ratios(shopRuns, baseRuns),
          failures: runs.reduce((n, r) => n + r.failures, 0),
          runs,
        };
        rows.push(row);
        log(
          `  ${db} x${scale} c=${connections} ${row.endpoint}: baseline ${Math.round(baseline.reqPerSec.median)} req/s, shop-api ${Math.round(shopApi.reqPerSec.median)} req/s (${row.ratio.throughput.toFixed(2)}x)${row.failures ? `, ${row.failures} FAILED requests` : ""}`,
        );
      }
    }
  } finally {
    await Promise.all([shop.stop(), base.stop()]);
  }
  return rows;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      full: { type: "boolean" },
      fresh: { type: "boolean" },
      db: { type: "string" },
      endpoint: { type: "string" },
    },
  });
  const full = values.full ? FULL : QUICK;
  const databases = values.db === undefined ? full.databases : [values.db];
  for (const db of databases)
    if (db !== "sqlite" && db !== "postgres") throw new Error(`--db: sqlite or postgres, not "${db}"`);
  const plan: Plan = { ...full, databases: databases as DatabaseKind[] };
  const only = values.endpoint;
  const known = [...READ_REQUESTS, ORDER_REQUEST];
  const pick = (requests: BenchRequest[]) =>
    only === undefined ? requests : requests.filter((r) => r.name === only);
  if (pick(known).length === 0)
    throw new Error(`--endpoint: no benchmarked request "${only}": ${known.map((r) => r.name).join(", ")}`);
  const started = new Date();
  log(
    `bench (${values.full ? "full" : "quick"}${only === undefined ? "" : `, only "${only}"`}): ${plan.databases.join(", ")}; c=${plan.connections.join(", ")}; ${plan.pairs} pairs of ${plan.seconds} s; Node ${process.version}, ${cpus().length} cores`,
  );
  const rows: EndpointSummary[] = [];
  const bench = async (
    db: DatabaseKind,
    scale: number,
    requests: BenchRequest[],
    options?: ShopApiOptions,
  ) => {
    const picked = pick(requests);
    if (picked.length)
      rows.push(...(await benchTarget(db, scale, picked, plan, values.fresh === true, options)));
  };
  for (const db of plan.databases) {
    await bench(db, 1, [...READ_REQUESTS, ORDER_REQUEST]);
    await bench(db, 1, CACHED_REQUESTS, CACHED);
    const list = READ_REQUESTS.filter((r) => r.name === "product list page 5");
    for (const scale of plan.scaling) await bench(db, scale, list);
  }

  log("");
  log(table(rows));
  log("");
  for (const line of verdicts(rows)) log(line);
  if (only !== undefined || values.db !== undefined)
    log("(a partial run: the verdicts cover the rows above only)");
  const failures = rows.reduce((n, r) => n + r.failures, 0);
  if (failures) log(`FAIL  ${failures} requests were not answered 2xx: the numbers above are not valid`);

  mkdirSync(resultsDir, { recursive: true });
  const report = {
    date: started.toISOString(),
    // a run narrowed by --db/--endpoint covers some rows only: its verdicts are not the targets'
    partial: values.db !== undefined || only !== undefined,
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    plan,
    rows,
    verdicts: verdicts(rows),
  };
  const file = join(resultsDir, `bench-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  // latest.json tracks the complete runs
  if (!report.partial) writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  log(`\nresults: ${file}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
