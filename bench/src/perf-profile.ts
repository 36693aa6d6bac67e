// Linux `perf` for `pnpm bench --profile --perf`: on virtual machines such as the benchmark's
// (Firecracker) `node --cpu-prof` charges JavaScript to the next system call; perf samples from
// the timer interrupt. Node writes the JIT's symbols for it with --perf-basic-prof.
import { shortSymbol } from "./cpu-profile.js";

/** `perf record` of process `pid` for `seconds`, call graphs included, into `out`. */
export function perfRecordArgs(pid: number, seconds: number, out: string): string[] {
  return [
    "record",
    "-g",
    "-e",
    "cpu-clock",
    "-F",
    "4000",
    "-p",
    String(pid),
    "-o",
    out,
    "--",
    "sleep",
    String(seconds),
  ];
}

/** `perf report` of `data`: flat (`self`) or inclusive of callees (`children`), one line per symbol. */
export function perfReportArgs(data: string, mode: "self" | "children"): string[] {
  return [
    "report",
    "-i",
    data,
    "--stdio",
    mode === "children" ? "--children" : "--no-children",
    "--sort",
    "sym",
    "-g",
    "none",
  ];
}

export interface PerfLine {
  /** Share of all samples: the symbol's own (self), or with its callees (children). */
  percent: number;
  /** `[.] JS:*fetchRows packages/models/dist/query/queryset.js:238`, `[k] tcp_sendmsg`, ... */
  symbol: string;
}

/**
 * The symbols of a `perf report --stdio -g none` listing with their share, JIT frames' file URLs
 * shortened as in the .cpuprofile summary. With `--children` the first column (with callees) is
 * the share; `--no-children` has only the self column.
 */
export function parsePerfReport(text: string): PerfLine[] {
  const out: PerfLine[] = [];
  for (const raw of text.split("\n")) {
    const m = /^\s*([\d.]+)%\s+(?:[\d.]+%\s+)?(\[[.k]\]\s+.*)$/.exec(raw);
    if (!m) continue;
    out.push({ percent: Number(m[1]), symbol: shortSymbol(m[2] as string).trimEnd() });
  }
  return out;
}

/** The top `limit` lines, as `  12.3%  symbol`. */
export function formatPerfLines(lines: readonly PerfLine[], limit: number): string {
  return lines
    .slice(0, limit)
    .map((l) => `${l.percent.toFixed(1).padStart(6)}%  ${l.symbol}`)
    .join("\n");
}
