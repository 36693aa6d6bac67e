// The service's configuration, read once at startup from the environment and
// layered per environment (base / development / production / testing) like the
// handbook's settings package. A bad value stops startup with a message naming it.
import { randomBytes } from "node:crypto";
import type { LogLevel } from "../middleware/logging.js";

export type Environment = "development" | "production" | "testing";

export interface ShopConfig {
  environment: Environment;
  debug: boolean;
  databaseUrl: string;
  /** Streaming replicas of the database (PostgreSQL): reads go there, writes to databaseUrl. */
  databaseReplicaUrls: string[];
  /** Unset: cache, throttles and sessions live in process memory. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so several deployments can share one Redis database. */
  cacheKeyPrefix: string;
  /** Serve anonymous product lists and details from the cache (SHOP_CACHE_PRODUCTS, default on). */
  cacheProducts: boolean;
  /** While Redis is unreachable: "open" serves uncached and unthrottled, "closed" answers 503. */
  cacheUnavailable: "open" | "closed";
  /** Upper bound (ms) on one Redis operation, connecting included, before the policy above applies. */
  cacheTimeoutMs: number;
  port: number;
  secretKey: string;
  throttleRates: { anon: string | null; user: string | null; auth: string | null };
  /** DRF's NUM_PROXIES: how many X-Forwarded-For hops are trusted (0 = the socket address only). */
  numProxies: number;
  logLevel: LogLevel;
  /** Warnings to log once the logger exists (e.g. a generated development secret). */
  warnings: string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const RATE = /^\d+\/(s|sec|second|m|min|minute|h|hour|d|day)$/;
const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

function rate(env: NodeJS.ProcessEnv, name: string, fallback: string): string | null {
  const value = env[name]?.trim() || fallback;
  if (value === "none") return null;
  if (!RATE.test(value))
    throw new ConfigError(`${name}="${value}" is not a rate like "1000/hour" (or "none")`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(`${name}="${env[name]}" is not a boolean (1/0, true/false, yes/no, on/off)`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const environment = (env.APP_ENV ?? (env.NODE_ENV === "test" ? "testing" : env.NODE_ENV)) as Environment;
  const layer: Environment = ["development", "production", "testing"].includes(environment)
    ? environment
    : "development";
  const warnings: string[] = [];

  let secretKey = env.SECRET_KEY ?? "";
  if (!secretKey) {
    if (layer === "production") throw new ConfigError("SECRET_KEY is required in production");
    secretKey = randomBytes(32).toString("hex");
    if (layer === "development")
      warnings.push("SECRET_KEY is not set: generated a random one (tokens will not survive a restart)");
  }

  const port = Number(env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT="${env.PORT}" is not a port`);

  const cacheUnavailable = env.CACHE_UNAVAILABLE?.trim() || "open";
  if (cacheUnavailable !== "open" && cacheUnavailable !== "closed")
    throw new ConfigError(`CACHE_UNAVAILABLE="${env.CACHE_UNAVAILABLE}" is not "open" or "closed"`);
  const cacheTimeoutMs = Number(env.CACHE_TIMEOUT_MS?.trim() || 500);
  if (!Number.isInteger(cacheTimeoutMs) || cacheTimeoutMs < 1 || cacheTimeoutMs > 60_000)
    throw new ConfigError(
      `CACHE_TIMEOUT_MS="${env.CACHE_TIMEOUT_MS}" is not a number of milliseconds (1-60000)`,
    );

  const logLevel = (env.LOG_LEVEL ?? (layer === "testing" ? "silent" : "info")) as LogLevel;
  if (!LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL="${env.LOG_LEVEL}" is not one of ${LEVELS.join(", ")}`);

  const proxies = (env.TRUSTED_PROXIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  return {
    environment: layer,
    debug: layer === "development" && env.DEBUG !== "0",
    databaseUrl: env.DATABASE_URL || "sqlite:./db.sqlite3",
    databaseReplicaUrls: (env.DATABASE_REPLICA_URLS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    redisUrl: env.REDIS_URL || undefined,
    cacheKeyPrefix: env.CACHE_KEY_PREFIX || "shop:",
    cacheProducts: flag(env, "SHOP_CACHE_PRODUCTS", true),
    cacheUnavailable,
    cacheTimeoutMs,
    port,
    secretKey,
    throttleRates: {
      anon: rate(env, "THROTTLE_ANON", "1000/hour"),
      user: rate(env, "THROTTLE_USER", "10000/hour"),
      auth: rate(env, "THROTTLE_AUTH", "20/min"),
    },
    numProxies: proxies.length,
    logLevel,
    warnings,
  };
}
