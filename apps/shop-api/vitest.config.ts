import { packageProject } from "@x/vitest-config";
import { configDefaults } from "vitest/config";

// test/faults/ and test/soak/ are their own projects (their vitest.config.ts): run once.
export default packageProject("shop-api", {
  test: { exclude: [...configDefaults.exclude, "test/faults/**", "test/soak/**"] },
});
