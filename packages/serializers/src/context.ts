// What a serializer can know about the outside world without importing the layers above it.

/** The minimal request shape serializers read (views pass their Request, which satisfies it). */
export interface RequestLike {
  user?: unknown;
  method?: string;
}

/** `reverse(viewName, kwargs)` → absolute URL; implemented by @x/routers, handed in through the context. */
export type Reverse = (
  viewName: string,
  kwargs?: Record<string, unknown>,
  options?: { format?: string | undefined; request?: RequestLike | undefined },
) => string;

/** URL path → the view name and URL kwargs it matches (for writable hyperlinked fields); @x/routers implements it. */
export type Resolve = (path: string) => { viewName: string; kwargs: Record<string, string> } | null;

/** DRF's serializer context: reaches every nested field. */
export interface SerializerContext {
  request?: RequestLike | undefined;
  view?: unknown;
  reverse?: Reverse | undefined;
  resolve?: Resolve | undefined;
  format?: string | undefined;
  [key: string]: unknown;
}

/** Per-validation state handed to fields and validators. */
export interface RunState {
  readonly context: SerializerContext;
  /** The instance being updated (null on create): unique validators exclude it, CreateOnlyDefault skips. */
  readonly instance: unknown;
  readonly partial: boolean;
}
