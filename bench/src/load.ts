// One timed run of one request against one server, with autocannon.
import autocannon, { type Result } from "autocannon";
import { LatencySamples } from "./latency.js";
import { BENCH_HOST, type BenchRequest, requestHeaders } from "./requests.js";
import type { RunningServer } from "./servers.js";

export interface RunResult {
  server: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssBytes: number;
  /**
   * The server's CPU time (every thread, user + system) per response in this run, in µs: what a
   * request costs it, which varies far less than req/s where the load generator shares the cores.
   */
  cpuUsPerRequest: number;
  requests: number;
  /** Responses outside 2xx, socket errors and timeouts: any of them fails the benchmark. */
  failures: number;
}

export async function timedRun(
  server: RunningServer,
  req: BenchRequest,
  connections: number,
  seconds: number,
  token?: string,
): Promise<RunResult> {
  const latencies = new LatencySamples();
  const cpuBefore = server.cpuMs();
  const result = await new Promise<Result>((resolve, reject) => {
    const options = {
      url: `${server.origin}${req.path}`,
      method: req.method,
      connections,
      duration: seconds,
      headers: { host: BENCH_HOST, ...requestHeaders(req, token) },
      ...(req.body !== undefined ? { body: req.body } : {}),
    };
    autocannon(options, (error, done) => (error ? reject(error) : resolve(done))).on(
      "response",
      (_client, _status, _bytes, ms) => latencies.add(ms),
    );
  });
  const cpuMs = server.cpuMs() - cpuBefore;
  return {
    server: server.name,
    reqPerSec: result.requests.average,
    // Not result.latency: its histogram keeps whole milliseconds (see latency.ts).
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    rssBytes: server.rss(),
    cpuUsPerRequest: latencies.count > 0 ? (cpuMs * 1000) / latencies.count : Number.NaN,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
