// Workspace-wide test run: every package is a vitest project, once per
// database. TEST_DATABASES picks the passes (default: sqlite and postgres),
// so one `vitest run` proves the same tests on both and ends with one summary.
import { existsSync, readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

const dirs = ["packages", "apps", "tooling"].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${group}/${d.name}/vitest.config.ts`))
    .map((d) => `${group}/${d.name}`),
);
// The benchmark package's tests (baseline and shop-api answer byte-identical bodies) run too; timing never does.
if (existsSync("bench/vitest.config.ts")) dirs.push("bench");
const databases = (process.env.TEST_DATABASES ?? "sqlite,postgres").split(",").map((s) => s.trim());

// The shop-api's fault tests start their own PostgreSQL cluster and Redis (and break them): one
// project, its files one at a time, run once rather than per database pass.
const faults = {
  extends: "./apps/shop-api/test/faults/vitest.config.ts",
  root: "./apps/shop-api",
  test: { name: "shop-api-faults" },
};

// The shop-api's bounded soak (a real process, 64 connections, SOAK_SECONDS) runs once, on
// PostgreSQL + Redis whatever the pass.
const soak = {
  extends: "./apps/shop-api/test/soak/vitest.config.ts",
  root: "./apps/shop-api",
  test: { name: "shop-api-soak" },
};

export default defineConfig({
  test: {
    projects: [
      ...databases.flatMap((db) =>
        dirs
          // tooling checks do not touch a database: run them once
          .filter((dir) => db === databases[0] || !dir.startsWith("tooling/"))
          .map((dir) => ({
            extends: `./${dir}/vitest.config.ts`,
            root: `./${dir}`,
            test: {
              name: `${dir.split("/")[1] ?? dir}:${db}`,
              env: { TEST_DB: db },
            },
          })),
      ),
      faults,
      soak,
    ],
  },
});
