import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { RedisCache } from "../src/index.js";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const keyPrefix = `test:throttle-mp:${randomUUID()}:`;
const workerFile = fileURLToPath(new URL("./throttling-worker.ts", import.meta.url));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  const cleanup = new RedisCache({ url: redisUrl, keyPrefix });
  await cleanup.clear();
  await cleanup.close();
});

function startWorker(): Promise<number> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", workerFile], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, REDIS_URL: redisUrl, KEY_PREFIX: keyPrefix, RATE: "30/min" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line).port));
  });
}

describe("a throttle shared through Redis by several processes", () => {
  it("admits exactly the limit when 4 servers on loopback are hit together", async () => {
    const ports = await Promise.all([startWorker(), startWorker(), startWorker(), startWorker()]);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => fetch(`http://127.0.0.1:${ports[i % ports.length]}/ping/`)),
    );
    const statuses = responses.map((r) => r.status);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
      pid?: number;
      detail?: string;
    }>;
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(70);
    // Every process really served requests (the limit is not one process's doing).
    const pids = new Set(bodies.filter((b) => "pid" in b).map((b) => b.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(bodies.find((b) => "detail" in b)?.detail).toMatch(
      /^Request was throttled\. Expected available in \d+ seconds?\.$/,
    );
  }, 60_000);
});
