// Serving the Hono app over HTTP: one process (runserver) or a node:cluster of
// workers (start). On SIGTERM/SIGINT a worker stops accepting connections,
// finishes the requests in flight (their keep-alive connections told to close),
// then closes its database pool and Redis and exits 0 (1 if that took too long).
import cluster from "node:cluster";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import { type NodeResponseOptions, nodeResponseClass } from "./middleware/node.js";

export interface ServeOptions {
  port: number;
  host?: string;
  /** Runs after the server has closed and in-flight requests are done (close pools here). */
  onClose?: () => Promise<void>;
  onListen?: (port: number) => void;
  /** How long in-flight requests may take to finish on shutdown before the process exits anyway. */
  shutdownTimeoutMs?: number;
  /** Headers Node's response writes into every head itself (the app's `nodeResponse()`). */
  response?: NodeResponseOptions;
}

// biome-ignore lint/suspicious/noExplicitAny: Hono's env/schema type parameters vary per app; serving does not care
export function serveApp(app: Hono<any, any, any>, options: ServeOptions): Promise<ServerType> {
  // Every response's head is written by this class: the given headers, and `Connection: close`
  // once shutting down (so keep-alive clients of the requests in flight go), with no
  // per-request listener or bookkeeping.
  const ServiceResponse = nodeResponseClass(options.response);
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.host ?? "0.0.0.0",
        serverOptions: { ServerResponse: ServiceResponse as unknown as typeof ServerResponse },
      },
      (info) => {
        options.onListen?.((info as AddressInfo).port);
        resolve(server);
      },
    ) as Server;
    server.on("connection", readPeerAddress);
    let closing = false;
    const shutdown = () => {
      if (closing) return;
      closing = true;
      ServiceResponse.closing = true;
      const timer = setTimeout(() => process.exit(1), options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      // Stop accepting; the callback runs once every connection has ended.
      server.close(() => {
        Promise.resolve(options.onClose?.()).then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`shutdown: closing failed: ${(error as Error)?.stack ?? error}\n`);
            process.exit(1);
          },
        );
      });
      // Keep-alive connections would hold close() open until they time out: the requests in
      // flight answer with `Connection: close` (ServiceResponse), and connections left idle are
      // closed as they become so (a request never read from one was not accepted; its client may retry).
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), 50).unref();
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    // A server its owner closes (tests, an embedding program) no longer answers for the process's signals.
    server.once("close", () => {
      process.off("SIGTERM", shutdown);
      process.off("SIGINT", shutdown);
    });
  });
}

/** Runs `worker` in N forked processes sharing one port; the primary restarts crashed workers. */
export function runCluster(workers: number, worker: () => Promise<void>): void {
  if (!cluster.isPrimary) {
    void worker();
    return;
  }
  let stopping = false;
  let failed = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (_worker, code) => {
    if (!stopping) {
      if (code !== 0) cluster.fork();
      return;
    }
    // A worker that could not drain in time (or close its pools) makes the stop a failure.
    if (code !== 0) failed = true;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Reads each connection's peer address as it opens. Node caches it on the socket the first time
 * anyone asks (a `_peername` property): without this, a socket gets that property at its first
 * anonymous request (the throttles key anonymous clients by address), after its keep-alive
 * `timeout` or never (a client that only sends credentials), so one server's sockets end up in
 * several hidden classes, and past four V8's inline caches in Node's socket and stream code go
 * megamorphic for every connection (bench/README.md, "Profile": "one shape for every socket").
 */
function readPeerAddress(socket: Socket): string | undefined {
  return socket.remoteAddress;
}
