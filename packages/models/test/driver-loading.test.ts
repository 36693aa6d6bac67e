// Each backend loads its driver when a database of its kind first runs a query, not when
// @x/models is imported: a process on SQLite never loads pg (several MB of heap and ~10 MB of
// resident memory), one on PostgreSQL never loads better-sqlite3. Checked in fresh processes,
// since the test runner's own process may have loaded either already.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const probe = fileURLToPath(new URL("./support/driver-probe.ts", import.meta.url));
const postgresUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Loaded {
  pg: boolean;
  betterSqlite3: boolean;
}

function runProbe(
  databaseUrl: string | undefined,
): Promise<{ afterImport: Loaded; afterQuery: Loaded | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", probe], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`probe exited with ${code}`));
    });
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
  });
}

describe("database drivers", () => {
  it("are not loaded by importing @x/models", async () => {
    const { afterImport, afterQuery } = await runProbe(undefined);
    expect(afterImport).toEqual({ pg: false, betterSqlite3: false });
    expect(afterQuery).toBeNull();
  });

  it("SQLite loads better-sqlite3 and never pg", async () => {
    const { afterImport, afterQuery } = await runProbe("sqlite::memory:");
    expect(afterImport).toEqual({ pg: false, betterSqlite3: false });
    expect(afterQuery).toEqual({ pg: false, betterSqlite3: true });
  });

  it("PostgreSQL loads pg and never better-sqlite3", async () => {
    const { afterImport, afterQuery } = await runProbe(postgresUrl);
    expect(afterImport).toEqual({ pg: false, betterSqlite3: false });
    expect(afterQuery).toEqual({ pg: true, betterSqlite3: false });
  });
});
