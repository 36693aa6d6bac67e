// DRF's ViewSetMixin: `asView({ get: "list", post: "create" })` binds HTTP
// methods to actions for one route; `getExtraActions()` tells routers the rest.
import type { Handler } from "hono";
import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import { type APIView, checkInitkwargs, routeDispatcher, type ViewOptions } from "../views/api-view.js";
import { handlerName } from "../views/http-methods.js";
import { collectExtraActions, type ExtraAction } from "./action.js";

/** HTTP method (lowercase) → action name, e.g. `{ get: "retrieve", put: "update" }`. */
export type ActionMap = Partial<
  Record<"get" | "post" | "put" | "patch" | "delete" | "head" | "options", string>
>;

const extraActionsCache = new WeakMap<Function, ExtraAction[]>();

export function extraActionsOf(View: Function): ExtraAction[] {
  let cached = extraActionsCache.get(View);
  if (!cached) {
    cached = collectExtraActions(View);
    extraActionsCache.set(View, cached);
  }
  return cached;
}

export interface ViewSetInstance extends APIView {
  actionMap: ActionMap;
}

export function viewSetAsView(View: Function, actions: ActionMap, initkwargs: ViewOptions = {}): Handler {
  if (!actions || Object.keys(actions).length === 0) {
    throw new ImproperlyConfigured(
      `The \`actions\` argument must be provided when calling \`asView()\` on ${View.name}. For example \`.asView({ get: "list" })\``,
    );
  }
  checkInitkwargs(View, initkwargs);
  const proto = (View as { prototype: Record<string, unknown> }).prototype;
  for (const [method, action] of Object.entries(actions)) {
    if (typeof proto[action as string] !== "function") {
      throw new ImproperlyConfigured(`${View.name} has no action "${action}" (mapped from ${method}).`);
    }
  }
  const map: ActionMap = { ...actions };
  if (map.get && !map.head) map.head = map.get;
  // A route serving one extra action gets that action's options (permissionClasses, serializerClass, ...).
  const served = Object.values(map);
  const extra = extraActionsOf(View).find((a) =>
    served.every((name) => Object.values(a.mapping).includes(name)),
  );
  const options: ViewOptions = { ...(extra?.kwargs ?? {}), ...initkwargs };
  const Ctor = View as new () => ViewSetInstance;
  // Resolve the handlers once (at startup) rather than per request.
  const bound = Object.entries(map).map(([method, action]) => [method, proto[action as string]] as const);
  const serve = routeDispatcher();
  // Not an async function: it would wrap dispatch's promise in one more (and a microtask).
  const handler: Handler = (c) => {
    try {
      const view = new Ctor();
      Object.assign(view, options);
      view.actionMap = map;
      for (let i = 0; i < bound.length; i++) {
        const [method, fn] = bound[i] as (typeof bound)[number];
        (view as unknown as Record<string, unknown>)[method] = fn;
      }
      // DRF's `action_map.get(method.lower())`; it names the OPTIONS action "metadata".
      const method = handlerName(c.req.method);
      view.action = method === "options" ? "metadata" : map[method as keyof ActionMap];
      return serve(view, c);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(handler, { viewClass: View, actions: map, viewInitkwargs: options });
}
