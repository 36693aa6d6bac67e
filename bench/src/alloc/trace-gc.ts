// What `node --trace-gc` says about allocation: every collection line gives the heap's used size
// before and after it ("Scavenge 18.3 (28.2) -> 10.5 (28.2) MB, 0.82 / 0.00 ms ..."), so what
// the program allocated between two collections is the next one's "before" minus this one's
// "after". Summed over a timed run and divided by its requests: bytes allocated per request, a
// figure that repeats within a few percent where timings vary by 15 % (no dependence on which
// core or cache the process got), and that tracks the garbage a request leaves to the collector.

export interface GcTotals {
  /** Bytes allocated from the first collection's end to the last one's start. */
  allocatedBytes: number;
  /** Time the collections paused the program (the first number after "MB,"), in ms. */
  pauseMs: number;
  /** Collections counted (scavenges and mark-compacts). */
  collections: number;
}

const LINE =
  /(Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB, ([\d.]+) \//;

/** The totals of the --trace-gc lines in `text` (other lines are ignored). */
export function gcTotals(text: string): GcTotals {
  let allocated = 0;
  let pauseMs = 0;
  let collections = 0;
  let after: number | undefined;
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const before = Number(m[2]);
    if (after !== undefined) allocated += Math.max(0, before - after);
    after = Number(m[4]);
    pauseMs += Number(m[6]);
    collections++;
  }
  return { allocatedBytes: allocated * 1024 * 1024, pauseMs, collections };
}
