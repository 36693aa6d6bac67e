import { APIView, type Request, Response, ValidationError } from "@x/views";
import type { AuthUser, UserSource } from "../users/user-source.js";
import { readCharFields } from "./fields.js";

export interface AuthTokenSerializerOptions {
  data: unknown;
  context?: { request?: Request; [key: string]: unknown };
}

/** DRF's AuthTokenSerializer: `{username, password}` → the authenticated user. */
export class AuthTokenSerializer {
  static users: UserSource<AuthUser> | undefined;
  readonly initialData: unknown;
  readonly context: AuthTokenSerializerOptions["context"];
  validatedData!: { username: string; password: string; user: AuthUser };
  errors: Record<string, string[]> = {};

  static using<U extends AuthUser>(users: UserSource<U>): typeof AuthTokenSerializer {
    return class extends AuthTokenSerializer {
      static override users = users as unknown as UserSource<AuthUser>;
    };
  }

  constructor(options: AuthTokenSerializerOptions) {
    this.initialData = options.data;
    this.context = options.context;
  }

  async isValid(options: { raiseException?: boolean } = {}): Promise<boolean> {
    const users = (this.constructor as typeof AuthTokenSerializer).users;
    if (!users)
      throw new Error("AuthTokenSerializer has no user source: use AuthTokenSerializer.using(users)");
    try {
      const { username, password } = readCharFields(this.initialData, {
        username: {},
        password: { trim: false },
      });
      const user = await users.authenticate({ username: username!, password: password! });
      if (!user)
        throw new ValidationError(
          { non_field_errors: ["Unable to log in with provided credentials."] },
          "authorization",
        );
      this.validatedData = { username: username!, password: password!, user };
      this.errors = {};
      return true;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      this.errors = e.detail as Record<string, string[]>;
      if (options.raiseException) throw e;
      return false;
    }
  }
}

/** The authtoken model as this view uses it (`authModels(User).Token`). */
export interface TokenModelManager {
  readonly objects: { getOrCreate(lookup: Record<string, unknown>): PromiseLike<[{ key: string }, boolean]> };
}

/**
 * DRF's ObtainAuthToken: `{username, password}` → `{"token": key}`, one token
 * per user, reused. `ObtainAuthToken.asView({ users, tokenModel: Token })`;
 * subclass and override `post` for a richer body (the handbook's CustomAuthToken).
 * Throttle scope `auth`.
 */
export class ObtainAuthToken extends APIView {
  static override permissionClasses = [];
  throttleScope = "auth";
  declare users: UserSource<AuthUser>;
  declare tokenModel: TokenModelManager;

  get serializerClass(): typeof AuthTokenSerializer {
    const users = this.getAttribute<UserSource<AuthUser>>("users");
    if (!users)
      throw new Error(`${this.constructor.name} needs a user source: .asView({ users, tokenModel })`);
    return AuthTokenSerializer.using(users);
  }

  /** Django's `Token.objects.get_or_create(user=user)` on the configured model. */
  async getOrCreateToken(user: AuthUser): Promise<[{ key: string }, boolean]> {
    const model = this.getAttribute<TokenModelManager>("tokenModel");
    if (!model)
      throw new Error(`${this.constructor.name} needs the token model: .asView({ users, tokenModel })`);
    return model.objects.getOrCreate({ user_id: user.pk });
  }

  async post(request: Request): Promise<Response> {
    const serializer = new this.serializerClass({ data: await request.data, context: { request } });
    await serializer.isValid({ raiseException: true });
    const [token] = await this.getOrCreateToken(serializer.validatedData.user);
    return new Response({ token: token.key });
  }
}
