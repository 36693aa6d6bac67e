export type { Cache, CacheSetOptions, UnavailablePolicy, WindowHit, WindowSpec } from "./cache.js";
export { cacheActions, wrapActions } from "./cache-actions.js";
export {
  CACHE_PAGE_PREFIX,
  type CachePageOptions,
  cachePage,
  cacheResponse,
  invalidateCachedPages,
  type VaryOn,
  type ViewHandler,
} from "./cache-page.js";
export { getDefaultCache, setDefaultCache } from "./default-cache.js";
export { CacheUnavailableError } from "./errors.js";
export { currentGenerations, GENERATION_PREFIX, touchModels, watchModels } from "./generations.js";
export { MemoryCache, type MemoryCacheOptions } from "./memory-cache.js";
export { RedisCache, type RedisCacheOptions } from "./redis-cache.js";
