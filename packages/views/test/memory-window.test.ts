// MemoryCache keeps a window's hits as runs of equal timestamps: its answers must be those
// of DRF's plain list of timestamps, hit for hit (bursts within one millisecond included).
import { describe, expect, it } from "vitest";
import { MemoryCache, type WindowHit } from "../src/index.js";

/** DRF's SimpleRateThrottle history as a plain list (newest last). */
function listModel(): (limit: number, durationMs: number, now: number) => WindowHit {
  const history: number[] = [];
  return (limit, durationMs, now) => {
    while (history.length > 0 && (history[0] as number) <= now - durationMs) history.shift();
    if (history.length >= limit)
      return { allowed: false, count: history.length, oldest: history[0] ?? null, now };
    history.push(now);
    return { allowed: true, count: history.length, oldest: history[0] ?? null, now };
  };
}

/** A small deterministic generator (the sequence is the same on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("MemoryCache hit windows", () => {
  it.each([
    [1, 5, 1000],
    [2, 100, 1000],
    [3, 1_000_000, 50],
    [4, 40, 250],
  ])("answer as a list of timestamps (seed %i, limit %i, %i ms)", async (seed, limit, durationMs) => {
    const cache = new MemoryCache();
    const model = listModel();
    const next = random(seed);
    let now = 1_700_000_000_000;
    for (let i = 0; i < 5000; i++) {
      // Bursts in one millisecond, small steps, and now and then a pause past the window.
      const r = next();
      now += r < 0.5 ? 0 : r < 0.95 ? Math.floor(next() * 5) : Math.floor(next() * durationMs * 2);
      const expected = model(limit, durationMs, now);
      const viaBatch = next() < 0.5;
      const got = viaBatch
        ? (cache.hitWindows([{ key: "k", limit, durationMs, now }])[0] as WindowHit)
        : await cache.hitWindow("k", limit, durationMs, now);
      expect(got).toEqual(expected);
    }
  });
});
