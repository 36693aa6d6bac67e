// DRF's @api_view: a plain async function served through APIView's request
// cycle (negotiation, authentication, permissions, throttles, errors).
import type { Handler } from "hono";
import type { Request } from "../request/request.js";
import { APIView, type HandlerResult, type ViewOptions } from "./api-view.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type FunctionView = (request: Request, view: APIView) => HandlerResult | Promise<HandlerResult>;

/** `apiView(["GET", "POST"], async (request) => ..., { permissionClasses: [IsAuthenticated] })` → a Hono handler. */
export function apiView(
  methods: readonly HttpMethod[],
  fn: FunctionView,
  options: Omit<ViewOptions, "name"> & { name?: string } = {},
): Handler & { viewClass: typeof APIView } {
  const allowed = methods.length > 0 ? methods : (["GET"] as const);
  class WrappedAPIView extends APIView {
    static override viewName = options.name ?? (fn.name ? fn.name.replace(/_/g, " ") : "Api");
  }
  const proto = WrappedAPIView.prototype as unknown as Record<string, unknown>;
  for (const method of allowed) {
    proto[method.toLowerCase()] = function (this: APIView, request: Request) {
      return fn(request, this);
    };
  }
  const { name: _name, ...initkwargs } = options;
  return WrappedAPIView.asView(initkwargs) as Handler & { viewClass: typeof APIView };
}
