import { type AnyModel, getDatabase } from "@x/models";
import { objectPermissionModelsFor } from "./object-permission-registry.js";
import { Group, Permission } from "./permission.js";
import { joinTable, placeholders, qi } from "./sql.js";

interface PermUser {
  readonly pk: unknown;
  readonly constructor: unknown;
}

/**
 * Every `app_label.codename` the user holds, directly or through a group: one
 * query, whatever the number of groups and permissions (ModelBackend's
 * get_all_permissions without the N+1).
 */
export async function queryAllPermissions(user: PermUser): Promise<Set<string>> {
  const model = user.constructor as AnyModel;
  const db = getDatabase();
  const next = placeholders(db);
  const p = Permission.meta;
  const own = joinTable(model, "user_permissions");
  const groups = joinTable(model, "groups");
  const groupPerms = joinTable(Group, "permissions");
  const sql =
    `SELECT p.${qi("app_label")} AS app_label, p.${qi("codename")} AS codename FROM ${qi(p.dbTable)} p ` +
    `WHERE p.${qi(p.pk.column)} IN (SELECT up.${qi(own.target)} FROM ${qi(own.table)} up WHERE up.${qi(own.source)} = ${next()}) ` +
    `OR p.${qi(p.pk.column)} IN (SELECT gp.${qi(groupPerms.target)} FROM ${qi(groupPerms.table)} gp ` +
    `JOIN ${qi(groups.table)} ug ON ug.${qi(groups.target)} = gp.${qi(groupPerms.source)} WHERE ug.${qi(groups.source)} = ${next()})`;
  const result = await db.execute(sql, [user.pk, user.pk]);
  return new Set(
    result.rows.map((r: { app_label: string; codename: string }) => `${r.app_label}.${r.codename}`),
  );
}

/** The object-level permissions (`app_label.codename`) the user holds on `obj`: one query. */
export async function queryObjectPermissions(
  user: PermUser,
  obj: { pk: unknown; constructor: unknown },
): Promise<Set<string>> {
  const userModel = user.constructor as AnyModel;
  const objModel = obj.constructor as AnyModel;
  const registered = objectPermissionModelsFor(userModel);
  if (!registered) return new Set();
  const { UserObjectPermission, GroupObjectPermission } = registered;
  const db = getDatabase();
  const next = placeholders(db);
  const p = Permission.meta;
  const uop = UserObjectPermission.meta;
  const gop = GroupObjectPermission.meta;
  const groups = joinTable(userModel, "groups");
  const col = (m: AnyModel["meta"], name: string) => qi(m.getField(name).column);
  const sql =
    `SELECT p.${qi("app_label")} AS app_label, p.${qi("codename")} AS codename FROM ${qi(p.dbTable)} p ` +
    `WHERE p.${qi("app_label")} = ${next()} AND p.${qi("model")} = ${next()} AND (` +
    `p.${qi(p.pk.column)} IN (SELECT u.${col(uop, "permission")} FROM ${qi(uop.dbTable)} u WHERE u.${col(uop, "user")} = ${next()} AND u.${col(uop, "object_pk")} = ${next()}) ` +
    `OR p.${qi(p.pk.column)} IN (SELECT g.${col(gop, "permission")} FROM ${qi(gop.dbTable)} g JOIN ${qi(groups.table)} ug ON ug.${qi(groups.target)} = g.${col(gop, "group")} ` +
    `WHERE ug.${qi(groups.source)} = ${next()} AND g.${col(gop, "object_pk")} = ${next()}))`;
  const objectPk = String(obj.pk);
  const result = await db.execute(sql, [
    objModel.meta.appLabel,
    objModel.meta.modelName,
    user.pk,
    objectPk,
    user.pk,
    objectPk,
  ]);
  return new Set(
    result.rows.map((r: { app_label: string; codename: string }) => `${r.app_label}.${r.codename}`),
  );
}
