// Runs the shop-api the way it is deployed: its own process (`manage quickstart`:
// migrate, load the demo data, serve) on a free port, on a fresh database —
// a temporary SQLite file, or a private PostgreSQL schema when TEST_DB=postgres.
// The client and browser tests talk to it over real HTTP, like a frontend would.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export interface RunningShop {
  /** e.g. "http://127.0.0.1:39123" (no trailing slash) */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface StartShopOptions {
  /** "sqlite" (default: env TEST_DB, else sqlite) or "postgres" */
  database?: string;
  /** Extra environment for the shop-api process (e.g. throttle rates). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Every fixture user's password (shop-api/fixtures/shop.json). */
export const FIXTURE_PASSWORD = "shop-pass-123";

const require = createRequire(import.meta.url);
const SHOP_API_DIR = dirname(require.resolve("shop-api/package.json"));
const TSX_CLI = require.resolve("tsx/cli");
const LISTENING = /listening on http:\/\/localhost:(\d+)\//;

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(vendor: string): Promise<Database> {
  if (vendor === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "shop-client-"));
    return {
      url: `sqlite:${join(dir, "db.sqlite3")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (vendor !== "postgres") throw new Error(`TEST_DB must be "sqlite" or "postgres", got "${vendor}"`);
  const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `shop_client_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts the shop-api on a free port with the demo data; `stop()` ends it and drops its database. */
export async function startShop(options: StartShopOptions = {}): Promise<RunningShop> {
  const db = await freshDatabase(options.database ?? process.env.TEST_DB ?? "sqlite");
  const child = spawn(
    process.execPath,
    [TSX_CLI, "--conditions=source", join(SHOP_API_DIR, "src/manage.ts"), "quickstart", "--port", "0"],
    {
      cwd: SHOP_API_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        APP_ENV: "testing",
        DATABASE_URL: db.url,
        REDIS_URL: "",
        SECRET_KEY: randomBytes(32).toString("hex"),
        THROTTLE_ANON: "100000/hour",
        THROTTLE_USER: "100000/hour",
        THROTTLE_AUTH: "100000/min",
        ...options.env,
      },
    },
  );
  let output = "";
  let listening = false;
  const stop = async () => {
    child.kill("SIGTERM");
    await exited(child);
    await db.drop();
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`shop-api did not start in time:\n${output}`)),
        options.timeoutMs ?? 60_000,
      );
      const onData = (chunk: Buffer) => {
        if (listening) return; // keep draining the pipe, stop collecting
        output += chunk.toString();
        const match = LISTENING.exec(output);
        if (match) {
          listening = true;
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`shop-api exited with ${code} before listening:\n${output}`));
      });
    });
    return { baseUrl: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
