import {
  BooleanField,
  CharField,
  DateTimeField,
  defineAbstract,
  EmailField,
  ManyToManyField,
  RegexValidator,
} from "@x/models";
import { checkPassword, isPasswordUsable, makePassword } from "../hashers/passwords.js";
import { Group, Permission } from "./permission.js";
import { queryAllPermissions, queryObjectPermissions } from "./permissions-query.js";

/** Django's UnicodeUsernameValidator (`^[\w.@+-]+\Z`). */
export const UnicodeUsernameValidator = RegexValidator(/^[\p{L}\p{N}_.@+-]+$/u, {
  message: "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
  code: "invalid",
});

// Per-instance permission caches (Django's _perm_cache), outside the row's fields.
const permCache = new WeakMap<object, Promise<Set<string>>>();

interface UserLike {
  pk: unknown;
  is_active: boolean;
  is_superuser: boolean;
}

async function allPermissions(user: UserLike & object): Promise<Set<string>> {
  if (!user.is_active) return new Set();
  let cached = permCache.get(user);
  if (!cached) {
    cached = queryAllPermissions(user);
    permCache.set(user, cached);
    cached.catch(() => permCache.delete(user));
  }
  return cached;
}

async function hasPermsOf(
  user: UserLike & object,
  perms: readonly string[],
  obj?: unknown,
): Promise<boolean> {
  if (!user.is_active) return false;
  if (user.is_superuser) return true;
  if (perms.length === 0) return true;
  const held =
    obj === undefined || obj === null
      ? await allPermissions(user)
      : await queryObjectPermissions(user, obj as { pk: unknown; constructor: unknown });
  return perms.every((p) => held.has(p));
}

/**
 * Django's AbstractUser: extend it into the project's user model
 * (`defineModel("users.User", { extends: [AbstractUser], ... })`) and hand that
 * model to `userService(User)` / `authModels(User)` (AUTH_USER_MODEL).
 */
export const AbstractUser = defineAbstract({
  fields: {
    password: CharField({ maxLength: 128 }),
    last_login: DateTimeField({ null: true, blank: true }),
    is_superuser: BooleanField({
      default: false,
      helpText: "Designates that this user has all permissions without explicitly assigning them.",
    }),
    username: CharField({
      maxLength: 150,
      unique: true,
      validators: [UnicodeUsernameValidator],
      helpText: "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
    }),
    first_name: CharField({ maxLength: 150, blank: true, default: "" }),
    last_name: CharField({ maxLength: 150, blank: true, default: "" }),
    email: EmailField({ maxLength: 254, blank: true, default: "", verboseName: "email address" }),
    is_staff: BooleanField({
      default: false,
      helpText: "Designates whether the user can log into this admin site.",
    }),
    is_active: BooleanField({
      default: true,
      helpText:
        "Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
    }),
    date_joined: DateTimeField({ default: () => new Date() }),
    groups: ManyToManyField(() => Group, { blank: true }),
    user_permissions: ManyToManyField(() => Permission, { blank: true }),
  },
  methods: {
    /** Always true for a stored user (AnonymousUser's is false). */
    get isAuthenticated(): true {
      return true;
    },
    get isAnonymous(): false {
      return false;
    },
    toString(): string {
      return this.username;
    },
    getUsername(): string {
      return this.username;
    },
    getFullName(): string {
      return `${this.first_name} ${this.last_name}`.trim();
    },
    getShortName(): string {
      return this.first_name;
    },
    /** Hashes and sets the password (does not save). */
    async setPassword(raw: string | null): Promise<void> {
      this.password = await makePassword(raw);
      permCache.delete(this);
    },
    setUnusablePassword(): Promise<void> {
      return this.setPassword(null);
    },
    hasUsablePassword(): boolean {
      return isPasswordUsable(this.password);
    },
    /** Checks the password; an outdated hash (Django's pbkdf2) is upgraded and saved. */
    checkPassword(raw: string): Promise<boolean> {
      return checkPassword(raw, this.password, {
        setter: async (password) => {
          this.password = await makePassword(password);
          await this.save({ updateFields: ["password"] });
        },
      });
    },
    /** Every `app_label.codename` the user holds (own and groups'); empty for an inactive user. */
    getAllPermissions(): Promise<Set<string>> {
      return allPermissions(this);
    },
    /** Django's has_perm: superusers hold all; with `obj`, object-level grants are checked. */
    hasPerm(perm: string, obj?: unknown): Promise<boolean> {
      return hasPermsOf(this, [perm], obj);
    },
    hasPerms(perms: readonly string[], obj?: unknown): Promise<boolean> {
      return hasPermsOf(this, perms, obj);
    },
    async hasModulePerms(appLabel: string): Promise<boolean> {
      if (!this.is_active) return false;
      if (this.is_superuser) return true;
      for (const p of await allPermissions(this)) if (p.startsWith(`${appLabel}.`)) return true;
      return false;
    },
    /** Forgets cached permissions (after changing groups or permissions). */
    clearPermCache(): void {
      permCache.delete(this);
    },
  },
});
