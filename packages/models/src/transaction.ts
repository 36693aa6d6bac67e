// atomic(): BEGIN/COMMIT on the outermost level, SAVEPOINTs inside, on_commit callbacks.
import type { Database } from "./db/database.js";
import { getDatabase } from "./db/registry.js";
import { currentTx, type TxState, txStorage } from "./db/tx-context.js";

export interface AtomicOptions {
  using?: Database;
}

/** Runs `fn` in a transaction (a savepoint when nested); an error rolls back and is rethrown. */
export async function atomic<T>(
  fn: () => PromiseLike<T> | T,
  options: AtomicOptions = {},
): Promise<Awaited<T>> {
  const db = options.using ?? getDatabase();
  const state = currentTx(db);
  if (state) return savepoint(state, fn);

  const conn = await db.acquire();
  const tx: TxState = { conn, depth: 1, savepoints: 0, onCommit: [], done: false };
  const store = new Map<Database, TxState>();
  // The transactions of other databases this flow is in stay current inside this one.
  for (const [other, state] of txStorage.getStore() ?? []) if (!state.done) store.set(other, state);
  store.set(db, tx);
  let result: Awaited<T>;
  try {
    await conn.query(db.beginSql, []);
    try {
      // Awaited inside the context: a returned QuerySet (a thenable) must run in the transaction too.
      result = await txStorage.run(store, async () => await fn());
      await conn.query("COMMIT", []);
    } catch (err) {
      await conn.query("ROLLBACK", []).catch(() => {});
      throw err;
    }
  } finally {
    tx.done = true;
    conn.release();
  }
  for (const cb of tx.onCommit) await cb();
  return result;
}

async function savepoint<T>(state: TxState, fn: () => PromiseLike<T> | T): Promise<Awaited<T>> {
  state.savepoints += 1;
  const name = `x_sp_${state.savepoints}`;
  const callbacks = state.onCommit.length;
  const conn = state.conn;
  // PostgreSQL: SAVEPOINT goes out with the block's first statement and RELEASE with the next
  // statement after the block (or COMMIT), in one round trip each instead of two. In a transaction
  // a failed statement aborts it, so nothing sent behind a failed SAVEPOINT/RELEASE runs, and that
  // failure is what the next statement throws.
  if (conn.send) conn.send(`SAVEPOINT ${name}`);
  else await conn.query(`SAVEPOINT ${name}`, []);
  try {
    const result = await fn();
    if (conn.send) conn.send(`RELEASE SAVEPOINT ${name}`);
    else await conn.query(`RELEASE SAVEPOINT ${name}`, []);
    return result;
  } catch (err) {
    await state.conn.query(`ROLLBACK TO SAVEPOINT ${name}`, []);
    await state.conn.query(`RELEASE SAVEPOINT ${name}`, []);
    // callbacks registered inside the rolled-back savepoint never run
    state.onCommit.length = callbacks;
    throw err;
  }
}

/** Runs `fn` after the current transaction commits (immediately when there is none). */
export function onCommit(fn: () => unknown, options: AtomicOptions = {}): void {
  const db = options.using ?? getDatabase();
  const state = currentTx(db);
  if (state) state.onCommit.push(fn);
  else void fn();
}

export function inAtomicBlock(db: Database = getDatabase()): boolean {
  return currentTx(db) !== undefined;
}
