// AsyncLocalStorage switched off while none of its scopes is running. On Node 20 an enabled
// AsyncLocalStorage keeps async hooks installed that run for every promise the process creates
// (about 5 KB more garbage per product detail), so one transaction would slow every later
// request of the process. Counting the scopes in flight lets the hooks go with the last one.
//
// As with AsyncLocalStorage itself, a continuation created inside a scope that runs after the
// scope ended may still see its store while another scope is running: stores say when they are over.
import { AsyncLocalStorage } from "node:async_hooks";

export class ScopedStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private active = 0;

  /** The store of the running scope; undefined outside every scope (without asking the hooks). */
  getStore(): T | undefined {
    return this.active === 0 ? undefined : this.storage.getStore();
  }

  /** `fn` with `store` as the store of everything it runs, until it returns (or its promise settles). */
  run<R>(store: T, fn: () => R): R {
    this.active++;
    let result: R;
    try {
      result = this.storage.run(store, fn);
    } catch (error) {
      this.leave();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          this.leave();
          return value;
        },
        (error: unknown) => {
          this.leave();
          throw error;
        },
      ) as R;
    }
    this.leave();
    return result;
  }

  private leave(): void {
    if (--this.active === 0) this.storage.disable();
  }
}
