// Defaults that need the serializer context (DRF's `requires_context` defaults).
import type { RunState } from "../context.js";

/** Returned by a default to say "leave this field out" (DRF's SkipField). */
export const SKIP: unique symbol = Symbol("skip");
export type Skip = typeof SKIP;

/** Base of defaults computed from the context at validation time. */
export abstract class ContextDefault<T = unknown> {
  abstract resolve(state: RunState): T | Skip;
}

/** DRF's CurrentUserDefault: `context.request.user`. */
export class CurrentUserDefault extends ContextDefault<unknown> {
  override resolve(state: RunState): unknown {
    return state.context.request?.user ?? null;
  }
  override toString(): string {
    return "CurrentUserDefault()";
  }
}

/** DRF's CreateOnlyDefault: the wrapped default on create; the field is skipped on update. */
export class CreateOnlyDefault<T> extends ContextDefault<T> {
  constructor(readonly inner: T | (() => T) | ContextDefault<T>) {
    super();
  }
  override resolve(state: RunState): T | Skip {
    if (state.instance != null) return SKIP;
    return resolveDefault(this.inner, state) as T | Skip;
  }
}

/** A default's value: functions are called (`default: () => []`), context defaults resolved. */
export function resolveDefault(d: unknown, state: RunState): unknown {
  if (d instanceof ContextDefault) return d.resolve(state);
  if (typeof d === "function") return (d as () => unknown)();
  return d;
}
