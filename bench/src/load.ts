// One timed run of one request against one server, with autocannon.
import autocannon from "autocannon";
import { BENCH_HOST, type BenchRequest, requestHeaders } from "./requests.js";
import type { RunningServer } from "./servers.js";

export interface RunResult {
  server: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssBytes: number;
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
  const result = await autocannon({
    url: `${server.origin}${req.path}`,
    method: req.method,
    connections,
    duration: seconds,
    headers: { host: BENCH_HOST, ...requestHeaders(req, token) },
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  return {
    server: server.name,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rssBytes: server.rss(),
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
