// The contract's throttling by hand: an anonymous client is counted by its address against the
// anon rate and the user rate (`THROTTLE_ANON`, `THROTTLE_USER`), an authenticated one by its
// user id against the user rate; a request refused by any window gets DRF's 429 with the longest
// wait. Each window is DRF's sliding log (refused once the last `duration` holds `limit` hits; a
// refused request is not recorded), kept in process memory as the shop-api's default cache does.
import { type BaselineContext, respond } from "./respond.js";

// DRF's parse_rate reads the period by its first letter: "5/s", "60/min", "1000/hour", "9/day".
const PERIOD_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export interface Rate {
  limit: number;
  durationMs: number;
}

/** `"1000/hour"`, `"60/min"`, `"5/s"`. */
export function parseRate(text: string): Rate {
  const [count, period = ""] = text.trim().split("/");
  const seconds = PERIOD_SECONDS[period.charAt(0)];
  if (!/^\d+$/.test(count ?? "") || seconds === undefined)
    throw new Error(`invalid throttle rate ${JSON.stringify(text)}`);
  return { limit: Number(count), durationMs: seconds * 1000 };
}

/**
 * One client's hit times, oldest first, in a ring buffer: recording a hit and forgetting one move
 * an index (no shifting, no garbage); the buffer doubles only when the window holds more hits
 * than ever before.
 */
class History {
  private stamps = new Float64Array(16);
  private head = 0;
  count = 0;

  forgetUntil(floor: number): void {
    const mask = this.stamps.length - 1;
    while (this.count > 0 && (this.stamps[this.head] as number) <= floor) {
      this.head = (this.head + 1) & mask;
      this.count--;
    }
  }

  push(stamp: number): void {
    if (this.count === this.stamps.length) this.grow();
    this.stamps[(this.head + this.count) & (this.stamps.length - 1)] = stamp;
    this.count++;
  }

  oldest(): number | null {
    return this.count > 0 ? (this.stamps[this.head] as number) : null;
  }

  newest(): number | null {
    return this.count > 0
      ? (this.stamps[(this.head + this.count - 1) & (this.stamps.length - 1)] as number)
      : null;
  }

  private grow(): void {
    const old = this.stamps;
    const stamps = new Float64Array(old.length * 2);
    for (let i = 0; i < this.count; i++) stamps[i] = old[(this.head + i) & (old.length - 1)] as number;
    this.stamps = stamps;
    this.head = 0;
  }
}

/** Clients whose histories are looked at for removal, every this many hits. */
const SWEEP_EVERY = 10_000;

export class SlidingWindow {
  private readonly histories = new Map<string, History>();
  private hitsSinceSweep = 0;

  constructor(readonly rate: Rate) {}

  /** Records a hit of `key` at `now` (ms) and answers true, or false when the window is full. */
  admit(key: string, now: number): boolean {
    if (++this.hitsSinceSweep >= SWEEP_EVERY) this.sweep(now);
    let history = this.histories.get(key);
    if (history === undefined) {
      history = new History();
      this.histories.set(key, history);
    }
    history.forgetUntil(now - this.rate.durationMs);
    if (history.count >= this.rate.limit) return false;
    history.push(now);
    return true;
  }

  /** DRF's estimate after a refusal: the window's remaining time over the hits still allowed. */
  wait(key: string, now: number): number | null {
    const history = this.histories.get(key);
    const count = history?.count ?? 0;
    const oldest = history?.oldest() ?? null;
    const remainingMs = oldest === null ? this.rate.durationMs : this.rate.durationMs - (now - oldest);
    const available = this.rate.limit - count + 1;
    return available <= 0 ? null : remainingMs / 1000 / available;
  }

  private sweep(now: number): void {
    this.hitsSinceSweep = 0;
    const floor = now - this.rate.durationMs;
    for (const [key, history] of this.histories) {
      const newest = history.newest();
      if (newest === null || newest <= floor) this.histories.delete(key);
    }
  }
}

export interface ThrottleRates {
  anon: string;
  user: string;
}

/** THROTTLE_ANON and THROTTLE_USER, or the contract's defaults. */
export function ratesFromEnv(env: NodeJS.ProcessEnv): ThrottleRates {
  return { anon: env.THROTTLE_ANON ?? "1000/hour", user: env.THROTTLE_USER ?? "10000/hour" };
}

export interface Throttles {
  /** An anonymous request: counted by address in both windows; a 429 to answer, or undefined. */
  anonymous(c: BaselineContext, allow: string): Response | undefined;
  /** An authenticated request: counted by user id in the user window. */
  user(c: BaselineContext, userId: number, allow: string): Response | undefined;
}

export function throttles(rates: ThrottleRates): Throttles {
  const anon = new SlidingWindow(parseRate(rates.anon));
  const user = new SlidingWindow(parseRate(rates.user));
  return {
    anonymous(c, allow) {
      // The socket's address (no proxies are trusted here); in-process requests have none.
      const ident = c.env?.incoming?.socket?.remoteAddress ?? "unknown";
      const now = Date.now();
      // Every window is asked, as DRF checks every throttle: the one that admits records the hit.
      const anonOk = anon.admit(ident, now);
      const userOk = user.admit(ident, now);
      if (anonOk && userOk) return undefined;
      const waits: (number | null)[] = [];
      if (!anonOk) waits.push(anon.wait(ident, now));
      if (!userOk) waits.push(user.wait(ident, now));
      return throttled(c, waits, allow);
    },
    user(c, userId, allow) {
      const key = `user:${userId}`;
      const now = Date.now();
      return user.admit(key, now) ? undefined : throttled(c, [user.wait(key, now)], allow);
    },
  };
}

/** DRF's Throttled: the longest known wait, rounded up, in the detail and in Retry-After. */
function throttled(c: BaselineContext, waits: (number | null)[], allow: string): Response {
  const known = waits.filter((w): w is number => w !== null);
  const seconds = known.length > 0 ? Math.ceil(Math.max(...known)) : null;
  const detail =
    seconds === null
      ? "Request was throttled."
      : `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  return respond(c, 429, JSON.stringify({ detail }), {
    allow,
    ...(seconds === null ? {} : { retryAfter: String(seconds) }),
  });
}
