import type { ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { SimpleRateThrottle, type ThrottleWindow } from "./simple-rate-throttle.js";

/**
 * Throttles by the view's `throttleScope` (DRF's `throttle_scope`), users by
 * id and anonymous clients by address; views without a scope pass.
 */
export class ScopedRateThrottle extends SimpleRateThrottle {
  override window(request: Request, view: ViewLike): ThrottleWindow | null {
    const scope = view.getAttribute<unknown>("throttleScope");
    if (typeof scope !== "string" || scope === "") return null;
    this.scope = scope;
    return super.window(request, view);
  }

  getCacheKey(request: Request): string | null {
    const ident = request.user.isAuthenticated ? `user:${String(request.user.pk)}` : this.getIdent(request);
    return this.formatKey(ident);
  }
}
