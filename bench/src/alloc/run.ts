// `pnpm bench --alloc [--endpoint NAME] [--db sqlite|postgres] [--concurrency C] [--seconds N] [--rounds N]`:
// bytes each server allocates per request of one benchmarked endpoint (from `node --trace-gc`, see
// trace-gc.ts), with its collections' pause time and its CPU time per request. Both servers run
// as in the timed benchmark, alternated round by round after a warm-up. Allocation repeats
// within a few percent from run to run where req/s varies by 15 %: the garbage one request
// leaves is a cost the collector pays and the caches pay when fresh memory is written.
import { parseArgs } from "node:util";
import { timedRun } from "../load.js";
import { type DatabaseKind, prepareDatabase } from "../prepare.js";
import { READ_REQUESTS } from "../requests.js";
import { type RunningServer, startBaseline, startShopApi } from "../servers.js";
import { median } from "../stats.js";
import { gcTotals } from "./trace-gc.js";

interface Round {
  requests: number;
  reqPerSec: number;
  bytesPerRequest: number;
  gcUsPerRequest: number;
  cpuUsPerRequest: number;
}

async function measure(server: RunningServer, run: () => ReturnType<typeof timedRun>): Promise<Round> {
  const mark = server.output().length;
  const result = await run();
  // the lines of the run's last collections reach the pipe after the run
  await new Promise((done) => setTimeout(done, 300));
  const gc = gcTotals(server.output().slice(mark));
  return {
    requests: result.requests,
    reqPerSec: result.reqPerSec,
    bytesPerRequest: gc.allocatedBytes / result.requests,
    gcUsPerRequest: (gc.pauseMs * 1000) / result.requests,
    cpuUsPerRequest: result.cpuUsPerRequest,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: "string", default: "product detail" },
      db: { type: "string", default: "sqlite" },
      concurrency: { type: "string", default: "1" },
      seconds: { type: "string", default: "8" },
      rounds: { type: "string", default: "3" },
    },
  });
  if (values.db !== "sqlite" && values.db !== "postgres")
    throw new Error(`--db sqlite|postgres, not ${values.db}`);
  const req = READ_REQUESTS.find((r) => r.name === values.endpoint);
  if (!req)
    throw new Error(`no benchmarked request "${values.endpoint}": ${READ_REQUESTS.map((r) => r.name)}`);
  const connections = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const url = await prepareDatabase({ db: values.db as DatabaseKind, scale: 1, log: console.log });
  const options = { compiled: true, captureOutput: true };
  const servers = [
    await startBaseline(url, ["--trace-gc"], options),
    await startShopApi(url, ["--trace-gc"], options),
  ];
  const results = new Map<string, Round[]>(servers.map((s) => [s.name, []]));
  try {
    for (const server of servers) {
      const warm = await timedRun(server, req, connections, 3);
      if (warm.failures > 0) throw new Error(`${server.name}: ${warm.failures} failed responses`);
    }
    console.log(
      `${req.method} ${req.path} (${req.name}), ${values.db} x1, c=${connections}, ${rounds} rounds of ${seconds} s`,
    );
    for (let round = 1; round <= rounds; round++) {
      for (const server of servers) {
        const r = await measure(server, () => timedRun(server, req, connections, seconds));
        results.get(server.name)?.push(r);
        console.log(`  round ${round} ${server.name.padEnd(8)} ${formatRound(r)}`);
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }
  const summary = (name: string) => {
    const rs = results.get(name) ?? [];
    return {
      bytes: median(rs.map((r) => r.bytesPerRequest)),
      gc: median(rs.map((r) => r.gcUsPerRequest)),
      cpu: median(rs.map((r) => r.cpuUsPerRequest)),
    };
  };
  const base = summary("baseline");
  const shop = summary("shop-api");
  console.log(
    [
      "",
      "| | baseline | shop-api | shop-api ÷ baseline |",
      "|---|---|---|---|",
      `| KB allocated a request | ${kb(base.bytes)} | ${kb(shop.bytes)} | ${(shop.bytes / base.bytes).toFixed(2)}x |`,
      `| GC pause µs a request | ${base.gc.toFixed(1)} | ${shop.gc.toFixed(1)} | ${(shop.gc / base.gc).toFixed(2)}x |`,
      `| CPU µs a request | ${base.cpu.toFixed(0)} | ${shop.cpu.toFixed(0)} | ${(shop.cpu / base.cpu).toFixed(2)}x |`,
      "(medians of the rounds)",
    ].join("\n"),
  );
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function formatRound(r: Round): string {
  return `${Math.round(r.reqPerSec)} req/s, ${kb(r.bytesPerRequest)} KB a request, GC ${r.gcUsPerRequest.toFixed(1)} µs, CPU ${r.cpuUsPerRequest.toFixed(0)} µs`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
