import type { AnyModel } from "@x/models";

export interface ObjectPermissionModels {
  UserObjectPermission: AnyModel;
  GroupObjectPermission: AnyModel;
}

// The object-permission tables belong to one user model (they hold a foreign
// key to it); `authModels(User)` registers them here for the user's hasPerm.
const byUserModel = new Map<AnyModel, ObjectPermissionModels>();

export function registerObjectPermissionModels(userModel: AnyModel, models: ObjectPermissionModels): void {
  byUserModel.set(userModel, models);
}

export function objectPermissionModelsFor(userModel: AnyModel): ObjectPermissionModels | undefined {
  return byUserModel.get(userModel);
}

/** The registered object-permission models (groups are shared by every user model). */
export function anyObjectPermissionModels(): ObjectPermissionModels | undefined {
  return byUserModel.values().next().value;
}
