// Nested and bulk writes run in one transaction: @x/models' atomic(). Inside a transaction
// already (a view's, or save() around create()), the work joins it instead of adding a savepoint:
// an error still propagates and rolls the enclosing transaction back.
import { atomic, inAtomicBlock } from "@x/models";

export function inTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return inAtomicBlock() ? fn() : atomic(fn);
}
