// Private PostgreSQL and Redis servers for the fault tests: each test file
// starts its own on free loopback ports in a temporary folder, breaks them at
// will (stop, restart, kill connections) and removes them afterwards. The
// shared services on 5432/6379 that the other tests use are never touched.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type Database } from "@x/models";

/** A TCP port nothing listens on right now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or throws after `timeoutMs` naming `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

// Everything started here, stopped synchronously if the test process ends without its afterAll.
const cleanups = new Set<() => void>();
process.once("exit", () => {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort on the way out
    }
  }
});

/** The newest PostgreSQL server binaries (Debian's /usr/lib/postgresql/<version>/bin), or a clear failure. */
function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "The fault tests need the PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/<version>/bin: install the postgresql package",
    );
  }
  return join(root, versions[0]!, "bin");
}

// initdb refuses to run as root: then the cluster belongs to the postgres user.
const asRoot = process.getuid?.() === 0;
function pgUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export interface PrivateCluster {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<db>`, plus `?<query>` when given. */
  url(query?: string): string;
  /** An admin connection (its own small pool; it reconnects by itself after a restart). */
  admin: Database;
  /** `pg_ctl stop` (fast: open connections are ended, as a restart does). */
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  /** `pg_ctl restart`; `immediate` is a crash (recovery on start). */
  restart(mode?: "fast" | "immediate"): void;
  /** `pg_terminate_backend` on every client connection of the test database but the admin's; how many. */
  terminateConnections(): Promise<number>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

const DB_NAME = "shop";

/** initdb into a temporary folder, start on a free port (trust on loopback), create the `shop` database. */
export async function startPostgres(): Promise<PrivateCluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "shop-faults-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  const run = (tool: string, args: string[]): string => {
    const cmd = join(bin, tool);
    try {
      return asRoot
        ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8", stdio: "pipe" })
        : execFileSync(cmd, args, { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${tool} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  };
  if (asRoot) {
    const { uid, gid } = pgUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  // Loopback TCP only on our port, the socket in our folder (never /var/run/postgresql's).
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60`;
  const pgCtl = (args: string[]) => run("pg_ctl", ["-D", data, "-w", "-t", "30", ...args]);
  const start = () => {
    pgCtl(["-o", options, "-l", join(dir, "server.log"), "start"]);
  };
  const stopSync = (mode: "fast" | "immediate") => {
    if (existsSync(join(data, "postmaster.pid"))) pgCtl(["-m", mode, "stop"]);
  };
  start();
  const cleanup = () => {
    stopSync("immediate");
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);

  const base = `postgres://postgres@127.0.0.1:${port}`;
  const bootstrap = createDatabase(`${base}/postgres`);
  await bootstrap.execute(`CREATE DATABASE ${DB_NAME}`);
  await bootstrap.close();
  const admin = createDatabase(`${base}/${DB_NAME}?pool_size=2&pool_timeout=5`);

  return {
    port,
    url: (query) => `${base}/${DB_NAME}${query ? `?${query}` : ""}`,
    admin,
    stop: (mode = "fast") => stopSync(mode),
    start,
    restart: (mode = "fast") => {
      pgCtl(["-o", options, "-l", join(dir, "server.log"), "-m", mode, "restart"]);
    },
    async terminateConnections() {
      const res = await admin.execute(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [DB_NAME],
      );
      return Number(res.rows[0].n);
    },
    async destroy() {
      await admin.close().catch(() => {});
      cleanup();
      cleanups.delete(cleanup);
    },
  };
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server: SIGTERM (a clean shutdown) or SIGKILL (a crash). */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port (empty unless persisted). */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that hangs (connections open, no answers), as behind a network cut. */
  pause(): void;
  resume(): void;
  destroy(): Promise<void>;
}

/**
 * `redis-server` on a free loopback port. Nothing persisted, unless `persist`:
 * then an append-only file in a temporary folder keeps the data across a
 * SIGTERM stop and start (as a managed Redis restarting or failing over).
 */
export async function startRedis(options: { persist?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = options.persist ? mkdtempSync(join(tmpdir(), "shop-faults-redis-")) : undefined;
  const persistence = dir ? ["--appendonly", "yes", "--dir", dir] : ["--appendonly", "no"];
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = "";
    const proc = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    proc.on("error", (error) => {
      output += `\n${error.message}`;
    });
    proc.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    proc.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child = proc;
    await waitFor(
      "redis-server ready",
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`redis-server exited:\n${output}`);
        }
        return output.includes("Ready to accept connections");
      },
      10_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (is redis-server installed?)\n${output}`);
    });
  };
  const stop = (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });
  };
  const cleanup = () => {
    child?.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    stop,
    start,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    async destroy() {
      await stop("SIGKILL");
      cleanup();
      cleanups.delete(cleanup);
    },
  };
}
