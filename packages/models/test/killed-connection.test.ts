// A transaction's connection killed by the server (a restart, pg_terminate_backend)
// between two of its queries: the process must not crash on the driver's 'error'
// event; the next query is an OperationalError and the pool serves again after.
// Always against the real PostgreSQL (whatever TEST_DB says): SQLite has no server.
import { describe, expect, it } from "vitest";
import { atomic, createDatabase, OperationalError } from "../src/index.js";

const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("a killed PostgreSQL connection", () => {
  it("inside a transaction is an OperationalError, not an unhandled error, and is not reused", async () => {
    const db = createDatabase(`${base}${base.includes("?") ? "&" : "?"}pool_size=1&pool_timeout=5`);
    const killer = createDatabase(base);
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown) => unhandled.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      const failure = await atomic(
        async () => {
          const { rows } = await db.execute("SELECT pg_backend_pid() AS pid");
          await killer.execute("SELECT pg_terminate_backend($1)", [rows[0].pid]);
          // The server's FATAL arrives while the transaction waits between queries.
          await new Promise((resolve) => setTimeout(resolve, 200));
          await db.execute("SELECT 1");
        },
        { using: db },
      ).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OperationalError);
      expect(unhandled).toEqual([]);
      // The only pool slot gets a fresh connection, not the dead one.
      expect((await db.execute("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await atomic(async () => expect((await db.execute("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]), {
        using: db,
      });
    } finally {
      process.off("uncaughtException", onUncaught);
      await db.close();
      await killer.close();
    }
  });
});
