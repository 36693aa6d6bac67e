// Which connection the current async flow's transaction uses, per database.
import type { Connection, Database } from "./database.js";
import { ScopedStorage } from "./scoped-storage.js";

export interface TxState {
  conn: Connection;
  depth: number;
  savepoints: number;
  onCommit: (() => unknown)[];
  /** Committed or rolled back: a continuation that outlived the block runs outside it. */
  done: boolean;
}

export const txStorage = new ScopedStorage<Map<Database, TxState>>();

export function currentTx(db: Database): TxState | undefined {
  const state = txStorage.getStore()?.get(db);
  return state === undefined || state.done ? undefined : state;
}

export function currentConnection(db: Database): Connection | undefined {
  return currentTx(db)?.conn;
}
