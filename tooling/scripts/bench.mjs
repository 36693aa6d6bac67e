#!/usr/bin/env node
// `pnpm bench [--full] [--fresh] [--profile]`: the benchmarks of bench/ (see bench/README.md).
// Never part of `pnpm test`: timing does not fail CI.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bench = fileURLToPath(new URL("../../bench/", import.meta.url));
const args = process.argv.slice(2);
const script = args.includes("--profile") ? "src/profile.ts" : "src/run.ts";
const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args.filter((a) => a !== "--profile")], {
  cwd: bench,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
