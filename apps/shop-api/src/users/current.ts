import type { AbstractUserInstance } from "@x/auth";
import type { Request } from "@x/views";

/**
 * The authenticated user of a request. Every authentication class of this app
 * returns users of our user model, so after an IsAuthenticated check the
 * request's user is one of them (views types `request.user` structurally).
 */
export function currentUser(request: Request): AbstractUserInstance {
  if (!request.user.isAuthenticated) throw new TypeError("currentUser() needs an authenticated request");
  return request.user as unknown as AbstractUserInstance;
}
