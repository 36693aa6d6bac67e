// Serving the Hono app over HTTP: one process (runserver) or a node:cluster of
// workers (start). On SIGTERM/SIGINT a worker stops accepting connections,
// finishes the requests in flight, then closes its database pool and exits.
import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface ServeOptions {
  port: number;
  host?: string;
  /** Runs after the server has closed and in-flight requests are done (close pools here). */
  onClose?: () => Promise<void>;
  onListen?: (port: number) => void;
  /** How long in-flight requests may take to finish on shutdown before the process exits anyway. */
  shutdownTimeoutMs?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: Hono's env/schema type parameters vary per app; serving does not care
export function serveApp(app: Hono<any, any, any>, options: ServeOptions): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host ?? "0.0.0.0" },
      (info) => {
        options.onListen?.((info as AddressInfo).port);
        resolve(server);
      },
    );
    let closing = false;
    const shutdown = () => {
      if (closing) return;
      closing = true;
      const timer = setTimeout(() => process.exit(1), options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      server.close(async () => {
        await options.onClose?.();
        process.exit(0);
      });
      // Idle keep-alive sockets would hold close() open; in-flight requests keep theirs.
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  });
}

/** Runs `worker` in N forked processes sharing one port; the primary restarts crashed workers. */
export function runCluster(workers: number, worker: () => Promise<void>): void {
  if (!cluster.isPrimary) {
    void worker();
    return;
  }
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (w, code) => {
    if (!stopping && code !== 0) cluster.fork();
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    void w;
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
