import type { Cache, CacheSetOptions, WindowHit, WindowSpec } from "./cache.js";

export interface MemoryCacheOptions {
  /** Entries kept at most; the least recently written go first. Default 10 000. */
  maxEntries?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

interface Entry {
  /** JSON, or the object itself when set with `shared`. */
  value: string;
  shared: unknown;
  isShared: boolean;
  expiresAt: number | null;
  tags: readonly string[];
}

/**
 * The default cache: one process, TTLs checked lazily on read, bounded size.
 * Operations are synchronous under the hood, so `hitWindow` is atomic.
 */
export class MemoryCache implements Cache {
  readonly sharesObjects = true;
  private readonly entries = new Map<string, Entry>();
  private readonly windows = new Map<string, HitWindow>();
  private readonly tagIndex = new Map<string, Set<string>>();
  private readonly maxEntries: number;
  private readonly clock: () => number;
  private hitsSinceSweep = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.clock = options.now ?? Date.now;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.lookup<T>(key);
  }

  lookup<T = unknown>(key: string): T | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    return (entry.isShared ? entry.shared : JSON.parse(entry.value)) as T;
  }

  async set(key: string, value: unknown, ttlSeconds?: number, options: CacheSetOptions = {}): Promise<void> {
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    const tags = options.tags ?? [];
    const expiresAt = ttlSeconds === undefined ? null : this.clock() + ttlSeconds * 1000;
    const isShared = options.shared === true;
    this.entries.set(
      key,
      isShared
        ? { value: "", shared: value, isShared, expiresAt, tags }
        : { value: JSON.stringify(value), shared: undefined, isShared, expiresAt, tags },
    );
    for (const tag of tags) {
      const keys = this.tagIndex.get(tag) ?? new Set<string>();
      keys.add(key);
      this.tagIndex.set(tag, keys);
    }
    this.evict();
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      await this.set(key, by, ttlSeconds);
      return by;
    }
    const current: unknown = entry.isShared ? entry.shared : JSON.parse(entry.value);
    if (typeof current !== "number" || !Number.isInteger(current)) {
      throw new TypeError(`Cache value of ${JSON.stringify(key)} is not an integer`);
    }
    entry.value = JSON.stringify(current + by);
    entry.shared = undefined;
    entry.isShared = false;
    return current + by;
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
    return this.windows.delete(key) || entry !== undefined;
  }

  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix)) {
        this.remove(key, entry);
        n++;
      }
    }
    for (const key of this.windows.keys()) {
      if (key.startsWith(prefix)) {
        this.windows.delete(key);
        n++;
      }
    }
    return n;
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    let n = 0;
    for (const tag of tags) {
      for (const key of this.tagIndex.get(tag) ?? []) {
        const entry = this.entries.get(key);
        if (entry) {
          this.remove(key, entry);
          n++;
        }
      }
      this.tagIndex.delete(tag);
    }
    return n;
  }

  async hitWindow(key: string, limit: number, durationMs: number, at?: number): Promise<WindowHit> {
    return this.hit(key, limit, durationMs, at);
  }

  /** Synchronous: the throttles of a request cost no promise here. */
  hitWindows(windows: readonly WindowSpec[]): WindowHit[] {
    const hits: WindowHit[] = new Array(windows.length);
    // One clock reading for the whole batch, as the Redis script does.
    let batchNow = 0;
    for (let i = 0; i < windows.length; i++) {
      if ((windows[i] as WindowSpec).now === undefined) {
        batchNow = this.clock();
        break;
      }
    }
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i] as WindowSpec;
      hits[i] = this.hit(w.key, w.limit, w.durationMs, w.now ?? batchNow);
    }
    return hits;
  }

  private hit(key: string, limit: number, durationMs: number, at: number | undefined): WindowHit {
    const now = at ?? this.clock();
    // Histories of clients that went away are swept now and then, not per hit.
    if (++this.hitsSinceSweep >= 1000) {
      this.hitsSinceSweep = 0;
      for (const [k, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(k);
    }
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = new HitWindow(now + durationMs);
      this.windows.set(key, window);
    }
    window.forgetUntil(now - durationMs);
    if (window.size >= limit) {
      return { allowed: false, count: window.size, oldest: window.oldest(), now };
    }
    window.push(now);
    window.expiresAt = now + durationMs;
    return { allowed: true, count: window.size, oldest: window.oldest(), now };
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.windows.clear();
    this.tagIndex.clear();
  }

  async close(): Promise<void> {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.clock()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.tagIndex.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagIndex.delete(tag);
    }
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.clock();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.remove(key, entry);
    }
    // Map iteration is insertion order, and set() re-inserts: oldest writes go first.
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      this.remove(key, entry);
    }
    for (const [key, window] of this.windows) {
      if (window.expiresAt <= now) this.windows.delete(key);
    }
  }
}

/**
 * One client's hit timestamps, oldest first, in a ring buffer of (timestamp, count) runs:
 * hits within the same millisecond share a run, so a busy client's window (thousands of
 * hits a second under a high rate) stays a few hundred runs that stay in the CPU's caches.
 * Recording and forgetting a hit move an index or a count (no array shifting, no
 * allocation); the buffers only grow, by doubling, while the window holds more runs than
 * ever before. The hits it holds are exactly those a list of timestamps would hold.
 */
class HitWindow {
  private stamps = new Float64Array(8);
  private counts = new Uint32Array(8);
  private head = 0;
  private runs = 0;
  /** Hits in the window (the sum of the runs' counts). */
  size = 0;

  constructor(public expiresAt: number) {}

  /** Drops the hits at or before `floor` (DRF pops them off its history). */
  forgetUntil(floor: number): void {
    const mask = this.stamps.length - 1;
    while (this.runs > 0 && (this.stamps[this.head] as number) <= floor) {
      this.size -= this.counts[this.head] as number;
      this.head = (this.head + 1) & mask;
      this.runs--;
    }
  }

  push(stamp: number): void {
    const mask = this.stamps.length - 1;
    if (this.runs > 0) {
      const last = (this.head + this.runs - 1) & mask;
      if (this.stamps[last] === stamp) {
        this.counts[last] = (this.counts[last] as number) + 1;
        this.size++;
        return;
      }
    }
    if (this.runs === this.stamps.length) this.grow();
    const at = (this.head + this.runs) & (this.stamps.length - 1);
    this.stamps[at] = stamp;
    this.counts[at] = 1;
    this.runs++;
    this.size++;
  }

  oldest(): number | null {
    return this.runs > 0 ? (this.stamps[this.head] as number) : null;
  }

  private grow(): void {
    const length = this.stamps.length;
    const stamps = new Float64Array(length * 2);
    const counts = new Uint32Array(length * 2);
    for (let i = 0; i < this.runs; i++) {
      stamps[i] = this.stamps[(this.head + i) & (length - 1)] as number;
      counts[i] = this.counts[(this.head + i) & (length - 1)] as number;
    }
    this.stamps = stamps;
    this.counts = counts;
    this.head = 0;
  }
}
