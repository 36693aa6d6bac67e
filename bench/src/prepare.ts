// A benchmark database: the shop-api's own migrations and loaddata (so both
// servers read the tables, indexes and rows the framework creates), reused
// across runs unless `fresh` is asked for.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { generateFixture } from "./data/generate.js";
import { demoFixture, resultsDir, shopApiDir } from "./paths.js";
import { shopApiEnv } from "./servers.js";

export type DatabaseKind = "sqlite" | "postgres";

export interface PrepareOptions {
  db: DatabaseKind;
  /** 1 is the shop-api's demo fixture; N > 1 a generated data set N times its size. */
  scale: number;
  /**
   * Distinguishes databases of concurrent users: the body-diff test gives its process id, so
   * two test runs on one PostgreSQL server (two clones' CI, say) never drop each other's.
   */
  label?: string;
  fresh?: boolean;
  log?: (line: string) => void;
}

/** The server's PostgreSQL (trust auth), overridable with BENCH_PG_URL. */
const PG_SERVER = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";

function manage(databaseUrl: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/manage.ts", ...args],
      {
        cwd: shopApiDir,
        env: { ...process.env, ...shopApiEnv(databaseUrl) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`manage ${args.join(" ")} failed (${code}):\n${output}`)),
    );
  });
}

function fixtureFile(scale: number): string {
  if (scale === 1) return demoFixture;
  const file = join(resultsDir, "data", `fixture-x${scale}.json`);
  if (!existsSync(file)) writeFileSync(file, `${JSON.stringify(generateFixture(scale))}\n`);
  return file;
}

async function withServer<T>(fn: (client: pg.Client) => Promise<T>, database = "postgres"): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/${database}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function pgHasData(database: string): Promise<boolean> {
  const exists = await withServer(async (c) => {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    return r.rowCount === 1;
  });
  if (!exists) return false;
  return withServer(async (c) => {
    const r = await c.query("SELECT to_regclass('products_product') IS NOT NULL AS ok");
    if (!r.rows[0]?.ok) return false;
    const n = await c.query("SELECT count(*)::int AS n FROM products_product");
    return (n.rows[0]?.n ?? 0) > 0;
  }, database);
}

/** Migrates and loads a database if needed; returns its DATABASE_URL. */
export async function prepareDatabase(options: PrepareOptions): Promise<string> {
  const log = options.log ?? (() => {});
  const name = `bench${options.label ? `-${options.label}` : ""}-x${options.scale}`;
  mkdirSync(join(resultsDir, "data"), { recursive: true });
  let url: string;
  if (options.db === "sqlite") {
    const file = join(resultsDir, "data", `${name}.sqlite3`);
    url = `sqlite:${file}`;
    // The marker is written last: a run interrupted while loading starts over.
    if (existsSync(`${file}.ready`) && !options.fresh) return url;
    for (const suffix of ["", "-wal", "-shm", ".ready"]) rmSync(`${file}${suffix}`, { force: true });
  } else {
    const database = `x_${name.replace(/-/g, "_")}`;
    url = `${PG_SERVER}/${database}`;
    if (!options.fresh && (await pgHasData(database))) return url;
    await withServer(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${database}"`);
    });
  }
  const fixture = fixtureFile(options.scale);
  log(`preparing ${options.db} x${options.scale}: migrate, loaddata ${fixture}`);
  await manage(url, ["migrate"]);
  await manage(url, ["loaddata", fixture]);
  // Planner statistics, as a deployed database has them (both servers read this one database):
  // without them SQLite walks the is_deleted index and sorts instead of reading the ordering index.
  if (options.db === "sqlite") {
    const file = url.slice("sqlite:".length);
    const client = new Database(file);
    client.exec("ANALYZE");
    client.close();
    writeFileSync(`${file}.ready`, "");
  } else {
    await withServer((c) => c.query("ANALYZE"), url.slice(url.lastIndexOf("/") + 1));
  }
  return url;
}

/** Removes a database `prepareDatabase` made (a test's own, once its servers have stopped). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  if (databaseUrl.startsWith("sqlite:")) {
    const file = databaseUrl.slice("sqlite:".length);
    for (const suffix of ["", "-wal", "-shm", ".ready"]) rmSync(`${file}${suffix}`, { force: true });
    return;
  }
  const database = databaseUrl.slice(databaseUrl.lastIndexOf("/") + 1);
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
}

/** Enough stock that no timed order is ever refused (the runner fails on any non-2xx). */
export async function refillStock(
  databaseUrl: string,
  productId: number,
  stock = 1_000_000_000,
): Promise<void> {
  if (databaseUrl.startsWith("sqlite:")) {
    const client = new Database(databaseUrl.slice("sqlite:".length));
    client.prepare("UPDATE products_product SET stock = ? WHERE id = ?").run(stock, productId);
    client.close();
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("UPDATE products_product SET stock = $1 WHERE id = $2", [stock, productId]);
  } finally {
    await client.end();
  }
}

/** A product's stock, to check that orders took it. */
export async function readStock(databaseUrl: string, productId: number): Promise<number> {
  if (databaseUrl.startsWith("sqlite:")) {
    const client = new Database(databaseUrl.slice("sqlite:".length), { readonly: true });
    const row = client.prepare("SELECT stock FROM products_product WHERE id = ?").get(productId) as {
      stock: number;
    };
    client.close();
    return row.stock;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query("SELECT stock FROM products_product WHERE id = $1", [productId]);
    return Number(r.rows[0].stock);
  } finally {
    await client.end();
  }
}
