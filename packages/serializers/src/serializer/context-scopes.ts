// The views of nested serializers under one request's context (`withContext`), kept on that
// context itself so they die with it.
//
// Not a WeakMap on the (long-lived) nested serializer keyed by the context, as before: a scoped
// view references its context, and through it the request and all it holds. An entry of a
// long-lived WeakMap met by a minor GC while its request was in flight kept that whole graph alive
// into the old generation, where only a full GC finds it dead: the shop-api's order creation
// promoted 8 KB a request (242 bytes with the views held here, --trace-gc-nvp, c=1), filled the
// old generation, and the HTTP layer's allocations, promoted with it, got pretenured by V8,
// which slowed every later request of the process (bench/README.md, "Profile").

import type { SerializerContext } from "../context.js";

const SCOPES = Symbol("serializerScopes");

// Weak in the serializer: a context that outlives requests (a module's default) does not keep the
// views of serializers made per request. The table itself is made per context, so a request's
// dies with it.
type Scopes = WeakMap<object, unknown>;

/** A frozen (or sealed) context cannot carry its scopes: those few are memoised here. */
const frozenContexts = new WeakMap<SerializerContext, Scopes>();

/** The scoped views made under `context`, by the serializer they view. */
export function scopesOf(context: SerializerContext): Scopes {
  const own = (context as { [SCOPES]?: Scopes })[SCOPES];
  if (own !== undefined) return own;
  const scopes: Scopes = new WeakMap();
  if (Object.isExtensible(context)) {
    // Not enumerable: a context spread or listed by user code shows only what it was given.
    Object.defineProperty(context, SCOPES, { value: scopes });
    return scopes;
  }
  let frozen = frozenContexts.get(context);
  if (frozen === undefined) {
    frozen = scopes;
    frozenContexts.set(context, frozen);
  }
  return frozen;
}
