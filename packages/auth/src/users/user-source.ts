/** What auth needs of a user: Django's AbstractBaseUser essentials. */
export interface AuthUser {
  readonly pk: unknown;
  readonly is_active: boolean;
  readonly isAuthenticated: boolean;
  readonly is_staff?: boolean;
}

/**
 * Where authentication finds users (the AUTH_USER_MODEL plus the backends).
 * `userService(UserModel)` implements it on a model; any other store can too.
 */
export interface UserSource<U extends AuthUser = AuthUser> {
  /** The user with this primary key, or null (deleted). */
  getById(id: unknown): Promise<U | null>;
  /** Django's authenticate(): the active user these credentials belong to, or null. */
  authenticate(credentials: { username: string; password: string }): Promise<U | null>;
  /** Records a successful login (Django's update_last_login). */
  updateLastLogin?(user: U): Promise<void>;
}
