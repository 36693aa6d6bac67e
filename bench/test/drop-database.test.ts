// The body-diff test makes a database of its own per process and drops it when done: two test
// runs on one PostgreSQL server (two clones' CI) must never drop each other's.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dropDatabase } from "../src/prepare.js";

const server = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";

async function onServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("dropDatabase", () => {
  it("removes a SQLite database with its WAL files and ready marker", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "bench-drop-")), "db.sqlite3");
    for (const suffix of ["", "-wal", "-shm", ".ready"]) writeFileSync(`${file}${suffix}`, "x");
    await dropDatabase(`sqlite:${file}`);
    for (const suffix of ["", "-wal", "-shm", ".ready"]) expect(existsSync(`${file}${suffix}`)).toBe(false);
  });

  it("drops a PostgreSQL database, even with a client still connected to it", async () => {
    const name = `x_bench_drop_${process.pid}`;
    await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
    const lingering = new pg.Client({ connectionString: `${server}/${name}` });
    await lingering.connect();
    lingering.on("error", () => {}); // terminated by the drop
    await dropDatabase(`${server}/${name}`);
    const left = await onServer((c) => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]));
    expect(left.rowCount).toBe(0);
    await lingering.end().catch(() => {});
  });
});
