// `pnpm bench --profile [--endpoint NAME] [--seconds N] [--scale N]`: the shop-api under
// `node --cpu-prof` while one benchmarked request is hammered (SQLite, c=32),
// then a summary of where the time went (results/profile/).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type CpuProfile, formatSummary, summarizeProfile } from "./cpu-profile.js";
import { timedRun } from "./load.js";
import { resultsDir } from "./paths.js";
import { prepareDatabase } from "./prepare.js";
import { READ_REQUESTS } from "./requests.js";
import { startShopApi } from "./servers.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: "string", default: "product list page 5" },
      seconds: { type: "string", default: "10" },
      scale: { type: "string", default: "1" },
    },
  });
  const req = READ_REQUESTS.find((r) => r.name === values.endpoint);
  if (!req)
    throw new Error(`no benchmarked request "${values.endpoint}": ${READ_REQUESTS.map((r) => r.name)}`);
  const dir = join(resultsDir, "profile");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const url = await prepareDatabase({ db: "sqlite", scale: Number(values.scale), log: console.log });
  const shop = await startShopApi(url, ["--cpu-prof", "--cpu-prof-dir", dir], { compiled: true });
  await timedRun(shop, req, 32, 2); // warm-up: the profile is of the steady state as much as possible
  const run = await timedRun(shop, req, 32, Number(values.seconds));
  await shop.stop(); // the profile is written when the process exits
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const text = [
    `${req.method} ${req.path} (${req.name}), SQLite x${values.scale}, c=32, ${values.seconds} s: ${Math.round(run.reqPerSec)} req/s under the profiler`,
    formatSummary(summarizeProfile(profile)),
  ].join("\n\n");
  writeFileSync(join(dir, "summary.txt"), `${text}\n`);
  process.stdout.write(`${text}\n\nprofile: ${join(dir, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
