// Runs under plain Node (no "source" condition): every import resolves to dist/.
import { fileURLToPath } from "node:url";

const names = ["@x/models", "@x/serializers", "@x/views", "@x/routers", "@x/auth", "@x/filters"];
const report = {};
for (const name of names) {
  const resolved = fileURLToPath(import.meta.resolve(name));
  const mod = await import(name);
  report[name] = { resolved, exports: Object.keys(mod).length };
}
console.log(JSON.stringify(report));
