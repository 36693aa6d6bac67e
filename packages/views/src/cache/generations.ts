// Model generations: one counter per model in a cache, bumped after every
// committed write to the model. A cached page's key includes the generations
// of the models it was built from, so a write makes every older copy
// unreachable at once — in every process sharing the cache.
import { type AnyModel, inAtomicBlock, onCommit, postDelete, postSave } from "@x/models";
import type { Cache } from "./cache.js";
import { getDefaultCache } from "./default-cache.js";

/** Every generation counter's key starts with this (then the model's label). */
export const GENERATION_PREFIX = "generation:";

const generationKey = (model: AnyModel): string => `${GENERATION_PREFIX}${model.meta.label}`;

/**
 * A counter that went missing (eviction, FLUSHDB) restarts from a random
 * base, not from 0, so it never meets the number an old entry was stored
 * under. Atomic increments keep concurrent initialisations distinct too.
 */
const randomBase = (): number => 1 + Math.floor(Math.random() * 2 ** 40);

/**
 * The models' current generations, as one string for a cache key (one round
 * trip per model, in parallel); null when a counter cannot be read (a cache
 * failing open answers 0): the page must then bypass the cache.
 */
export async function currentGenerations(models: readonly AnyModel[], cache?: Cache): Promise<string | null> {
  const store = cache ?? getDefaultCache();
  const values = await Promise.all(
    models.map(async (model) => {
      const key = generationKey(model);
      const value = await store.get<number>(key);
      return typeof value === "number" ? value : store.incr(key, undefined, randomBase());
    }),
  );
  if (values.some((value) => !(value > 0))) return null;
  return models.map((model, i) => `${model.meta.label}=${values[i]}`).join(";");
}

async function bumpNow(models: readonly AnyModel[], cache: Cache | undefined): Promise<void> {
  const store = cache ?? getDefaultCache();
  try {
    await Promise.all(
      models.map(async (model) => {
        const key = generationKey(model);
        // 1 means the counter did not exist: move it off the small numbers an old entry may use.
        const value = await store.incr(key);
        if (!(value > 0)) throw new Error("the cache is unavailable"); // failing open answers 0
        if (value === 1) await store.incr(key, undefined, randomBase());
      }),
    );
  } catch (error) {
    // The write is committed: failing its request now would invite a retry (a second order).
    // Copies cached before the outage may then be served until their ttl.
    const message = error instanceof Error ? error.message : String(error);
    console.warn(
      `[@x/views] could not bump the cache generation of ${models.map((m) => m.meta.label).join(", ")} (${message}); cached pages may be stale until their ttl`,
    );
  }
}

/**
 * Invalidates every cached page that depends on these models. Inside a
 * transaction the bump waits for the commit (and never happens on rollback):
 * bumping earlier would let another process cache the pre-commit rows under
 * the new generation. Call it after writes that send no signals —
 * `QuerySet.update()`, `.delete()` on a queryset, `bulkCreate()` — as Django's
 * `post_save` does not fire for them either.
 */
export async function touchModels(
  models: readonly AnyModel[],
  options: { cache?: Cache } = {},
): Promise<void> {
  if (inAtomicBlock()) onCommit(() => bumpNow(models, options.cache));
  else await bumpNow(models, options.cache);
}

// One receiver pair per (model, cache): pages of many views share them.
const watched = new WeakMap<Cache | typeof getDefaultCache, Set<AnyModel>>();

/**
 * Bumps the model's generation after every `save()` and `delete()` of one of
 * its instances (post_save / post_delete, cascades included). Connected once
 * per model and cache; `cachePage({ dependsOn })` calls it at startup.
 */
export function watchModels(models: readonly AnyModel[], cache?: Cache): void {
  const owner = cache ?? getDefaultCache;
  let seen = watched.get(owner);
  if (!seen) {
    seen = new Set();
    watched.set(owner, seen);
  }
  for (const model of models) {
    if (seen.has(model)) continue;
    seen.add(model);
    const bump = () => touchModels([model], { cache });
    postSave.connect(bump, { sender: model });
    postDelete.connect(bump, { sender: model });
  }
}
