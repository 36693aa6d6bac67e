import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Redis } from "ioredis";

// ioredis is loaded when a RedisCache is made, not when @x/views is imported: a process on the
// memory cache never pays for it (about 20 MB of resident memory measured on Node 20).
let RedisClient: typeof Redis | undefined;
function redisClass(): typeof Redis {
  RedisClient ??= (createRequire(import.meta.url)("ioredis") as { Redis: typeof Redis }).Redis;
  return RedisClient;
}

import type { Cache, CacheSetOptions, UnavailablePolicy, WindowHit, WindowSpec } from "./cache.js";
import { CacheUnavailableError } from "./errors.js";
import { HIT_WINDOW, HIT_WINDOWS, INCR, INVALIDATE_TAGS, SET_TAGGED } from "./redis-scripts.js";

export interface RedisCacheOptions {
  /** `redis://host:port/db`. Default `redis://127.0.0.1:6379/0`. */
  url?: string;
  /** Prepended to every key, so several apps (or tests) can share a database. Default `"x:"`. */
  keyPrefix?: string;
  /**
   * When Redis cannot be reached: `"open"` (default) serves as if the cache were
   * empty and admits throttled hits, logging a warning once per outage;
   * `"closed"` throws `CacheUnavailableError` (a 503).
   */
  onUnavailable?: UnavailablePolicy;
  /** Upper bound (ms) on any one operation, connecting included. Default 500. */
  timeoutMs?: number;
  /** Where outage warnings go. Default `console.warn`. */
  logger?: { warn(message: string): void };
}

type Script = { source: string; sha: string };
const script = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") });
const scripts = {
  hitWindow: script(HIT_WINDOW),
  hitWindows: script(HIT_WINDOWS),
  setTagged: script(SET_TAGGED),
  invalidateTags: script(INVALIDATE_TAGS),
  incr: script(INCR),
};

/** Distinct invalidations kept during one outage (memory bound). */
const MAX_DROPPED = 10_000;

/** Escapes Redis glob characters so a prefix matches literally in SCAN. */
const globEscape = (s: string): string => s.replace(/[*?[\]\\]/g, "\\$&");

/**
 * A cache shared by every process that uses the same Redis: counters are Lua
 * scripts (one atomic round trip each); no operation waits longer than
 * `timeoutMs`, and reconnection happens in the background.
 */
export class RedisCache implements Cache {
  readonly client: Redis;
  private readonly prefix: string;
  private readonly policy: UnavailablePolicy;
  private readonly timeoutMs: number;
  private readonly logger: { warn(message: string): void };
  private outage = false;
  /**
   * Invalidations (deletes, increments such as model generations, prefix and
   * tag clears) that could not reach Redis, one per key: replayed before
   * anything else once it answers again, or a page cached before the outage
   * would be served as current afterwards (Redis keeps its data across a
   * restart or a network cut; the write that should have retired it did not).
   */
  private readonly dropped = new Map<string, () => Promise<unknown>>();
  private replaying: Promise<void> | undefined;
  private overflowWarned = false;
  /** While connected but failing: when the next operation may try Redis again. */
  private probeAt = 0;

