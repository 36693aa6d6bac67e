// The fault tests: their own project, one file at a time (each starts its own
// PostgreSQL cluster, Redis and shop-api processes and breaks them), run once
// rather than per database pass. Alone: `npx vitest run -c test/faults/vitest.config.ts`.
import { resolve } from "node:path";
import { defineProject } from "vitest/config";

export default defineProject({
  root: resolve(import.meta.dirname, "../.."),
  // As every workspace project (tooling/vitest): packages resolve through their sources.
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "shop-api-faults",
    include: ["test/faults/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/faults/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
