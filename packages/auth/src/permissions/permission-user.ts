import type { User } from "@x/views";

/** A user that can answer Django's has_perms (the AbstractUser model's instances can). */
export interface PermissionUser extends User {
  hasPerms(perms: readonly string[], obj?: unknown): Promise<boolean>;
}

/** Django's has_perms for whatever `request.user` is: AnonymousUser has no permission at all. */
export async function userHasPerms(user: User, perms: readonly string[], obj?: unknown): Promise<boolean> {
  if (perms.length === 0) return true;
  const candidate = user as Partial<PermissionUser>;
  if (!user.isAuthenticated || typeof candidate.hasPerms !== "function") return false;
  return candidate.hasPerms(perms, obj);
}
