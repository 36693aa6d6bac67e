import { describe, expect, it } from "vitest";
import { gcTotals } from "../src/alloc/trace-gc.js";

const MB = 1024 * 1024;

describe("gcTotals (node --trace-gc)", () => {
  it("adds up what was allocated between collections, and their pauses", () => {
    const log = [
      "listening on http://127.0.0.1:1234/",
      "[1:0x1]      429 ms: Mark-Compact 12.3 (18.7) -> 9.8 (28.0) MB, 6.54 / 0.04 ms  (+ 12.9 ms in 52 steps) finalize incremental marking via task; GC in old space requested",
      "[1:0x1]      602 ms: Scavenge 18.3 (28.2) -> 10.5 (28.2) MB, 0.82 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ",
      "[1:0x1]      765 ms: Scavenge 18.5 (28.2) -> 10.5 (28.2) MB, 0.80 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ",
      "[1:0x1]      800 ms: Scavenge 10.4 (28.2) -> 10.4 (28.2) MB, 0.10 / 0.00 ms  (average mu = 1.000, current mu = 1.000) task; ",
    ].join("\n");
    const totals = gcTotals(log);
    expect(totals.collections).toBe(4);
    // (18.3 - 9.8) + (18.5 - 10.5) + (a smaller "before" than the last "after": nothing)
    expect(totals.allocatedBytes).toBeCloseTo((8.5 + 8.0) * MB, 0);
    expect(totals.pauseMs).toBeCloseTo(6.54 + 0.82 + 0.8 + 0.1, 6);
  });

  it("is zero without collections", () => {
    expect(gcTotals("no gc here\n")).toEqual({ allocatedBytes: 0, pauseMs: 0, collections: 0 });
  });
});
