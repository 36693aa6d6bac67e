// Nested and bulk writes run in one transaction: @x/models' atomic() (wired when models exports it).
export function inTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}
