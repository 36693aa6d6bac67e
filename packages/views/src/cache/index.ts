export type { Cache, CacheSetOptions, UnavailablePolicy, WindowHit } from "./cache.js";
export { getDefaultCache, setDefaultCache } from "./default-cache.js";
export { CacheUnavailableError } from "./errors.js";
export { MemoryCache, type MemoryCacheOptions } from "./memory-cache.js";
export { RedisCache, type RedisCacheOptions } from "./redis-cache.js";
