// Nested and bulk writes run in one transaction: @x/models' atomic() (nested calls are savepoints).
import { atomic } from "@x/models";

export function inTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return atomic(fn);
}
