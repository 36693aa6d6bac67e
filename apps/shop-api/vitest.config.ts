import { packageProject } from "@x/vitest-config";
import { configDefaults } from "vitest/config";

// test/faults/ is its own project (test/faults/vitest.config.ts): serial, run once.
export default packageProject("shop-api", {
  test: { exclude: [...configDefaults.exclude, "test/faults/**"] },
});
