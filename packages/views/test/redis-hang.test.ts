// A Redis that hangs (connected, never answering: a stopped server, a network
// cut) costs one timeout, not one per operation: while it fails, one operation
// per `timeoutMs` probes it and the others fail at once; it is used again as
// soon as it answers. A private redis-server, stopped with SIGSTOP.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CacheUnavailableError, RedisCache } from "../src/index.js";

let server: ChildProcess;
let cache: RedisCache;

beforeAll(async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", ""], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    server.once("error", reject);
    server.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Ready to accept connections")) resolve();
    });
  });
  cache = new RedisCache({
    url: `redis://127.0.0.1:${port}/0`,
    onUnavailable: "closed",
    timeoutMs: 300,
    logger: { warn() {} },
  });
}, 20_000);

afterAll(async () => {
  server?.kill("SIGCONT");
  await cache?.close();
  server?.kill("SIGKILL");
});

it("one operation waits for a hung Redis, the next ones fail at once, and it serves again after", async () => {
  await cache.set("k", "v");
  server.kill("SIGSTOP");
  const causes: string[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      const error = await cache.get("k").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CacheUnavailableError);
      causes.push(((error as CacheUnavailableError).cause as Error).message);
    }
  } finally {
    server.kill("SIGCONT");
  }
  expect(causes[0]).toMatch(/timed out/i);
  expect(causes.slice(1).filter((c) => c === "Redis did not answer in time").length).toBeGreaterThanOrEqual(
    8,
  );
  // Answering again: a probe gets through within a timeout or so, and all is normal.
  const deadline = Date.now() + 5_000;
  let value: unknown;
  while (Date.now() < deadline) {
    value = await cache.get("k").catch(() => undefined);
    if (value === "v") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(value).toBe("v");
  expect(await cache.get("k")).toBe("v");
});
