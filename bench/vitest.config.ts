import { packageProject } from "@x/vitest-config";

// Starts two servers per database: more time than a unit test.
export default packageProject("bench", { test: { testTimeout: 120_000, hookTimeout: 180_000 } });
