// Shared vitest setup for every workspace package.
// Packages resolve each other through the "source" export condition, so tests
// run against src/ without a build step.
import { defineProject } from "vitest/config";

/** @param {string} name @param {import("vitest/config").UserProjectConfigExport} [overrides] */
export function packageProject(name, overrides = {}) {
  return defineProject({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    ...overrides,
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      testTimeout: 20_000,
      hookTimeout: 30_000,
      typecheck: { enabled: false },
      ...(overrides.test ?? {}),
    },
  });
}