  constructor(options: RedisCacheOptions = {}) {
    this.prefix = options.keyPrefix ?? "x:";
    this.policy = options.onUnavailable ?? "open";
    this.timeoutMs = options.timeoutMs ?? 500;
    this.logger = options.logger ?? console;
    this.client = new (redisClass())(options.url ?? "redis://127.0.0.1:6379/0", {
      connectTimeout: this.timeoutMs,
      commandTimeout: this.timeoutMs,
      // Fail fast instead of queueing while disconnected; `ready()` bounds the wait instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keep reconnecting in the background, at most every 2 s; requests never wait for it.
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    this.client.on("error", (error: Error) => this.noteOutage(error));
    this.client.on("ready", () => {
      this.outage = false;
      if (this.dropped.size > 0) this.replay().catch(() => {});
    });
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = await this.run(() => this.client.get(this.prefix + key), null);
    return raw === null ? undefined : JSON.parse(raw);
  }

  async set(key: string, value: unknown, ttlSeconds?: number, options: CacheSetOptions = {}): Promise<void> {
    const ttlMs = ttlSeconds === undefined ? 0 : Math.max(1, Math.round(ttlSeconds * 1000));
    const tags = options.tags ?? [];
    const json = JSON.stringify(value);
    await this.run(async () => {
      if (tags.length === 0) {
        if (ttlMs > 0) await this.client.set(this.prefix + key, json, "PX", ttlMs);
        else await this.client.set(this.prefix + key, json);
        return;
      }
      const keys = [this.prefix + key, ...tags.map((t) => this.tagKey(t))];
      await this.evalScript(scripts.setTagged, keys, [json, String(ttlMs)]);
    }, undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.run(async () => (await this.client.del(this.prefix + key)) > 0, false, `del:${key}`);
  }

  async incr(key: string, ttlSeconds?: number, by = 1): Promise<number> {
    const ttlMs = ttlSeconds === undefined ? 0 : Math.max(1, Math.round(ttlSeconds * 1000));
    // Failing open counts nothing (0): a counter-based limit then admits the request.
    return this.run(
      async () =>
        Number(await this.evalScript(scripts.incr, [this.prefix + key], [String(by), String(ttlMs)])),
      0,
      `incr:${key}`,
    );
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.run(
      async () => {
        let cursor = "0";
        let n = 0;
        const match = `${globEscape(this.prefix + prefix)}*`;
        do {
          const [next, keys] = await this.client.scan(cursor, "MATCH", match, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) n += await this.client.unlink(...keys);
        } while (cursor !== "0");
        return n;
      },
      0,
      `prefix:${prefix}`,
    );
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0;
    return this.run(
      async () => {
        const n = await this.evalScript(
          scripts.invalidateTags,
          tags.map((t) => this.tagKey(t)),
          [],
        );
        return Number(n);
      },
      0,
      `tags:${[...tags].sort().join(",")}`,
    );
  }

  async hitWindow(key: string, limit: number, durationMs: number, now?: number): Promise<WindowHit> {
    return this.run(
      async () => {
        const reply = await this.evalScript(
          scripts.hitWindow,
          [this.prefix + key],
          [now === undefined ? "-1" : String(Math.floor(now)), String(Math.ceil(durationMs)), String(limit)],
        );
        if (!Array.isArray(reply)) throw new Error("Unexpected reply from the throttle script");
        const oldest = reply[2] == null ? null : Number(reply[2]);
        return { allowed: reply[0] === 1, count: Number(reply[1]), oldest, now: Number(reply[3]) };
      },
      // Failing open admits the hit: an outage must not lock every client out.
      { allowed: true, count: 0, oldest: null, now: now ?? Date.now() },
    );
  }

  /** Every window in one script run: one round trip for all the throttles of a request. */
  async hitWindows(windows: readonly WindowSpec[]): Promise<WindowHit[]> {
    if (windows.length === 0) return [];
    const keys: string[] = [];
    const args: string[] = [];
    for (const w of windows) {
      keys.push(this.prefix + w.key);
      args.push(
        w.now === undefined ? "-1" : String(Math.floor(w.now)),
        String(Math.ceil(w.durationMs)),
        String(w.limit),
      );
    }
    return this.run(
      async () => {
        const reply = await this.evalScript(scripts.hitWindows, keys, args);
        if (!Array.isArray(reply) || reply.length !== 4 * windows.length) {
          throw new Error("Unexpected reply from the throttle script");
        }
        return windows.map((_, i) => ({
          allowed: reply[4 * i] === 1,
          count: Number(reply[4 * i + 1]),
          oldest: reply[4 * i + 2] == null ? null : Number(reply[4 * i + 2]),
          now: Number(reply[4 * i + 3]),
        }));
      },
      // Failing open admits every hit, as hitWindow does.
      windows.map((w) => ({ allowed: true, count: 0, oldest: null, now: w.now ?? Date.now() })),
    );
  }

  async clear(): Promise<void> {
    await this.deletePrefix("");
  }

  async close(): Promise<void> {
    this.client.disconnect(false);
  }

  private tagKey(tag: string): string {
    return `${this.prefix}tag:${tag}`;
  }

  private async evalScript(s: Script, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.client.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.client.eval(s.source, keys.length, ...keys, ...args);
    }
  }

  /**
   * Waits (bounded) for a connection, runs `op`, and applies the outage policy on failure.
   * An invalidation (`replayAs` names it) that fails is kept to be replayed once Redis answers.
   */
  private async run<T>(op: () => Promise<T>, fallback: T, replayAs?: string): Promise<T> {
    try {
      await this.ready();
      if (this.dropped.size > 0) await this.replay();
      const result = await op();
      // Back to normal (a timeout need not drop the connection): warn again on the next outage.
      this.outage = false;
      return result;
    } catch (error) {
      this.noteOutage(error);
      if (replayAs !== undefined) this.drop(replayAs, op);
      if (this.policy === "closed") throw new CacheUnavailableError(error);
      return fallback;
    }
  }

  private drop(key: string, op: () => Promise<unknown>): void {
    if (this.dropped.size >= MAX_DROPPED && !this.dropped.has(key)) {
      if (!this.overflowWarned) {
        this.overflowWarned = true;
        this.logger.warn(`[@x/views] over ${MAX_DROPPED} Redis invalidations dropped: later ones are lost`);
      }
      return;
    }
    this.dropped.set(key, op);
  }

  /** Replays the dropped invalidations in order (one pass at a time); a failure leaves the rest. */
  private replay(): Promise<void> {
    this.replaying ??= (async () => {
      for (const [key, op] of [...this.dropped]) {
        await op();
        // A newer drop of the same key during the replay stays for the next pass.
        if (this.dropped.get(key) === op) this.dropped.delete(key);
      }
    })().finally(() => {
      this.replaying = undefined;
      if (this.dropped.size === 0) this.overflowWarned = false;
    });
    return this.replaying;
  }

  private ready(): Promise<void> {
    const status = this.client.status;
    if (status === "ready") {
      if (!this.outage) return Promise.resolve();
      // Connected but not answering (a hung server, a network cut): one operation at a time
      // probes it, every `timeoutMs`; the others fail at once instead of each waiting it out.
      const now = Date.now();
      if (now < this.probeAt) return Promise.reject(new Error("Redis did not answer in time"));
      this.probeAt = now + this.timeoutMs;
      return Promise.resolve();
    }
    // Only the first connection is worth waiting for; during an outage fail at once.
    if (this.outage || (status !== "connecting" && status !== "connect")) {
      return Promise.reject(new Error(`Redis connection is ${status}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off("ready", onReady);
        reject(new Error(`Redis not ready within ${this.timeoutMs} ms (${this.client.status})`));
      }, this.timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once("ready", onReady);
    });
  }

  private noteOutage(error: unknown): void {
    if (this.outage) return;
    this.outage = true;
    this.probeAt = Date.now() + this.timeoutMs;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `[@x/views] Redis cache unavailable (${message}); failing ${this.policy === "open" ? "open" : "closed"}`,
    );
  }
}
