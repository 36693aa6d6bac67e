import { ImproperlyConfigured } from "../exceptions/api-exception.js";

export interface Rate {
  numRequests: number;
  /** Window length in seconds. */
  duration: number;
}

const PERIODS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};

// Throttles are instantiated per request; their few rate strings are parsed once.
const parsed = new Map<string, Rate>();

/** DRF's rate strings: `"100/day"`, `"60/min"`, `"5/s"`; null = not throttled. */
export function parseRate(rate: string | null): Rate | null {
  if (rate === null) return null;
  const known = parsed.get(rate);
  if (known) return known;
  const match = /^(\d+)\/([a-z]+)$/.exec(rate.trim());
  const duration = match ? PERIODS[match[2]!] : undefined;
  if (!match || duration === undefined) {
    throw new ImproperlyConfigured(
      `Invalid throttle rate ${JSON.stringify(rate)}: expected "N/s|sec|m|min|h|hour|d|day"`,
    );
  }
  const result = Object.freeze({ numRequests: Number(match[1]), duration });
  if (parsed.size < 1000) parsed.set(rate, result);
  return result;
}
