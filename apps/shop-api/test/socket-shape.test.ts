// Every connection's socket gets the same properties in the same order whatever its requests
// read, so Node's socket and stream code sees one hidden class (see readPeerAddress).
import { Agent, request, type Server } from "node:http";
import type { Socket } from "node:net";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { serveApp } from "../src/server.js";

interface NodeEnv {
  Bindings: { incoming: { socket: Socket } };
}

function get(port: number, path: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve(body));
    })
      .on("error", reject)
      .end();
  });
}

it("sockets of requests that read the client address and of requests that do not have one shape", async () => {
  const app = new Hono<NodeEnv>();
  // An anonymous client's throttle reads the address; an authenticated client's does not.
  app.get("/address/", (c) => c.text(c.env.incoming.socket.remoteAddress ?? ""));
  app.get("/plain/", (c) => c.text("ok"));
  let port = 0;
  // serveApp serves HTTP/1.1: its server is node:http's.
  const server = (await serveApp(app, { port: 0, host: "127.0.0.1", onListen: (p) => (port = p) })) as Server;
  const sockets: Socket[] = [];
  server.on("connection", (s: Socket) => sockets.push(s));
  const reading = new Agent({ keepAlive: true, maxSockets: 1 });
  const plain = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await get(port, "/address/", reading)).toBe("127.0.0.1");
    expect(await get(port, "/plain/", plain)).toBe("ok");
    // A second request on each kept-alive connection (its keep-alive timeout is set by now).
    await get(port, "/address/", reading);
    await get(port, "/plain/", plain);
    expect(sockets).toHaveLength(2);
    const [a, b] = sockets as [Socket, Socket];
    expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(b));
  } finally {
    reading.destroy();
    plain.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  }
});
