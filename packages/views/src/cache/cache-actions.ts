import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import type { Awaitable } from "../interfaces.js";
import type { Request } from "../request/request.js";
import type { APIView, HandlerResult } from "../views/api-view.js";
import { type CachePageOptions, cacheResponse } from "./cache-page.js";
import { watchModels } from "./generations.js";

type ActionFn = (this: APIView, request: Request) => Awaitable<HandlerResult>;

/**
 * Wraps methods of a view class in place (on its own prototype, over the
 * inherited implementation) — how a ViewSet caches an inherited action such
 * as `list`, since routers bind actions from the prototype. A wrapped method
 * may answer a rendered Fetch Response (a cache hit): code calling it
 * directly must not expect `.data`.
 */
export function wrapActions(
  View: abstract new () => APIView,
  names: readonly string[],
  wrap: (inner: ActionFn, name: string) => ActionFn,
): void {
  const proto: object = View.prototype;
  for (const name of names) {
    const inner: unknown = Reflect.get(proto, name);
    if (typeof inner !== "function") {
      throw new ImproperlyConfigured(`${View.name} has no method "${name}" to wrap.`);
    }
    const fn = inner as ActionFn; // a method of a view: (request) => handler result
    Object.defineProperty(proto, name, { value: wrap(fn, name), writable: true, configurable: true });
  }
}

/** `cacheActions(CategoryViewSet, { list: { ttl: 900 } })`: cache_page on ViewSet actions. */
export function cacheActions(
  View: abstract new () => APIView,
  actions: Readonly<Record<string, CachePageOptions>>,
): void {
  for (const options of Object.values(actions))
    if (options.dependsOn) watchModels(options.dependsOn, options.cache);
  wrapActions(View, Object.keys(actions), (inner, name) => {
    const options = actions[name]!;
    return function (this: APIView, request: Request) {
      return cacheResponse(this, request, () => inner.call(this, request), options);
    };
  });
}
