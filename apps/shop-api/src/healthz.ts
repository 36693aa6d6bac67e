// GET /healthz: whether a load balancer should send this process traffic.
//
// - Every database connection is checked (`SELECT 1` on each, concurrently):
//   the primary and each read replica, by alias. A replica down fails the
//   check: @x/models spreads reads round-robin over the replicas without
//   failing over, so a share of the reads would fail.
// - Redis is checked and reported, but never fails the check: the cache fails
//   open (or, CACHE_UNAVAILABLE=closed, answers its own 503s), and one shared
//   Redis down would otherwise take every process out of rotation at once.
//
// The body is the contract's `{"status": "ok"}` (200) or
// `{"status": "unavailable"}` (503); `?verbose` (as Kubernetes' /healthz)
// adds `checks`, one entry per alias and "redis": "ok" or "unavailable".
import { type Database, getDatabase, ReplicatedDatabase } from "@x/models";
import { type Cache, RedisCache } from "@x/views";
import type { Context } from "hono";
import type { Logger } from "./middleware/logging.js";

type Check = "ok" | "unavailable";

export interface HealthzOptions {
  cache: Cache;
  /** Bound on Redis' answer (the cache's CACHE_TIMEOUT_MS). */
  redisTimeoutMs: number;
  logger: Logger;
}

/** The primary and each replica by alias, or the one database ("default"). */
function connectionsOf(db: Database): readonly Database[] {
  return db instanceof ReplicatedDatabase ? [db.primary, ...db.replicas] : [db];
}

async function databaseAnswers(db: Database): Promise<Check> {
  try {
    await db.execute("SELECT 1", []);
    return "ok";
  } catch {
    return "unavailable";
  }
}

/** What the health check needs of ioredis' client (RedisCache.client). */
interface RedisClient {
  readonly status: string;
  ping(): Promise<string>;
  once(event: "ready", listener: () => void): unknown;
  off(event: "ready", listener: () => void): unknown;
}

/** PING within the bound; the first connection still being made is waited for (bounded too). */
async function redisAnswers(client: RedisClient, timeoutMs: number): Promise<Check> {
  try {
    if (client.status !== "ready") {
      // Reconnecting after a loss (or closed): down now, without waiting.
      if (client.status !== "connecting" && client.status !== "connect") return "unavailable";
      const ready = await new Promise<boolean>((resolve) => {
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          client.off("ready", onReady);
          resolve(false);
        }, timeoutMs);
        client.once("ready", onReady);
      });
      if (!ready) return "unavailable";
    }
    // ioredis bounds the command itself (commandTimeout: CACHE_TIMEOUT_MS).
    return (await client.ping()) === "PONG" ? "ok" : "unavailable";
  } catch {
    return "unavailable";
  }
}

export function healthz(options: HealthzOptions) {
  const redis = options.cache instanceof RedisCache ? options.cache.client : undefined;
  // The connections of the configured database, worked out once per database object.
  let known: Database | undefined;
  let connections: readonly Database[] = [];
  return async (c: Context) => {
    const db = getDatabase();
    if (db !== known) {
      known = db;
      connections = connectionsOf(db);
    }
    const [databases, cache] = await Promise.all([
      Promise.all(connections.map(databaseAnswers)),
      redis ? redisAnswers(redis, options.redisTimeoutMs) : undefined,
    ]);
    const checks: Record<string, Check> = {};
    connections.forEach((conn, i) => {
      checks[conn.alias] = databases[i]!;
    });
    if (cache) checks.redis = cache;
    const down = Object.keys(checks).filter((name) => checks[name] !== "ok");
    if (down.length > 0) options.logger.log("warn", "healthz", { unavailable: down });
    const status: Check = databases.every((d) => d === "ok") ? "ok" : "unavailable";
    const body = c.req.query("verbose") === undefined ? { status } : { status, checks };
    return c.json(body, status === "ok" ? 200 : 503);
  };
}
