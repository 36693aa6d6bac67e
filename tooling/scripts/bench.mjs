#!/usr/bin/env node
// `pnpm bench [--full] [--fresh] [--db D] [--endpoint NAME]`: shop-api against the hand-written baseline (bench/README.md).
// `pnpm bench --profile [--perf] [--endpoint NAME] [--scale N] [--db D]`: the shop-api under node --cpu-prof (or Linux perf).
// `pnpm bench --alloc [--endpoint NAME] [--db D] [--concurrency C]`: bytes allocated, GC and CPU per request of both servers (--trace-gc).
// `pnpm bench --micro`: the packages' own micro-benchmarks (their `bench` scripts, vitest bench).
// `pnpm bench --instructions [--http [--cache-sim]] [--endpoint NAME] [--db sqlite|postgres]`: instructions per request of both servers, in one process or (--http) as served (callgrind; --cache-sim: with simulated L1 misses).
// Never part of `pnpm test`: timing does not fail CI.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bench = fileURLToPath(new URL("../../bench/", import.meta.url));
const args = process.argv.slice(2);

const run = (cmd, argv, cwd) => spawnSync(cmd, argv, { cwd, stdio: "inherit" }).status ?? 1;

if (args.includes("--micro")) {
  // Every workspace package under packages/ that has a `bench` script.
  process.exit(
    run("npx", ["pnpm@12.4.2", "-r", "--filter", "./packages/*", "--if-present", "run", "bench"], root),
  );
}
// Both servers run compiled, as deployed: build the shop-api (with its packages) and the baseline first.
const built = run(
  "npx",
  [
    "pnpm@12.4.2",
    "exec",
    "turbo",
    "run",
    "build",
    "--filter=shop-api...",
    "--filter=@x/bench",
    "--output-logs=errors-only",
  ],
  root,
);
if (built !== 0) process.exit(built);
const script = args.includes("--profile")
  ? "src/profile.ts"
  : args.includes("--instructions")
    ? "src/instructions/count.ts"
    : args.includes("--alloc")
      ? "src/alloc/run.ts"
      : "src/run.ts";
const modes = new Set(["--profile", "--alloc"]);
process.exit(run(process.execPath, ["--import", "tsx", script, ...args.filter((a) => !modes.has(a))], bench));
