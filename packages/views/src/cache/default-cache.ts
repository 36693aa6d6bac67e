import type { Cache } from "./cache.js";
import { MemoryCache } from "./memory-cache.js";

// Django's `caches["default"]`: what throttles and cached views use unless a
// class or the call names another cache. One per process, replaceable at startup.
let current: Cache = new MemoryCache();

/** The process-wide default cache (a MemoryCache until `setDefaultCache`). */
export function getDefaultCache(): Cache {
  return current;
}

/** Replaces the default cache (e.g. with a RedisCache at startup); returns the previous one. */
export function setDefaultCache(cache: Cache): Cache {
  const previous = current;
  current = cache;
  return previous;
}
