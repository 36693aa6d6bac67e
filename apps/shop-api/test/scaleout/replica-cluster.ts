// A private PostgreSQL primary and a streaming replica of it, on loopback, in
// a temp dir: initdb (wal_level=replica), pg_basebackup -R from the running
// primary, both started with pg_ctl. Never touches the shared server on 5432.
// initdb refuses to run as root: when the tests are root, every command runs
// as the `postgres` user (runuser), which owns the temp dir.
import { execFileSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ReplicatedCluster {
  primaryUrl: string;
  replicaUrl: string;
  stop(): void;
}

function binDir(): string {
  for (const dir of [
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
  ]) {
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startReplicatedCluster(database = "shop"): Promise<ReplicatedCluster> {
  const bin = binDir();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "x-replica-"));
  if (root) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = root
      ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]]
      : [join(bin, tool), args];
    return execFileSync(cmd as string, argv as string[], {
      cwd: dir,
      encoding: "utf8",
      stdio: "pipe",
      timeout: 120_000,
    });
  };
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = join(dir, "primary");
  const replica = join(dir, "replica");
  const started: string[] = [];
  const stop = () => {
    for (const data of started.reverse()) {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
    }
    started.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run("initdb", [
      "-D",
      primary,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
      "--no-instructions",
    ]);
    appendFileSync(
      join(primary, "postgresql.conf"),
      [
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        "wal_level = replica",
        "max_wal_senders = 4",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "",
      ].join("\n"),
    );
    // Streaming replication connects to the special "replication" database.
    appendFileSync(join(primary, "pg_hba.conf"), "host replication postgres 127.0.0.1/32 trust\n");
    run("pg_ctl", ["-D", primary, "-l", join(dir, "primary.log"), "-w", "start"]);
    started.push(primary);
    run("psql", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-c",
      `CREATE DATABASE ${database}`,
    ]);
    // -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replica,
      "-R",
      "-X",
      "stream",
      // An immediate checkpoint: the default spread one can take minutes.
      "--checkpoint=fast",
    ]);
    appendFileSync(join(replica, "postgresql.conf"), `port = ${replicaPort}\n`);
    run("pg_ctl", ["-D", replica, "-l", join(dir, "replica.log"), "-w", "start"]);
    started.push(replica);
  } catch (error) {
    stop();
    throw error;
  }
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/${database}`,
    replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/${database}`,
    stop,
  };
}
