import type { AnyInstance, AnyModel } from "@x/models";
import { makePassword } from "../hashers/passwords.js";
import type { UserSource } from "../users/user-source.js";

/** An instance of a model extending AbstractUser. */
export interface AbstractUserInstance extends AnyInstance {
  readonly is_active: boolean;
  username: string;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  is_staff: boolean;
  is_superuser: boolean;
  last_login: Date | null;
  date_joined: Date;
  readonly isAuthenticated: true;
  setPassword(raw: string | null): Promise<void>;
  checkPassword(raw: string): Promise<boolean>;
  hasPerm(perm: string, obj?: unknown): Promise<boolean>;
  hasPerms(perms: readonly string[], obj?: unknown): Promise<boolean>;
  getAllPermissions(): Promise<Set<string>>;
}

/** Django's authentication backend protocol (AUTHENTICATION_BACKENDS entries). */
export interface AuthBackend<U> {
  /** The user these credentials belong to, or null to let the next backend try. */
  authenticate(credentials: { username: string; password: string }): Promise<U | null>;
}

/** Django's normalize_email: the domain part lower-cased. */
export function normalizeEmail(email: string | null | undefined): string {
  const value = (email ?? "").trim();
  const at = value.lastIndexOf("@");
  if (at <= 0) return value;
  return `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
}

function validPk(model: AnyModel, id: unknown): unknown | null {
  const type = model.meta.pk.type;
  if (/AutoField|IntegerField/.test(type)) {
    const n =
      typeof id === "number" ? id : typeof id === "string" && /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  }
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

export interface UserService<U extends AbstractUserInstance> extends UserSource<U> {
  readonly model: AnyModel;
  createUser(
    username: string,
    email?: string | null,
    password?: string | null,
    extra?: Record<string, unknown>,
  ): Promise<U>;
  createSuperuser(
    username: string,
    email?: string | null,
    password?: string | null,
    extra?: Record<string, unknown>,
  ): Promise<U>;
}

/**
 * Django's ModelBackend: username + password against the user model, active
 * users only. An unknown username still costs one password hash (no timing
 * difference between "no such user" and "wrong password").
 */
export function modelBackend<
  M extends AnyModel,
  U extends AbstractUserInstance = InstanceType<M> & AbstractUserInstance,
>(User: M): AuthBackend<U> {
  return {
    async authenticate({ username, password }) {
      if (typeof username !== "string" || typeof password !== "string") return null;
      const user = (await User.objects.filter({ username }).first()) as U | null;
      if (!user) {
        await makePassword(password);
        return null;
      }
      return (await user.checkPassword(password)) && user.is_active ? user : null;
    },
  };
}

/**
 * The project's user model as auth sees it (AUTH_USER_MODEL + AUTHENTICATION_BACKENDS):
 * lookups, authenticate(), createUser/createSuperuser.
 */
export function userService<
  M extends AnyModel,
  U extends AbstractUserInstance = InstanceType<M> & AbstractUserInstance,
>(User: M, options: { backends?: readonly AuthBackend<U>[] } = {}): UserService<U> {
  const backends = options.backends ?? [modelBackend<M, U>(User)];

  async function create(
    username: string,
    email: string | null | undefined,
    password: string | null | undefined,
    extra: Record<string, unknown>,
  ): Promise<U> {
    if (!username) throw new Error("The given username must be set");
    const user = new User({ ...extra, username, email: normalizeEmail(email) }) as U;
    await user.setPassword(password ?? null);
    await user.save();
    return user;
  }

  return {
    model: User,
    async getById(id) {
      const pk = validPk(User, id);
      if (pk === null) return null;
      return (await User.objects.filter({ pk }).first()) as U | null;
    },
    async authenticate(credentials) {
      for (const backend of backends) {
        const user = await backend.authenticate(credentials);
        if (user) return user;
      }
      return null;
    },
    async updateLastLogin(user) {
      user.last_login = new Date();
      await User.objects.filter({ pk: user.pk }).update({ last_login: user.last_login });
    },
    createUser: (username, email, password, extra = {}) =>
      create(username, email, password, { is_staff: false, is_superuser: false, ...extra }),
    async createSuperuser(username, email, password, extra = {}) {
      if (extra.is_staff === false) throw new Error("Superuser must have is_staff=True.");
      if (extra.is_superuser === false) throw new Error("Superuser must have is_superuser=True.");
      return create(username, email, password, { ...extra, is_staff: true, is_superuser: true });
    },
  };
}
