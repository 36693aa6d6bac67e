import type { Request } from "@x/views";
import { BasePermission, isSafeMethod } from "./base.js";

/** DRF's IsAuthenticated. */
export class IsAuthenticated extends BasePermission {
  override hasPermission(request: Request): boolean {
    return request.user.isAuthenticated === true;
  }
}

/** DRF's IsAdminUser: `is_staff`. */
export class IsAdminUser extends BasePermission {
  override hasPermission(request: Request): boolean {
    return request.user.isAuthenticated === true && request.user.is_staff === true;
  }
}

/** DRF's IsAuthenticatedOrReadOnly. */
export class IsAuthenticatedOrReadOnly extends BasePermission {
  override hasPermission(request: Request): boolean {
    return isSafeMethod(request) || request.user.isAuthenticated === true;
  }
}
