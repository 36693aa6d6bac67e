// Which database a statement goes to when there are read replicas: Django's
// database routers reduced to the rules most deployments want, plus using().
import { ScopedStorage } from "./scoped-storage.js";

/** One unit of work (a request): once it writes, its later reads go to the primary too. */
interface RoutingScope {
  pinned: boolean;
}

interface RoutingState {
  scope: RoutingScope;
  /** An alias named by `usingDatabase()`: everything inside goes there. */
  forced: string | undefined;
}

const routingStorage = new ScopedStorage<RoutingState>();

/**
 * Runs `fn` as one unit of work for read routing: reads go to a replica until
 * the first write (or transaction), then to the primary for the rest of `fn`,
 * so a request reads its own writes. A web middleware wraps each request in it.
 */
export function routingScope<T>(fn: () => T): T {
  return routingStorage.run({ scope: { pinned: false }, forced: undefined }, fn);
}

/**
 * Django's `using()`: every statement `fn` runs goes to `alias` — `"primary"`
 * (or `"default"`), `"replica"` (the next one, round-robin) or `"replicaN"`.
 * A transaction inside still runs on the primary.
 */
export function usingDatabase<T>(alias: string, fn: () => T): T {
  const outer = routingStorage.getStore();
  return routingStorage.run({ scope: outer?.scope ?? { pinned: false }, forced: alias }, fn);
}

/** Sends the rest of the current unit of work's reads to the primary (what a write does). */
export function pinToPrimary(): void {
  const state = routingStorage.getStore();
  if (state) state.scope.pinned = true;
}

/** The routing state of the current async flow, if any. */
export function currentRouting(): { pinned: boolean; forced: string | undefined } | undefined {
  const state = routingStorage.getStore();
  return state && { pinned: state.scope.pinned, forced: state.forced };
}

// A statement a replica can answer: one SELECT (or a WITH that only selects), with no row
// lock and no function known to write (sequences, advisory locks, large objects).
const READ = /^\s*(select|with)\b/i;
const LOCKS = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
const WRITING_FUNCTIONS = /\b(nextval|setval|pg_advisory\w*|lo_\w+)\s*\(/i;
const DML = /\b(insert|update|delete|merge)\b/i;

/** Whether `sql` only reads (conservative: anything unclear goes to the primary). */
export function isReadOnlySql(sql: string): boolean {
  if (!READ.test(sql)) return false;
  if (/;\s*\S/.test(sql)) return false; // several statements
  if (LOCKS.test(sql) || WRITING_FUNCTIONS.test(sql)) return false;
  return !(/^\s*with\b/i.test(sql) && DML.test(sql));
}
