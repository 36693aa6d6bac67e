import { type AnyInstance, type AnyModel, Exists, Q, type QuerySet } from "@x/models";
import { anyObjectPermissionModels, objectPermissionModelsFor } from "./object-permission-registry.js";
import { Group, Permission } from "./permission.js";
import { joinTable } from "./sql.js";

type Holder = AnyInstance;

function integerPk(pk: unknown): number | null {
  return typeof pk === "number" && Number.isSafeInteger(pk) ? pk : null;
}

function modelOf(instance: AnyInstance): AnyModel {
  return instance.constructor as AnyModel;
}

function isGroup(holder: Holder): boolean {
  return modelOf(holder).meta.label === Group.meta.label;
}

/** "view_document" or "documents.view_document" → the Permission row for `obj`'s model. */
async function permissionFor(perm: string, model: AnyModel): Promise<AnyInstance> {
  const dot = perm.indexOf(".");
  const appLabel = dot === -1 ? model.meta.appLabel : perm.slice(0, dot);
  const codename = dot === -1 ? perm : perm.slice(dot + 1);
  if (appLabel !== model.meta.appLabel) {
    throw new Error(`Permission "${perm}" does not belong to ${model.meta.label}`);
  }
  const row = await Permission.objects
    .filter({ app_label: appLabel, model: model.meta.modelName, codename })
    .first();
  if (!row)
    throw new Permission.DoesNotExist(
      `Permission "${appLabel}.${codename}" does not exist for ${model.meta.label}`,
    );
  return row;
}

function modelsFor(holder: Holder) {
  const models = isGroup(holder) ? anyObjectPermissionModels() : objectPermissionModelsFor(modelOf(holder));
  if (!models) throw new Error("Object permissions need authModels(User) to be defined first");
  return models;
}

/** guardian's assign_perm: grants `perm` on `obj` to a user or a group (idempotent). */
export async function assignPerm(perm: string, holder: Holder, obj: AnyInstance): Promise<void> {
  const permission = await permissionFor(perm, modelOf(obj));
  const models = modelsFor(holder);
  const lookup = { permission_id: permission.pk, object_pk: String(obj.pk) };
  const defaults = { defaults: { object_id: integerPk(obj.pk) } };
  if (isGroup(holder))
    await models.GroupObjectPermission.objects.getOrCreate({ ...lookup, group_id: holder.pk }, defaults);
  else await models.UserObjectPermission.objects.getOrCreate({ ...lookup, user_id: holder.pk }, defaults);
  holder.clearPermCache?.();
}

/** guardian's remove_perm. */
export async function removePerm(perm: string, holder: Holder, obj: AnyInstance): Promise<void> {
  const permission = await permissionFor(perm, modelOf(obj));
  const models = modelsFor(holder);
  const lookup = { permission_id: permission.pk, object_pk: String(obj.pk) };
  if (isGroup(holder))
    await models.GroupObjectPermission.objects.filter({ ...lookup, group_id: holder.pk }).delete();
  else await models.UserObjectPermission.objects.filter({ ...lookup, user_id: holder.pk }).delete();
}

export interface GetObjectsForUserOptions {
  /** The model, or a QuerySet to narrow (the filter backend passes the view's). */
  klass: AnyModel | QuerySet<AnyInstance, never>;
  /** Any of the permissions is enough (default: all of them). */
  anyPerm?: boolean;
  /** Superusers see everything (default true). */
  withSuperuser?: boolean;
  /** A model-level permission (own or a group's) grants every object (default true, as guardian). */
  acceptGlobalPerms?: boolean;
}

interface PermUser {
  readonly pk: unknown;
  readonly isAuthenticated: boolean;
  readonly is_active?: boolean;
  readonly is_superuser?: boolean;
}

function isQuerySet(value: unknown): value is QuerySet<AnyInstance, never> {
  return (
    typeof value === "object" &&
    value !== null &&
    "model" in value &&
    typeof (value as { filter?: unknown }).filter === "function"
  );
}

