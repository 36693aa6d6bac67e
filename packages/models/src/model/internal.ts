// Internal runtime shapes shared by the model and query modules.
import type { FieldMeta, FieldSpec } from "../fields/types.js";
import type { AnyInstance, AnyModel } from "./types.js";

export type { AnyInstance, AnyModel };

export interface FieldMetaWithSpec extends FieldMeta {
  spec: FieldSpec;
}

/** Per-instance bookkeeping (Django's `_state`). */
export class InstanceState {
  // a private field: deep equality of instances (vitest's toEqual compares symbol-keyed state) does
  // not tell a Map made by a read from one never made
  #loaded: Map<string, unknown> | undefined = undefined;

  constructor(
    public adding: boolean,
    /**
     * fields not loaded because of only()/defer(): one Set shared by every row of a query, so it is
     * never changed in place (replaced by a smaller copy when fields get loaded or saved)
     */
    public deferred: ReadonlySet<string> | undefined,
  ) {}

  /** loaded forward relations and prefetched reverse/M2M lists, by name (the Map is made at first use) */
  get cache(): Map<string, unknown> {
    if (this.#loaded === undefined) this.#loaded = new Map();
    return this.#loaded;
  }
}

export const STATE: unique symbol = Symbol("x.state");

export function stateOf(instance: object): InstanceState {
  return (instance as { [STATE]: InstanceState })[STATE];
}
