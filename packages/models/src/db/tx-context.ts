// Which connection the current async flow's transaction uses, per database.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Connection, Database } from "./database.js";

export interface TxState {
  conn: Connection;
  depth: number;
  savepoints: number;
  onCommit: (() => unknown)[];
}

export const txStorage = new AsyncLocalStorage<Map<Database, TxState>>();

export function currentTx(db: Database): TxState | undefined {
  return txStorage.getStore()?.get(db);
}

export function currentConnection(db: Database): Connection | undefined {
  return txStorage.getStore()?.get(db)?.conn;
}
