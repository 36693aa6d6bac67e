// The baseline's store for a DATABASE_URL (`sqlite:<file>` or `postgres://…`): the server and the
// in-process instruction loop open theirs the same way.
import { pgStore } from "./pg-store.js";
import { sqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

export function openStore(url: string): Store {
  return url.startsWith("postgres") ? pgStore(url) : sqliteStore(url.replace(/^sqlite:/, ""));
}
