import type { AuthUser, UserSource } from "../../src/index.js";
import { checkPassword } from "../../src/index.js";

export interface PlainUser extends AuthUser {
  pk: number;
  username: string;
  email: string;
  password: string;
  is_active: boolean;
  is_staff: boolean;
  isAuthenticated: true;
}

/** A UserSource over an array, for tests of the HTTP layer independent of the database. */
export function arrayUsers(list: PlainUser[]): UserSource<PlainUser> {
  return {
    async getById(id) {
      return list.find((u) => String(u.pk) === String(id)) ?? null;
    },
    async authenticate({ username, password }) {
      const user = list.find((u) => u.username === username);
      if (!user) return null;
      return (await checkPassword(password, user.password)) && user.is_active ? user : null;
    },
  };
}
