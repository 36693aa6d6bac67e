import type { Cache } from "../cache/cache.js";
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
export abstract class SimpleRateThrottle implements Throttle {
  /** Key into the settings' `defaultThrottleRates`. */
  scope: string | null = null;
  /** A fixed rate (`"60/min"`), overriding the scope's rate from the settings. */
  rate: string | null | undefined = undefined;
  /** Where histories live; the default cache (`setDefaultCache`) when unset. */
  cache: Cache | undefined = undefined;

  protected now = 0;
  protected history: { count: number; oldest: number | null } = { count: 0, oldest: null };
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

  async allowRequest(request: Request, view: ViewLike): Promise<boolean> {
    this.parsed = parseRate(this.getRate(request));
    if (this.parsed === null) return true;
    const key = this.getCacheKey(request, view);
    if (key === null) return true;
    const { numRequests, duration } = this.parsed;
    const at = this.timer();
    // The rate is part of the key: two throttles of one scope with different
    // rates (the handbook's Burst/Sustained pair) must not share a history.
    const hit = await (this.cache ?? getDefaultCache()).hitWindow(
      `${key}:${numRequests}/${duration}`,
      numRequests,
      duration * 1000,
      at,
    );
    this.now = hit.now;
    this.history = { count: hit.count, oldest: hit.oldest };
    return hit.allowed;
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
    return `throttle_${this.scope ?? "rate"}_${ident}`;
  }

  /** The client address (socket, or X-Forwarded-For only through the trusted `numProxies`). */
  getIdent(request: Request): string {
    return request.clientIp ?? "unknown";
  }
}
