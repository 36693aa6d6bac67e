// `pnpm bench --profile [--perf] [--endpoint NAME] [--seconds N] [--scale N] [--db sqlite|postgres]`:
// the shop-api under `node --cpu-prof` (or Linux `perf` with --perf) while one benchmarked request
// is hammered (c=32), then a summary of where the time went (results/profile/).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type CpuProfile, formatSummary, summarizeProfile } from "./cpu-profile.js";
import { type RunResult, timedRun } from "./load.js";
import { resultsDir } from "./paths.js";
import { formatPerfLines, parsePerfReport, perfRecordArgs, perfReportArgs } from "./perf-profile.js";
import { type DatabaseKind, prepareDatabase } from "./prepare.js";
import { READ_REQUESTS } from "./requests.js";
import { startShopApi } from "./servers.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: "string", default: "product list page 5" },
      seconds: { type: "string", default: "10" },
      scale: { type: "string", default: "1" },
      db: { type: "string", default: "sqlite" },
      perf: { type: "boolean", default: false },
    },
  });
  if (values.db !== "sqlite" && values.db !== "postgres")
    throw new Error(`--db sqlite|postgres, not ${values.db}`);
  const db = values.db as DatabaseKind;
  const req = READ_REQUESTS.find((r) => r.name === values.endpoint);
  if (!req)
    throw new Error(`no benchmarked request "${values.endpoint}": ${READ_REQUESTS.map((r) => r.name)}`);
  const dir = join(resultsDir, "profile");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const url = await prepareDatabase({ db, scale: Number(values.scale), log: console.log });
  const seconds = Number(values.seconds);
  const what = `${req.method} ${req.path} (${req.name}), ${db} x${values.scale}, c=32, ${seconds} s`;
  if (values.perf) {
    const text = await perfProfile(url, req, seconds, dir, what);
    process.stdout.write(`${text}\n\nperf data: ${join(dir, "perf.data")} (perf report -i it)\n`);
    return;
  }
  const shop = await startShopApi(url, ["--cpu-prof", "--cpu-prof-dir", dir], { compiled: true });
  await timedRun(shop, req, 32, 2); // warm-up: the profile is of the steady state as much as possible
  const run = await timedRun(shop, req, 32, seconds);
  await shop.stop(); // the profile is written when the process exits
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const text = [
    `${what}: ${Math.round(run.reqPerSec)} req/s under the profiler`,
    formatSummary(summarizeProfile(profile)),
  ].join("\n\n");
  writeFileSync(join(dir, "summary.txt"), `${text}\n`);
  process.stdout.write(`${text}\n\nprofile: ${join(dir, file)}\n`);
}

/** The shop-api sampled by `perf record` during a timed run; the self and inclusive listings. */
async function perfProfile(
  url: string,
  req: (typeof READ_REQUESTS)[number],
  seconds: number,
  dir: string,
  what: string,
): Promise<string> {
  if (spawnSync("perf", ["--version"]).status !== 0)
    throw new Error("--perf needs Linux perf on the PATH (Debian: apt-get install linux-perf)");
  const data = join(dir, "perf.data");
  // V8 logs code events for the map; its log goes with the results, not into the cwd
  const v8Log = `--logfile=${join(dir, "v8.log")}`;
  const shop = await startShopApi(url, ["--perf-basic-prof", "--no-logfile-per-isolate", v8Log], {
    compiled: true,
  });
  let run: RunResult;
  try {
    await timedRun(shop, req, 32, 2);
    const recorder = spawn("perf", perfRecordArgs(shop.pid, seconds, data), { stdio: "ignore" });
    const recorded = new Promise<number | null>((done) => recorder.once("exit", done));
    run = await timedRun(shop, req, 32, seconds);
    if ((await recorded) !== 0) throw new Error(`perf record failed (is perf_event_paranoid too strict?)`);
  } finally {
    await shop.stop();
  }
  const report = (mode: "self" | "children") => {
    const r = spawnSync("perf", perfReportArgs(data, mode), {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`perf report failed: ${r.stderr}`);
    return parsePerfReport(r.stdout);
  };
  const text = [
    `${what}: ${Math.round(run.reqPerSec)} req/s under perf`,
    `Self (the symbol's own samples):\n${formatPerfLines(report("self"), 40)}`,
    `With callees, JavaScript frames only:\n${formatPerfLines(
      report("children").filter((l) => l.symbol.includes("JS:")),
      40,
    )}`,
  ].join("\n\n");
  writeFileSync(join(dir, "perf-summary.txt"), `${text}\n`);
  return text;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
