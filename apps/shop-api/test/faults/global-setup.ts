// Once before the fault tests: they run the built service (dist/, as production
// does and as fast as it starts), so a run of this project on its own compiles
// it first, in the layers' order; `pnpm test` has just built everything.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../../..");

export default function setup(): void {
  if (process.env.X_WORKSPACE_BUILT === "1") return;
  const tsc = resolve(root, "node_modules/.bin/tsc");
  const projects = ["models", "serializers", "views", "routers", "auth", "filters"].map(
    (p) => `packages/${p}`,
  );
  for (const project of [...projects, "apps/shop-api"]) {
    execFileSync(tsc, ["-p", resolve(root, project, "tsconfig.build.json")], { stdio: "pipe" });
  }
}
