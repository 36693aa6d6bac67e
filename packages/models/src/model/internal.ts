// Internal runtime shapes shared by the model and query modules.
import type { FieldMeta, FieldSpec } from "../fields/types.js";
import type { AnyInstance, AnyModel } from "./types.js";

export type { AnyInstance, AnyModel };

export interface FieldMetaWithSpec extends FieldMeta {
  spec: FieldSpec;
}

/**
 * An instance's loaded relations by name: forward relations and prefetched lists (Django's
 * `_state.fields_cache` and `_prefetched_objects_cache`). The Map methods an instance needs, on
 * three slots in the object itself: an instance caches one to three relations, and a Map costs
 * about twice the bytes, per row read with a join or a prefetch. A fourth name goes to a Map.
 */
export class RelationCache {
  private k0: string | undefined = undefined;
  private v0: unknown = undefined;
  private k1: string | undefined = undefined;
  private v1: unknown = undefined;
  private k2: string | undefined = undefined;
  private v2: unknown = undefined;
  private more: Map<string, unknown> | undefined = undefined;

  has(key: string): boolean {
    return key === this.k0 || key === this.k1 || key === this.k2 || (this.more?.has(key) ?? false);
  }

  get(key: string): unknown {
    if (key === this.k0) return this.v0;
    if (key === this.k1) return this.v1;
    if (key === this.k2) return this.v2;
    return this.more?.get(key);
  }

  set(key: string, value: unknown): this {
    if (key === this.k0) this.v0 = value;
    else if (key === this.k1) this.v1 = value;
    else if (key === this.k2) this.v2 = value;
    else if (this.more?.has(key)) this.more.set(key, value);
    else if (this.k0 === undefined) {
      this.k0 = key;
      this.v0 = value;
    } else if (this.k1 === undefined) {
      this.k1 = key;
      this.v1 = value;
    } else if (this.k2 === undefined) {
      this.k2 = key;
      this.v2 = value;
    } else {
      this.more ??= new Map();
      this.more.set(key, value);
    }
    return this;
  }

  delete(key: string): boolean {
    if (key === this.k0) {
      this.k0 = undefined;
      this.v0 = undefined;
      return true;
    }
    if (key === this.k1) {
      this.k1 = undefined;
      this.v1 = undefined;
      return true;
    }
    if (key === this.k2) {
      this.k2 = undefined;
      this.v2 = undefined;
      return true;
    }
    return this.more?.delete(key) ?? false;
  }

  clear(): void {
    this.k0 = this.k1 = this.k2 = undefined;
    this.v0 = this.v1 = this.v2 = undefined;
    this.more = undefined;
  }
}

/** Per-instance bookkeeping (Django's `_state`). */
export class InstanceState {
  // a private field: deep equality of instances (vitest's toEqual compares symbol-keyed state) does
  // not tell a cache made by a read from one never made
  #loaded: RelationCache | undefined = undefined;

  constructor(
    public adding: boolean,
    /**
     * fields not loaded because of only()/defer(): one Set shared by every row of a query, so it is
     * never changed in place (replaced by a smaller copy when fields get loaded or saved)
     */
    public deferred: ReadonlySet<string> | undefined,
  ) {}

  /** loaded forward relations and prefetched reverse/M2M lists, by name (made at first use) */
  get cache(): RelationCache {
    if (this.#loaded === undefined) this.#loaded = new RelationCache();
    return this.#loaded;
  }
}

export const STATE: unique symbol = Symbol("x.state");

export function stateOf(instance: object): InstanceState {
  return (instance as { [STATE]: InstanceState })[STATE];
}
