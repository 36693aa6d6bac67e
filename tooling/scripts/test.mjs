#!/usr/bin/env node
// The README's test command: build every package (the consumer check imports
// the built dist/), then run every test of every package on every database.
import { spawnSync } from "node:child_process";

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
// Tests that run built output (the shop-api's production command) need not build again.
run("pnpm", ["exec", "vitest", "run", ...process.argv.slice(2)], { X_WORKSPACE_BUILT: "1" });
