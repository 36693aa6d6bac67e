// Internal runtime shapes shared by the model and query modules.
import type { FieldMeta, FieldSpec } from "../fields/types.js";
import type { AnyInstance, AnyModel } from "./types.js";

export type { AnyInstance, AnyModel };

export interface FieldMetaWithSpec extends FieldMeta {
  spec: FieldSpec;
}

/** Per-instance bookkeeping (Django's `_state`). */
export interface InstanceState {
  adding: boolean;
  /** loaded forward relations and prefetched reverse/M2M lists, by name */
  cache: Map<string, unknown>;
  /**
   * fields not loaded because of only()/defer(): one Set shared by every row of a query, so it is
   * never changed in place (replaced by a smaller copy when fields get loaded or saved)
   */
  deferred: ReadonlySet<string> | undefined;
}

export const STATE: unique symbol = Symbol("x.state");

export function stateOf(instance: object): InstanceState {
  return (instance as { [STATE]: InstanceState })[STATE];
}
