// Connection pool settings from the URL, and what an exhausted pool or an unreachable server does.
// Always against the real PostgreSQL (whatever TEST_DB says): SQLite has no pool.
import { describe, expect, it } from "vitest";
import {
  atomic,
  createDatabase,
  ImproperlyConfigured,
  OperationalError,
  parseDatabaseUrl,
} from "../src/index.js";

const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const withParams = (params: string) => `${base}${base.includes("?") ? "&" : "?"}${params}`;

describe("PostgreSQL pool settings", () => {
  it("reads pool_size and pool_timeout from the URL, with defaults, and refuses bad values", () => {
    const config = parseDatabaseUrl(withParams("pool_size=3&pool_timeout=2.5"));
    expect(config).toMatchObject({ vendor: "postgresql", poolSize: 3, poolTimeoutMs: 2500 });
    expect((config as { connectionString: string }).connectionString).not.toContain("pool_");
    expect(parseDatabaseUrl(base)).toMatchObject({ poolSize: 10, poolTimeoutMs: 10_000 });
    expect(() => parseDatabaseUrl(withParams("pool_size=0"))).toThrow(ImproperlyConfigured);
    expect(() => parseDatabaseUrl(withParams("pool_timeout=soon"))).toThrow(ImproperlyConfigured);
  });

  it("an exhausted pool makes a query wait pool_timeout, then fail with OperationalError", async () => {
    const db = createDatabase(withParams("pool_size=1&pool_timeout=0.3"));
    try {
      let release!: () => void;
      let began!: () => void;
      const started = new Promise<void>((resolve) => {
        began = resolve;
      });
      // a transaction holds the only connection until released
      const held = atomic(
        async () => {
          await db.execute("SELECT 1");
          began();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        },
        { using: db },
      );
      await started;
      const t0 = performance.now();
      await expect(db.execute("SELECT 1")).rejects.toBeInstanceOf(OperationalError);
      const waited = performance.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(5_000);
      release();
      await held;
      // once the transaction released it, the connection serves again
      expect((await db.execute("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it("an unreachable server is an OperationalError, not a driver error", async () => {
    const db = createDatabase("postgres://postgres@127.0.0.1:1/none?pool_timeout=2");
    try {
      await expect(db.execute("SELECT 1")).rejects.toBeInstanceOf(OperationalError);
    } finally {
      await db.close();
    }
  });
});
