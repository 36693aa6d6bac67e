/**
 * The one interface behind every piece of shared state in the view layer:
 * response caching, throttle histories, invalidation. `MemoryCache` is the
 * default (one process); `RedisCache` is shared by every process using it.
 *
 * Values go through JSON (a memory cache hands out copies, like Redis), so
 * `get<T>` is only as true as what was stored: validate what you read back.
 * The exception is `set(..., { shared: true })` on a cache that `sharesObjects`.
 * This is a superset of the `Cache` shape in `interfaces.ts`.
 */
export interface CacheSetOptions {
  /** Tags to invalidate the entry by later (`invalidateTags`). */
  tags?: readonly string[];
  /**
   * Keep this very object where the cache can (`Cache.sharesObjects`: a memory cache), so
   * `get()` hands it back without serialising or copying; the caller must never change it.
   * Other caches serialise it as usual. Cached pages use it: no JSON per hit in one process.
   */
  shared?: boolean;
}

/** The result of recording one hit in a sliding window (DRF's throttle history). */
export interface WindowHit {
  /** Whether the hit was admitted (and recorded). */
  allowed: boolean;
  /** Hits inside the window, including this one when admitted. */
  count: number;
  /** Timestamp (ms) of the oldest hit still inside the window, or null if none. */
  oldest: number | null;
  /** The time (ms) the hit was judged at: the caller's, or the cache's clock. */
  now: number;
}

/** One sliding-window hit of a batch (`hitWindows`): `hitWindow`'s arguments. */
export interface WindowSpec {
  key: string;
  limit: number;
  durationMs: number;
  now?: number | undefined;
}

export interface Cache {
  /** True when `set(..., { shared: true })` keeps the object itself (in-process caches). */
  readonly sharesObjects?: boolean;
  get<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * `get`, answered synchronously where the backend can (memory), so a caller awaits only a
   * Promise (a cached page then costs no microtask). Optional: without it, callers use `get`.
   */
  lookup?<T = unknown>(key: string): T | undefined | Promise<T | undefined>;
  /** `ttlSeconds` omitted = never expires. */
  set(key: string, value: unknown, ttlSeconds?: number, options?: CacheSetOptions): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Atomically adds `by` (default 1) and returns the new value; a new key expires after `ttlSeconds`. */
  incr(key: string, ttlSeconds?: number, by?: number): Promise<number>;
  /** Drops every entry whose key starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Drops every entry set with one of these tags; returns how many. */
  invalidateTags(tags: readonly string[]): Promise<number>;
  /**
   * Atomically: forget hits older than `now - durationMs`, then record a hit
   * at `now` unless `limit` hits remain. Exactly `limit` hits are admitted
   * per window however many callers race (across processes for Redis).
   * Without `now`, the cache's own clock decides (Redis: the server's, so
   * several hosts share one clock).
   */
  hitWindow(key: string, limit: number, durationMs: number, now?: number): Promise<WindowHit>;
  /**
   * Several `hitWindow`s at once, in order, with the same answers: one round
   * trip (Redis) for every throttle of a request. Optional; a backend may answer
   * synchronously (memory), so callers await only a Promise.
   */
  hitWindows?(windows: readonly WindowSpec[]): WindowHit[] | Promise<WindowHit[]>;
  /** Drops every entry of this cache (its key prefix only, for Redis). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** What a cache does when its backend cannot be reached. */
export type UnavailablePolicy = "open" | "closed";