/**
 * guardian's get_objects_for_user: the objects of `klass` on which the user
 * holds `perms` through object permissions (directly or through a group), as
 * one lazy QuerySet (`IN (subquery)` filters, never a loop). Synchronous, as
 * `getQueryset()` and filter backends are. A model-level permission grants
 * every object unless `acceptGlobalPerms: false`; superusers see all.
 */
export function getObjectsForUser(
  user: PermUser,
  perms: string | readonly string[],
  options: GetObjectsForUserOptions,
): QuerySet<AnyInstance, never> {
  const qs = isQuerySet(options.klass)
    ? options.klass
    : (options.klass.objects as QuerySet<AnyInstance, never>);
  const model = qs.model;
  const wanted = (typeof perms === "string" ? [perms] : [...perms]).map((p) =>
    p.includes(".") ? p : `${model.meta.appLabel}.${p}`,
  );
  for (const p of wanted) {
    if (!p.startsWith(`${model.meta.appLabel}.`))
      throw new Error(`Permission "${p}" does not belong to ${model.meta.label}`);
  }
  if (!user.isAuthenticated || user.is_active === false) return qs.none();
  if (wanted.length === 0) return qs;
  if (user.is_superuser && options.withSuperuser !== false) return qs;
  const models = objectPermissionModelsFor(user.constructor as AnyModel);
  if (!models) return qs.none();
  const column = /AutoField|IntegerField/.test(model.meta.pk.type) ? "object_id" : "object_pk";
  const groupIds = userGroupIds(user);
  const conditions = wanted.map((p) => {
    const permission = {
      permission__app_label: model.meta.appLabel,
      permission__model: model.meta.modelName,
      permission__codename: p.slice(p.indexOf(".") + 1),
    };
    const direct = models.UserObjectPermission.objects
      .filter({ ...permission, user_id: user.pk })
      .values(column);
    const viaGroups = models.GroupObjectPermission.objects
      .filter({ ...permission, group_id__in: groupIds })
      .values(column);
    let condition = Q({ pk__in: direct }).or(Q({ pk__in: viaGroups }));
    if (options.acceptGlobalPerms !== false)
      condition = condition.or(Q({ pk__in: allIfGlobal(qs, user, p, groupIds) }));
    return condition;
  });
  if (options.anyPerm) return qs.filter(conditions.reduce((a, b) => a.or(b)));
  return conditions.reduce((acc, c) => acc.filter(c), qs);
}
/**
 * Every pk of the model when the user holds `perm` at model level (own or a
 * group's), no pk otherwise: a subquery, so the whole check stays one query.
 */
function allIfGlobal(qs: QuerySet<AnyInstance, never>, user: PermUser, perm: string, groupIds: unknown) {
  const [appLabel, codename] = [perm.slice(0, perm.indexOf(".")), perm.slice(perm.indexOf(".") + 1)];
  const model = qs.model;
  const permission = { app_label: appLabel, codename, model: model.meta.modelName };
  const own = joinTable(user.constructor as AnyModel, "user_permissions");
  const ownRows = own.through.objects.filter({
    [own.sourceName]: user.pk,
    ...prefixed(own.targetName, permission),
  });
  const groupPerms = joinTable(Group as unknown as AnyModel, "permissions");
  const viaGroups = groupPerms.through.objects.filter({
    [`${groupPerms.sourceName}__in`]: groupIds,
    ...prefixed(groupPerms.targetName, permission),
  });
  return model.objects
    .annotate({ _own_perm: Exists(ownRows), _group_perm: Exists(viaGroups) })
    .filter(Q({ _own_perm: true }).or(Q({ _group_perm: true })))
    .values("pk");
}

function prefixed(prefix: string, lookups: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(lookups).map(([k, v]) => [`${prefix}__${k}`, v]));
}

/** The ids of the user's groups, as a subquery on the user model's groups join table. */
function userGroupIds(user: PermUser) {
  const groups = joinTable(user.constructor as AnyModel, "groups");
  return groups.through.objects.filter({ [groups.sourceName]: user.pk }).values(groups.targetName);
}
