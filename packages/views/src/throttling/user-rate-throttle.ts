import type { Request } from "../request/request.js";
import { SimpleRateThrottle } from "./simple-rate-throttle.js";

/** Throttles authenticated users by id, anonymous clients by address. Scope `user`. */
export class UserRateThrottle extends SimpleRateThrottle {
  override scope: string | null = "user";

  getCacheKey(request: Request): string | null {
    const ident = request.user.isAuthenticated ? `user:${String(request.user.pk)}` : this.getIdent(request);
    return this.formatKey(ident);
  }
}
