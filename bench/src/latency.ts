// Response times at the resolution they are measured (autocannon's hrtime, in ms as a float).
// autocannon's own histogram records whole milliseconds: on endpoints answering in well under a
// millisecond every p50 reads 0 or 1 and p99s differ by whole steps (2 vs 3 ms reads as 1.5x).

/** Collects response times for one run; `percentile` reads them exactly (nearest rank). */
export class LatencySamples {
  private samples = new Float64Array(1 << 16);
  private size = 0;
  private sorted = true;

  add(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
    this.sorted = false;
  }

  get count(): number {
    return this.size;
  }

  /** The smallest sample at or above `p` percent of them; NaN without samples. */
  percentile(p: number): number {
    if (this.size === 0) return Number.NaN;
    const view = this.samples.subarray(0, this.size);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    const rank = Math.min(this.size, Math.max(1, Math.ceil((p / 100) * this.size)));
    return view[rank - 1] as number;
  }
}
