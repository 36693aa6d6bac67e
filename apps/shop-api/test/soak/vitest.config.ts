// The bounded soak: its own project, run once (not per database pass) on PostgreSQL +
// Redis as in production. Alone: `npx vitest run -c test/soak/vitest.config.ts`
// (SOAK_SECONDS, default 120).
import { resolve } from "node:path";
import { defineProject } from "vitest/config";

const seconds = Number(process.env.SOAK_SECONDS ?? 120);

export default defineProject({
  root: resolve(import.meta.dirname, "../.."),
  // As every workspace project (tooling/vitest): packages resolve through their sources.
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "shop-api-soak",
    include: ["test/soak/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: (seconds + 120) * 1000,
    hookTimeout: 180_000,
  },
});
