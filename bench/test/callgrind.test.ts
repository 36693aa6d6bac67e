// The attribution behind `pnpm bench --instructions --http`: callgrind's self costs by symbol,
// JIT code named through Node's perf map, and the per-request difference of two servers.
import { describe, expect, it } from "vitest";
import { shortSymbol } from "../src/cpu-profile.js";
import {
  backgroundKind,
  eventTotals,
  parsePerfMap,
  perRequestCosts,
  selfCosts,
  selfCostsByEvent,
} from "../src/instructions/callgrind.js";
import { extraInstructions, formatExtra, formatMisses } from "../src/instructions/count.js";

// A callgrind file as `--dump-instr=yes` writes it: names compressed to ids on first use
// (sometimes first in a cfn= line), positions absolute or relative, a call's inclusive cost on
// the line after `calls=` (not the caller's own).
const CALLGRIND = [
  "# callgrind format",
  "version: 1",
  "positions: instr line",
  "events: Ir",
  "",
  "ob=(1) /usr/bin/node",
  "fn=(1) Builtins_KeyedLoadIC_Megamorphic",
  "0x5000 0 40",
  "+4 0 10",
  "cfn=(2) v8::internal::compiler::GraphReducer::ReduceTop()",
  "calls=1 0x6000",
  "+2 0 999",
  "fn=(2)",
  "0x6000 0 7",
  "ob=(2) ???",
  "fn=(3) 0x00001000",
  "0x1000 0 100",
  "+16 0 20",
  "fn=(4) 0x00002000",
  "0x2010 0 5",
  "0x9000 0 3",
  "fn=(1)",
  "0x5008 0 1",
  "",
].join("\n");

const PERF_MAP = [
  "1000 40 JS:*dispatch file:///work/main/packages/views/dist/views/api-view.js:430:13",
  "2000 100 JS:*fetch file:///work/main/node_modules/.pnpm/hono@4.13.19/node_modules/hono/dist/hono-base.js:305:10",
  // Code space reused: a later entry covering part of the earlier one wins there.
  "2008 10 JS:*hit file:///work/main/packages/views/dist/cache/memory-cache.js:114:8",
  "",
].join("\n");

