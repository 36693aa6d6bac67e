import { defineModel } from "@x/models";
import { AbstractUser } from "./abstract-user.js";

function define() {
  return defineModel("auth.User", { extends: [AbstractUser], fields: {}, meta: { dbTable: "auth_user" } });
}

let model: ReturnType<typeof define> | undefined;

/**
 * Django's default `auth.User` (table auth_user), for projects without their
 * own user model. Defined on first use, so a project that extends
 * AbstractUser itself never registers a second user model.
 */
export function defaultUserModel(): ReturnType<typeof define> {
  model ??= define();
  return model;
}
