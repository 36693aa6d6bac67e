// The hand-written formatting the baseline relies on, and the runner's arithmetic.
import { describe, expect, it } from "vitest";
import { parseListQuery } from "../src/baseline/list-query.js";
import {
  averageRating,
  boundInCents,
  centsToDecimal,
  isoDateTime,
  pageLink,
} from "../src/baseline/render.js";
import { type CpuProfile, shortUrl, summarizeProfile } from "../src/cpu-profile.js";
import { generateFixture } from "../src/data/generate.js";
import { collectedInstructions, perRequest } from "../src/instructions/count.js";
import { LatencySamples } from "../src/latency.js";
import type { RunResult } from "../src/load.js";
import { formatPerfLines, parsePerfReport, perfRecordArgs } from "../src/perf-profile.js";
import { median, ratios, summarizeServer, table, verdicts } from "../src/stats.js";

describe("baseline formatting", () => {
  it("rounds the mean rating half to even on two places", () => {
    expect(averageRating(0, 0)).toBeNull();
    expect(averageRating(11, 3)).toBe(3.67);
    expect(averageRating(1, 8)).toBe(0.12); // 0.125 → 0.12
    expect(averageRating(3, 8)).toBe(0.38); // 0.375 → 0.38
    expect(averageRating(8, 2)).toBe(4);
  });
  it("writes cents as two-place decimals and bounds in cents", () => {
    expect(centsToDecimal(29201)).toBe("292.01");
    expect(centsToDecimal(5)).toBe("0.05");
    expect(boundInCents("50", "ceil")).toBe(5000n);
    expect(boundInCents("49.991", "ceil")).toBe(5000n);
    expect(boundInCents("49.999", "floor")).toBe(4999n);
    expect(boundInCents("abc", "ceil")).toBeUndefined();
  });
  it("renders datetimes as Python's isoformat with Z", () => {
    expect(isoDateTime("2026-07-28T08:03:00.000Z")).toBe("2026-07-28T08:03:00Z");
    expect(isoDateTime(new Date("2026-07-28T08:03:00.250Z"))).toBe("2026-07-28T08:03:00.250000Z");
  });
  it("links pages with sorted parameters and drops page=1", () => {
    const url = new URL("http://h/api/v1/products/?search=a+b&page=3&ordering=-price");
    expect(pageLink(url, 4)).toBe("http://h/api/v1/products/?ordering=-price&page=4&search=a+b");
    expect(pageLink(url, null)).toBe("http://h/api/v1/products/?ordering=-price&search=a+b");
  });
  it("parses the list query like django-filter and DRF", () => {
    const ok = parseListQuery(new URLSearchParams("in_stock=TRUE&is_featured=maybe&ordering=-price,bogus"));
    expect(ok).toMatchObject({
      query: {
        inStock: true,
        ordering: [
          ["price", true],
          ["id", false],
        ],
      },
    });
    expect("query" in ok && ok.query.isFeatured).toBe(undefined);
    expect(parseListQuery(new URLSearchParams("min_price=x"))).toEqual({
      errors: { min_price: ["Enter a number."] },
    });
  });
});

