import type { Request } from "@x/views";
import type { UserInstance } from "./models.js";

/**
 * The authenticated user of a request. Every authentication class of this app
 * returns users of our user model, so after an IsAuthenticated check the
 * request's user is one of them (views types `request.user` structurally).
 */
export function currentUser(request: Request): UserInstance {
  if (!request.user.isAuthenticated) throw new TypeError("currentUser() needs an authenticated request");
  return request.user as unknown as UserInstance;
}
