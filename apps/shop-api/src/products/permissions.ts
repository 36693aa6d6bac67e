import { BasePermission, isSafeMethod } from "@x/auth";
import type { Request } from "@x/views";

/** Reviews: anyone reads; only the author or staff change or delete. */
export class IsAuthorOrStaffOrReadOnly extends BasePermission {
  override message = "You must be the author to perform this action.";

  override hasObjectPermission(request: Request, _view: unknown, review: { user_id: unknown }): boolean {
    if (isSafeMethod(request)) return true;
    const user = request.user as { pk: unknown; is_staff?: boolean };
    return user.is_staff === true || review.user_id === user.pk;
  }
}
