// A separate Node process serving one throttled view over HTTP on loopback,
// its throttle histories in the Redis named by the environment.
// Started by throttling-multiprocess.test.ts: node --conditions=source --import tsx <this file>
import { createServer } from "node:http";
import { Hono } from "hono";
import { AnonRateThrottle, APIView, RedisCache, Response } from "../src/index.js";

const shared = new RedisCache({
  url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/15",
  keyPrefix: process.env.KEY_PREFIX ?? "test:worker:",
  onUnavailable: "closed",
  timeoutMs: 3000,
});

class SharedAnonThrottle extends AnonRateThrottle {
  override cache = shared;
  override rate = process.env.RATE ?? "30/min";
}

class PingView extends APIView {
  async get() {
    return new Response({ pid: process.pid });
  }
}

const app = new Hono();
app.get("/ping/", PingView.asView({ throttleClasses: [SharedAnonThrottle] }));

const server = createServer(async (req, res) => {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers))
    if (typeof value === "string") headers.set(key, value);
  const response = await app.fetch(
    new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers }),
    {
      incoming: req,
    },
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

// Connect before announcing the port, so the first requests do not race the connection.
await shared.get("warm-up");
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object")
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});

process.on("SIGTERM", () => {
  server.close();
  void shared.close().then(() => process.exit(0));
});