describe("generated data", () => {
  it("scales products, users, reviews and orders, keeps 12 categories, and repeats itself", () => {
    const one = generateFixture(1);
    const two = generateFixture(2);
    const count = (rows: typeof one, model: string) => rows.filter((r) => r.model === model).length;
    expect(count(one, "products.product")).toBe(500);
    expect(count(two, "products.product")).toBe(1000);
    expect(count(two, "products.category")).toBe(12);
    expect(count(two, "users.user")).toBe(82);
    expect(count(one, "products.review")).toBeGreaterThan(500);
    expect(JSON.stringify(generateFixture(1))).toBe(JSON.stringify(one));
    const slugs = one.filter((r) => r.model === "products.product").map((r) => r.fields.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });
});

describe("instruction counts (pnpm bench --instructions)", () => {
  it("reads callgrind's total from its report", () => {
    const stderr =
      "==4242== Events    : Ir\n==4242== Collected : 4,383,377,691\n==4242==\n==4242== I   refs:      4,383,377,691\n";
    expect(collectedInstructions(stderr)).toBe(4_383_377_691);
    expect(collectedInstructions("valgrind: no such file")).toBeUndefined();
  });

  it("divides the difference of two runs by the difference of their request counts", () => {
    // the same start-up and warm-up in both runs: what differs is the extra requests
    expect(
      perRequest(1_000_000 + 2000 * 40, 1_000_000 + 10000 * 40, { warm: 3000, small: 2000, large: 10000 }),
    ).toBe(40);
  });
});

describe("latency samples", () => {
  it("reads percentiles at the resolution measured, by nearest rank", () => {
    const samples = new LatencySamples();
    expect(samples.percentile(99)).toBeNaN();
    // More than the first buffer holds, added out of order: 0.001 ms .. 100 ms.
    for (let i = 100_000; i >= 1; i--) samples.add(i / 1000);
    expect(samples.count).toBe(100_000);
    expect(samples.percentile(50)).toBe(50);
    expect(samples.percentile(99)).toBe(99);
    expect(samples.percentile(100)).toBe(100);
    samples.add(0.0005);
    expect(samples.percentile(0)).toBe(0.0005);
  });
  it("judges RSS by the median reading, not by where the last run left the heap", () => {
    const shopRuns = [run("shop-api", 1, 1, 120), run("shop-api", 1, 1, 125), run("shop-api", 1, 1, 190)];
    const baseRuns = [run("baseline", 1, 1, 100), run("baseline", 1, 1, 110), run("baseline", 1, 1, 100)];
    expect(ratios(shopRuns, baseRuns).rss).toBeCloseTo(1.25);
    expect(summarizeServer(shopRuns).rssMb).toBe(125);
  });
  it("tells sub-millisecond p99s apart (autocannon's histogram reads both as 0 ms)", () => {
    expect(ratios([run("shop-api", 1000, 0.4, 100)], [run("baseline", 1000, 0.2, 100)]).p99).toBeCloseTo(2);
  });
});

const run = (server: string, reqPerSec: number, p99Ms: number, rssMb: number): RunResult => ({
  server,
  reqPerSec,
  p50Ms: 1,
  p99Ms,
  rssBytes: rssMb * 2 ** 20,
  cpuUsPerRequest: reqPerSec / 10,
  requests: 1,
  failures: 0,
});

describe("runner arithmetic", () => {
  it("takes medians and ratios and names the worst miss", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    // Pairs in the order run (A B, B A): 700/1000 and 800/900.
    const runs = [
      run("baseline", 1000, 10, 100),
      run("shop-api", 700, 20, 150),
      run("shop-api", 800, 20, 170),
      run("baseline", 900, 12, 100),
    ];
    const baseRuns = runs.filter((r) => r.server === "baseline");
    const shopRuns = runs.filter((r) => r.server === "shop-api");
    const base = summarizeServer(baseRuns);
    const shop = summarizeServer(shopRuns);
    expect(base.reqPerSec).toEqual({ median: 950, min: 900, max: 1000 });
    const ratio = ratios(shopRuns, baseRuns);
    expect(ratio.throughput).toBeCloseTo((0.7 + 800 / 900) / 2);
    expect(ratio.pairs?.throughput).toEqual([0.7, 800 / 900]);
    expect(ratio.p99).toBeCloseTo((2 + 20 / 12) / 2);
    // RSS: the medians of each server's readings, 160 MB against 100.
    expect(ratio.rss).toBeCloseTo(1.6);
    expect(shop.rssMb).toBe(160);
    // CPU per request: 70/100 and 80/90 (the helper's µs are req/s / 10), shown beside the ratios.
    expect(ratio.cpu).toBeCloseTo((0.7 + 80 / 90) / 2);
    const row = {
      db: "sqlite",
      scale: 1,
      connections: 1,
      endpoint: "x",
      path: "/",
      baseline: base,
      shopApi: shop,
      ratio,
      failures: 0,
      runs: [],
    };
    const lines = verdicts([row]);
    expect(lines[0]).toMatch(/^MISS {2}throughput .* 0\.79x on x \(sqlite x1 c=1\)$/);
    expect(table([row])).toContain("| 0.79x (0.70–0.89) |");
    expect(table([row])).toContain("| 95 / 75 (0.79x) |");
    expect(lines[1]).toMatch(/^MISS {2}p99/);
    expect(lines[2]).toMatch(/^MISS {2}RSS .* 1\.60x/);
    // A row of the shop-api's product cache is shown but judged by no target.
    const fast = { ...row, endpoint: "y", ratio: { throughput: 5, p99: 0.5, rss: 1 } };
    expect(verdicts([fast])[0]).toMatch(/^PASS/);
    expect(verdicts([{ ...row, informational: true }, fast])).toEqual(verdicts([fast]));
  });
  it("splits a CPU profile into self and inclusive time", () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)", ""), children: [2] },
        { id: 2, callFrame: frame("handle", "file:///w/packages/views/src/view.ts"), children: [3] },
        { id: 3, callFrame: frame("compile", "file:///w/packages/models/src/query/compiler.ts") },
      ],
      samples: [2, 3, 3, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const s = summarizeProfile(profile);
    expect(s.totalMs).toBe(4);
    expect(s.selfByFunction[0]).toEqual({
      name: "compile packages/models/src/query/compiler.ts:1",
      ms: 3,
      percent: 75,
    });
    expect(s.inclusiveByFunction[0]).toEqual({
      name: "handle packages/views/src/view.ts:1",
      ms: 4,
      percent: 100,
    });
  });
});

