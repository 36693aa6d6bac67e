import type { Cache } from "@x/views";

export type SessionData = Record<string, unknown>;

/** Where sessions live: the database (`modelSessionStore`) or a cache (`cacheSessionStore`). */
export interface SessionStore {
  load(key: string): Promise<SessionData | null>;
  save(key: string, data: SessionData, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Django's cache session backend on @x/views' Cache (memory or Redis). */
export function cacheSessionStore(cache: Cache, prefix = "django.contrib.sessions.cache"): SessionStore {
  const k = (key: string) => `${prefix}${key}`;
  return {
    async load(key) {
      const data = await cache.get<SessionData>(k(key));
      return data ?? null;
    },
    save: (key, data, ttl) => cache.set(k(key), data, ttl),
    async delete(key) {
      await cache.delete(k(key));
    },
  };
}