describe("callgrind attribution", () => {
  it("names native code by callgrind's names and JIT code by the perf map, self costs only", () => {
    const costs = selfCosts(CALLGRIND, parsePerfMap(PERF_MAP));
    expect(Object.fromEntries(costs)).toEqual({
      // 40 + 10 + 1; the 999 after `calls=` is the callee's inclusive cost.
      Builtins_KeyedLoadIC_Megamorphic: 51,
      "v8::internal::compiler::GraphReducer::ReduceTop()": 7,
      "JS:*dispatch packages/views/dist/views/api-view.js:430:13": 120,
      "JS:*hit packages/views/dist/cache/memory-cache.js:114:8": 5,
      "(unknown JIT code)": 3,
    });
  });

  it("with the cache simulated, takes Ir from its column and reads every event's total", () => {
    // `--cache-sim=yes`: nine events a cost line, trailing zeros left out.
    const simulated = [
      "# callgrind format",
      "version: 1",
      "positions: instr line",
      "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw",
      "",
      "ob=(1) /usr/bin/node",
      "fn=(1) Builtins_LoadIC",
      "0x5000 0 40 12 3 2 1",
      "+4 0 10",
      "fn=(2) 0x00001000",
      "0x1000 0 100 30 10 5 4 1 0 0 1",
      "",
      "summary: 150 42 13 7 5 1 0 0 1",
      "",
    ].join("\n");
    expect(Object.fromEntries(selfCosts(simulated, parsePerfMap(PERF_MAP)))).toEqual({
      Builtins_LoadIC: 50,
      "JS:*dispatch packages/views/dist/views/api-view.js:430:13": 100,
    });
    // Per symbol, each event from its own column; a left-out trailing zero counts nothing.
    const byEvent = selfCostsByEvent(simulated, parsePerfMap(PERF_MAP), ["I1mr", "D1mw", "Bc"]);
    expect(Object.fromEntries(byEvent.get("I1mr") ?? [])).toEqual({
      Builtins_LoadIC: 2,
      "JS:*dispatch packages/views/dist/views/api-view.js:430:13": 5,
    });
    expect(Object.fromEntries(byEvent.get("D1mw") ?? [])).toEqual({
      "JS:*dispatch packages/views/dist/views/api-view.js:430:13": 1,
    });
    expect(byEvent.get("Bc")?.size).toBe(0);
    expect(eventTotals(simulated)).toEqual({
      Ir: 150,
      Dr: 42,
      Dw: 13,
      I1mr: 7,
      D1mr: 5,
      D1mw: 1,
      ILmr: 0,
      DLmr: 0,
      DLmw: 1,
    });
    // Without the simulation: Ir alone, from `totals:` when there is no summary.
    expect(eventTotals("events: Ir\n0x1 0 5\ntotals: 5\n")).toEqual({ Ir: 5 });
    const printed = formatMisses(
      {
        baseline: { Ir: 900, I1mr: 17064, D1mr: 12906 },
        "shop-api": { Ir: 880, I1mr: 18624, D1mr: 14233 },
      },
      "the whole run",
    );
    expect(printed).toContain("I1mr (instruction fetches missing L1)");
    expect(printed).toMatch(/17,064\s+18,624\s+1\.09x/);
    expect(printed).toMatch(/12,906\s+14,233\s+1\.10x/);
    expect(printed).not.toContain("D1mw");
  });

  it("per request: the long run minus the short one, over the requests between them", () => {
    const small = new Map([
      ["a", 1000],
      ["b", 50],
    ]);
    const large = new Map([
      ["a", 9000],
      ["c", 400],
    ]);
    expect(Object.fromEntries(perRequestCosts(small, large, 100))).toEqual({ a: 80, b: -0.5, c: 4 });
  });

  it("shortens file URLs to the package path, and sets V8's compiler and GC apart", () => {
    expect(shortSymbol("JS:*get file:///x/node_modules/.pnpm/hono@4/node_modules/hono/dist/a.js:1:2")).toBe(
      "JS:*get hono/dist/a.js:1:2",
    );
    expect(shortSymbol("JS:*get file:///work/main/apps/shop-api/dist/app.js:3:4")).toBe(
      "JS:*get apps/shop-api/dist/app.js:3:4",
    );
    expect(backgroundKind("v8::internal::compiler::Scheduler::ScheduleLate()")).toBe("compiler");
    expect(backgroundKind("v8::internal::Scavenger::Process(v8::JobDelegate*)")).toBe("gc");
    expect(backgroundKind("JS:*normalizeString node:path:94:25")).toBe("start-up");
    expect(backgroundKind("Builtins_StringAdd_CheckNone")).toBeUndefined();
    // Names that merely contain a compiler word are request work: JavaScript, Node's HTTP parser.
    expect(backgroundKind("JS:*onParserExecuteCommon node:_http_server:905:31")).toBeUndefined();
    expect(backgroundKind("node::(anonymous namespace)::Parser::on_headers_complete()")).toBeUndefined();
    expect(backgroundKind("v8::internal::Parser::ParseProgram(v8::internal::Isolate*)")).toBe("compiler");
  });

  it("compares two servers symbol by symbol, largest differences first, background work apart", () => {
    const extra = extraInstructions(
      new Map([
        ["JS:*applyDefaults", 1900],
        ["Builtins_LoadIC", 2500],
        ["v8::internal::compiler::GraphReducer::ReduceTop()", 900],
      ]),
      new Map([
        ["JS:*BaselineResponse", 660],
        ["Builtins_LoadIC", 2400],
        ["v8::internal::compiler::GraphReducer::ReduceTop()", 100],
      ]),
    );
    expect(extra.shopApi).toBe(4400);
    expect(extra.baseline).toBe(3060);
    expect(extra.background).toEqual({ shopApi: 900, baseline: 100 });
    expect(extra.symbols.map((s) => [s.symbol, s.difference])).toEqual([
      ["JS:*applyDefaults", 1900],
      ["JS:*BaselineResponse", -660],
      ["Builtins_LoadIC", 100],
    ]);
    expect(formatExtra(extra, 2)).toContain("difference    1,340");
    expect(formatExtra(extra, 2)).toContain("(self instructions per request)");
    // The same listing of misses by symbol (--cache-sim) names its unit.
    expect(formatExtra(extra, 2, "L1 misses (I1mr + D1mr + D1mw)")).toContain(
      "(self L1 misses (I1mr + D1mr + D1mw) per request)",
    );
  });
});