describe("shortUrl", () => {
  it("names workspace files by package path, from the sources or the compiled output", () => {
    expect(shortUrl("file:///repo/packages/views/src/views/api-view.ts")).toBe(
      "packages/views/src/views/api-view.ts",
    );
    expect(shortUrl("file:///repo/packages/views/dist/cache/memory-cache.js")).toBe(
      "packages/views/dist/cache/memory-cache.js",
    );
    expect(shortUrl("node:internal/url")).toBe("node:internal/url");
  });
});

describe("perf listings (pnpm bench --profile --perf)", () => {
  const children = [
    "# Samples: 20K of event 'cpu-clock'",
    "#",
    "# Children      Self  Symbol",
    "    77.12%     0.20%  [.] JS:*processTicksAndRejections node:internal/process/task_queues:67:35",
    "    25.22%     0.08%  [.] JS:*run file:///work/main/packages/models/dist/db/database.js:55:8",
    "    16.71%     0.18%  [.] sqlite3_step",
    "     9.87%     0.01%  [k] do_writev",
    "",
  ].join("\n");

  it("reads each symbol's share (the first column) and shortens workspace URLs", () => {
    const lines = parsePerfReport(children);
    expect(lines.map((l) => l.percent)).toEqual([77.12, 25.22, 16.71, 9.87]);
    expect(lines[1]?.symbol).toBe("[.] JS:*run packages/models/dist/db/database.js:55:8");
    expect(lines[3]?.symbol).toBe("[k] do_writev");
  });

  it("reads a listing without the children column and formats the top lines", () => {
    const self =
      "# comment\n     9.63%  [k] _raw_spin_unlock_irqrestore\n     1.67%  [.] Builtins_KeyedLoadIC_Megamorphic\n";
    const lines = parsePerfReport(self);
    expect(lines).toEqual([
      { percent: 9.63, symbol: "[k] _raw_spin_unlock_irqrestore" },
      { percent: 1.67, symbol: "[.] Builtins_KeyedLoadIC_Megamorphic" },
    ]);
    expect(formatPerfLines(lines, 1)).toBe("   9.6%  [k] _raw_spin_unlock_irqrestore");
  });

  it("records the one process for the run's length, with call graphs, into the given file", () => {
    const args = perfRecordArgs(42, 10, "/tmp/p.data");
    expect(args[0]).toBe("record");
    expect(args).toContain("-g");
    expect(args[args.indexOf("-p") + 1]).toBe("42");
    expect(args[args.indexOf("-o") + 1]).toBe("/tmp/p.data");
    expect(args.slice(args.indexOf("--") + 1)).toEqual(["sleep", "10"]);
  });
});
