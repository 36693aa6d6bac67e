// One server's request cycle in this process, for `pnpm bench --instructions` (run under
// callgrind by instructions/count.ts): `loop.js <shop-api|baseline> <path> <warm-up> <requests>`,
// on the database in DATABASE_URL (SQLite, or PostgreSQL: its server's own work is not
// counted). No HTTP: the app's `fetch` with one reused Fetch Request, after @hono/node-server
// has installed its lightweight Response (as serving does).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { baselineApp } from "../baseline/app.js";
import { openStore } from "../baseline/open-store.js";
import { shopApiDir } from "../paths.js";
import { BENCH_SECRET_KEY } from "../servers.js";

type Fetch = (request: Request) => Response | Promise<Response>;

interface ShopApiModules {
  app: { createApp(config: unknown, options: { nodeHeaders: boolean }): { app: { fetch: Fetch } } };
  env: { readConfig(): unknown };
}

/** The shop-api's compiled app, configured from the environment (servers.ts's shopApiEnv). */
async function shopApiFetch(): Promise<Fetch> {
  const load = (file: string) => import(pathToFileURL(join(shopApiDir, "dist", file)).href);
  const modules = { app: await load("app.js"), env: await load("settings/env.js") } as ShopApiModules;
  return modules.app.createApp(modules.env.readConfig(), { nodeHeaders: true }).app.fetch;
}

function baselineFetch(): Fetch {
  // Throttle rates from the environment: count.ts gives this process the shop-api's (shopApiEnv).
  const app = baselineApp(openStore(process.env.DATABASE_URL ?? ""), { secretKey: BENCH_SECRET_KEY });
  return (request) => app.fetch(request);
}

const [server, path, warmArg, countArg] = process.argv.slice(2);
const fetch = server === "shop-api" ? await shopApiFetch() : baselineFetch();
getRequestListener(fetch);
const request = new Request(`http://shop.bench${path}`, { headers: { host: "shop.bench" } });
const once = async () => {
  const response = await fetch(request);
  if (response.status !== 200) throw new Error(`${server} ${path}: ${response.status}`);
};
for (let i = 0; i < Number(warmArg); i++) await once();
for (let i = 0; i < Number(countArg); i++) await once();
process.stdout.write("done\n");
process.exit(0);
