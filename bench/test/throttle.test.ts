// The baseline's hand-written throttle: DRF's sliding window, kept in a ring buffer.
import { describe, expect, it } from "vitest";
import { parseRate, SlidingWindow } from "../src/baseline/throttle.js";

describe("the baseline's sliding window", () => {
  it("parses DRF's rate strings and refuses others", () => {
    expect(parseRate("1000/hour")).toEqual({ limit: 1000, durationMs: 3_600_000 });
    expect(parseRate("5/s")).toEqual({ limit: 5, durationMs: 1000 });
    expect(parseRate("60/minute")).toEqual({ limit: 60, durationMs: 60_000 });
    expect(() => parseRate("5/fortnight")).toThrow(/invalid throttle rate/);
    expect(() => parseRate("many/s")).toThrow(/invalid throttle rate/);
  });

  it("admits `limit` hits a window, does not record a refused one, and forgets old hits", () => {
    const w = new SlidingWindow(parseRate("3/s"));
    expect([0, 100, 200, 300].map((t) => w.admit("a", t))).toEqual([true, true, true, false]);
    // DRF's wait: the window's rest (1000 - 300 ms) over the hits still allowed (3 - 3 + 1).
    expect(w.wait("a", 300)).toBeCloseTo(0.7);
    expect(w.admit("b", 300)).toBe(true); // another client, its own history
    expect(w.admit("a", 1000)).toBe(true); // the hit at 0 is out (at or before now - 1000)
    expect(w.admit("a", 1001)).toBe(false); // 100, 200, 1000 still in: the refusal at 300 was not kept
    expect(w.admit("a", 1100)).toBe(true);
  });

  it("keeps exact counts while its buffer wraps around and grows", () => {
    const w = new SlidingWindow({ limit: 40, durationMs: 10 });
    // 5 hits a millisecond: the window (10 ms) holds 50, so every millisecond 10 are refused.
    let admitted = 0;
    for (let t = 0; t < 200; t++) for (let i = 0; i < 5; i++) if (w.admit("k", t)) admitted++;
    // Each 10 ms admits 40 (8 ms of hits), then refuses until the oldest fall out.
    expect(admitted).toBe(800);
    expect(w.wait("k", 199)).not.toBeNull();
  });
});
