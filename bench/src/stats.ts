// Summaries of repeated runs: medians, ranges, the shop-api/baseline ratios and the targets.
import type { RunResult } from "./load.js";

export const TARGETS = {
  /** shop-api req/s at least this share of the baseline's. */
  throughput: 0.8,
  /** shop-api p99 at most this multiple of the baseline's. */
  p99: 1.25,
  /** shop-api RSS at most this multiple of the baseline's. */
  rss: 1.5,
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface ServerSummary {
  reqPerSec: { median: number; min: number; max: number };
  p50Ms: number;
  p99Ms: number;
  /** The server's CPU time per request (median over the runs), in µs. */
  cpuUsPerRequest: number;
  /**
   * Resident memory, the median of the readings after each of the endpoint's runs: one reading
   * lands wherever the last major GC left the heap, the median is where the process sits.
   */
  rssMb: number;
}

export interface EndpointSummary {
  db: string;
  scale: number;
  connections: number;
  endpoint: string;
  path: string;
  baseline: ServerSummary;
  shopApi: ServerSummary;
  ratio: Ratios;
  failures: number;
  runs: RunResult[];
  /** Shown in the table, left out of the verdicts (the shop-api's product cache: the baseline has none). */
  informational?: boolean;
}

export function summarizeServer(runs: RunResult[]): ServerSummary {
  const rps = runs.map((r) => r.reqPerSec);
  return {
    reqPerSec: { median: median(rps), min: Math.min(...rps), max: Math.max(...rps) },
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    rssMb: median(runs.map((r) => r.rssBytes)) / 2 ** 20,
  };
}

/**
 * The shop-api/baseline ratios of one endpoint. Throughput and p99 are taken pair by pair (each
 * shop-api run against the baseline run next to it) and the median of those is the ratio: this
 * machine's speed drifts by tens of percent within a minute, and a pair's two runs share the
 * same stretch of it, while medians taken per server over the whole row would not. Each
 * server's runs in the order they ran; pair i is the i-th run of each. RSS: the median of each
 * server's readings after its runs (memory does not drift with the host's speed as req/s does).
 */
export function ratios(shopRuns: readonly RunResult[], baseRuns: readonly RunResult[]): Ratios {
  const pairs = Math.min(shopRuns.length, baseRuns.length);
  const throughput: number[] = [];
  const p99: number[] = [];
  const cpu: number[] = [];
  // Latencies are measured to the microsecond (latency.ts), so sub-millisecond p99s compare as
  // they are; the floor only keeps a ratio finite.
  const floorMs = 0.001;
  for (let i = 0; i < pairs; i++) {
    const s = shopRuns[i] as RunResult;
    const b = baseRuns[i] as RunResult;
    throughput.push(s.reqPerSec / b.reqPerSec);
    p99.push(Math.max(s.p99Ms, floorMs) / Math.max(b.p99Ms, floorMs));
    cpu.push(s.cpuUsPerRequest / b.cpuUsPerRequest);
  }
  return {
    throughput: median(throughput),
    p99: median(p99),
    rss: median(shopRuns.map((r) => r.rssBytes)) / median(baseRuns.map((r) => r.rssBytes)),
    cpu: median(cpu),
    pairs: { throughput, p99 },
  };
}

export interface Ratios {
  throughput: number;
  p99: number;
  rss: number;
  /** Shop-api CPU per request over the baseline's (median of the pairs'): shown, not a target. */
  cpu?: number;
  /** Each pair's own ratios, in the order the pairs ran (what the medians are taken of). */
  pairs?: { throughput: number[]; p99: number[] };
}

export function verdicts(all: EndpointSummary[]): string[] {
  const rows = all.filter((r) => !r.informational);
  const label = (r: EndpointSummary) => `${r.endpoint} (${r.db} x${r.scale} c=${r.connections})`;
  const check = (
    name: string,
    ok: (r: EndpointSummary) => boolean,
    value: (r: EndpointSummary) => number,
  ) => {
    const missed = rows.filter((r) => !ok(r));
    if (missed.length === 0) return `PASS  ${name}: every endpoint`;
    const worst = [...missed].sort((a, b) => value(a) - value(b));
    const w = name.startsWith("throughput") ? worst[0] : worst.at(-1);
    return `MISS  ${name}: ${missed.length}/${rows.length} missed, worst ${value(w as EndpointSummary).toFixed(2)}x on ${label(w as EndpointSummary)}`;
  };
  return [
    check(
      `throughput >= ${TARGETS.throughput}x baseline`,
      (r) => r.ratio.throughput >= TARGETS.throughput,
      (r) => r.ratio.throughput,
    ),
    check(
      `p99 <= ${TARGETS.p99}x baseline`,
      (r) => r.ratio.p99 <= TARGETS.p99,
      (r) => r.ratio.p99,
    ),
    check(
      `RSS <= ${TARGETS.rss}x baseline`,
      (r) => r.ratio.rss <= TARGETS.rss,
      (r) => r.ratio.rss,
    ),
  ];
}

const n0 = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number) => (x < 1 ? x.toFixed(2) : x < 10 ? x.toFixed(1) : n0(x));

/** ` (0.71–0.93)`: the lowest and highest of the pairs' ratios, when there are several. */
function pairRange(xs: readonly number[] | undefined): string {
  if (xs === undefined || xs.length < 2) return "";
  return ` (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
}

/** A Markdown table: one row per endpoint, both servers side by side. */
export function table(rows: EndpointSummary[]): string {
  const head =
    "| db | data | c | endpoint | baseline req/s (range) | shop-api req/s (range) | ratio (pairs' range) | p50 ms base / shop | p99 ms base / shop | p99 ratio | RSS MB base / shop | RSS ratio | CPU µs/req base / shop (shop÷base) |";
  const sep = `|${"---|".repeat(13)}`;
  const lines = rows.map((r) => {
    const b = r.baseline;
    const s = r.shopApi;
    return `| ${r.db} | x${r.scale} | ${r.connections} | ${r.endpoint} | ${n0(b.reqPerSec.median)} (${n0(b.reqPerSec.min)}–${n0(b.reqPerSec.max)}) | ${n0(s.reqPerSec.median)} (${n0(s.reqPerSec.min)}–${n0(s.reqPerSec.max)}) | ${r.ratio.throughput.toFixed(2)}x${pairRange(r.ratio.pairs?.throughput)} | ${ms(b.p50Ms)} / ${ms(s.p50Ms)} | ${ms(b.p99Ms)} / ${ms(s.p99Ms)} | ${r.ratio.p99.toFixed(2)}x | ${n0(b.rssMb)} / ${n0(s.rssMb)} | ${r.ratio.rss.toFixed(2)}x | ${n0(b.cpuUsPerRequest)} / ${n0(s.cpuUsPerRequest)} (${r.ratio.cpu === undefined ? "–" : `${r.ratio.cpu.toFixed(2)}x`}) |`;
  });
  return [head, sep, ...lines].join("\n");
}
