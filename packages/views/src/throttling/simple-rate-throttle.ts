import type { Cache, WindowHit, WindowSpec } from "../cache/cache.js";
import { getDefaultCache } from "../cache/default-cache.js";
import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import type { Throttle, ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { parseRate, type Rate } from "./rate.js";

/**
 * DRF's SimpleRateThrottle: a sliding window of request timestamps per cache
 * key (`hitWindow`, atomic on every cache backend). Subclasses say who the
 * client is (`getCacheKey`) and which rate applies (`rate`, or
 * `defaultThrottleRates[scope]` in the settings).
 */
/** The window one throttle records this request in, and where (what the view batches). */
export interface ThrottleWindow extends WindowSpec {
  cache: Cache;
}

/** How many hits the window holds and when the oldest was (what `wait()` estimates from). */
type History = Readonly<{ count: number; oldest: number | null }>;

const NO_HISTORY: History = Object.freeze({ count: 0, oldest: null });

export abstract class SimpleRateThrottle implements Throttle {
  /** Key into the settings' `defaultThrottleRates`. */
  scope: string | null = null;
  /** A fixed rate (`"60/min"`), overriding the scope's rate from the settings. */
  rate: string | null | undefined = undefined;
  /** Where histories live; the default cache (`setDefaultCache`) when unset. */
  cache: Cache | undefined = undefined;

  protected now = 0;
  // No hit recorded yet: one shared, frozen value (record() replaces it) instead of an object per
  // throttle per request.
  protected history: History = NO_HISTORY;
  protected parsed: Rate | null = null;

  /** The client's history key, or null to let this request through unthrottled. */
  abstract getCacheKey(request: Request, view: ViewLike): string | null;

  /**
   * Current time in ms (DRF's `timer`), or undefined to let the cache's clock
   * decide — the default, so processes on several hosts sharing a Redis judge
   * by the Redis server's clock. Tests override it.
   */
  timer(): number | undefined {
    return undefined;
  }

  /** The rate string for this request: the class's `rate`, else the scope's setting. */
  getRate(request: Request): string | null {
    if (this.rate !== undefined) return this.rate;
    if (this.scope === null) {
      throw new ImproperlyConfigured(
        `You must set either \`.scope\` or \`.rate\` for '${this.constructor.name}' throttle`,
      );
    }
    const rates = request.settings.defaultThrottleRates;
    if (!Object.hasOwn(rates, this.scope)) {
      throw new ImproperlyConfigured(`No default throttle rate set for '${this.scope}' scope`);
    }
    return rates[this.scope] ?? null;
  }

  /**
   * The window this request counts in, or null when it passes unthrottled (no
   * rate, or no key for this client). `allowRequest` is `window` + the cache's
   * `hitWindow` + `record`; a view runs every throttle's hit in one batch.
   */
  window(request: Request, view: ViewLike): ThrottleWindow | null {
    this.parsed = parseRate(this.getRate(request));
    if (this.parsed === null) return null;
    const key = this.getCacheKey(request, view);
    if (key === null) return null;
    const rate = this.parsed;
    const { numRequests, duration } = rate;
    return {
      cache: this.cache ?? getDefaultCache(),
      // The rate is part of the key: two throttles of one scope with different
      // rates (the handbook's Burst/Sustained pair) must not share a history.
      key: memoized(windowKeys, rate, key, windowKey),
      limit: numRequests,
      durationMs: duration * 1000,
      now: this.timer(),
    };
  }

  /** Takes the cache's answer for `window()`'s window: whether the request is admitted. */
  record(hit: WindowHit): boolean {
    this.now = hit.now;
    // The cache's answer carries the history's count and oldest hit: kept as it is, not copied.
    this.history = hit;
    return hit.allowed;
  }

  async allowRequest(request: Request, view: ViewLike): Promise<boolean> {
    const w = this.window(request, view);
    if (w === null) return true;
    return this.record(await w.cache.hitWindow(w.key, w.limit, w.durationMs, w.now));
  }

  /** Seconds until a request would be admitted (DRF's estimate), or null when unknown. */
  wait(): number | null {
    if (this.parsed === null) return null;
    const { numRequests, duration } = this.parsed;
    const remaining =
      this.history.oldest === null ? duration : duration - (this.now - this.history.oldest) / 1000;
    const available = numRequests - this.history.count + 1;
    if (available <= 0) return null;
    return remaining / available;
  }

  /** The key format every throttle shares: `throttle_{scope}_{ident}`. */
  protected formatKey(ident: string): string {
    return memoized(cacheKeys, this.scope ?? "rate", ident, cacheKey);
  }

  /** The client address (socket, or X-Forwarded-For only through the trusted `numProxies`). */
  getIdent(request: Request): string {
    return request.clientIp ?? "unknown";
  }
}

// Keys are made once per scope (and rate) and client: a key built per request is a new string
// the cache must flatten and hash again on every hit; a memoized one carries its hash.
const cacheKeys = new Map<string, Map<string, string>>();
const windowKeys = new Map<Rate, Map<string, string>>();
/** Clients remembered per scope before its memo starts over (the idents are the clients'). */
const MAX_KEYS = 10_000;

function cacheKey(scope: string, ident: string): string {
  return `throttle_${scope}_${ident}`;
}

function windowKey(rate: Rate, key: string): string {
  return `${key}:${rate.numRequests}/${rate.duration}`;
}

function memoized<G>(
  memo: Map<G, Map<string, string>>,
  group: G,
  name: string,
  make: (group: G, name: string) => string,
): string {
  let names = memo.get(group);
  if (names === undefined) {
    names = new Map();
    memo.set(group, names);
  }
  let made = names.get(name);
  if (made === undefined) {
    if (names.size >= MAX_KEYS) names.clear();
    made = make(group, name);
    names.set(name, made);
  }
  return made;
}
