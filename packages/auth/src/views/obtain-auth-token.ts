import { CharField, type FieldMap, Serializer, ValidationError } from "@x/serializers";
import { APIView, type OperationSchema, type Request, Response } from "@x/views";
import type { AuthUser, UserSource } from "../users/user-source.js";

/**
 * DRF's AuthTokenSerializer: `{username, password}` in (validated data gains the
 * authenticated `user`), `{token}` out. Bind it to a user source with `using(users)`.
 */
export class AuthTokenSerializer extends Serializer<
  { token: string },
  { username: string; password: string; user: AuthUser }
> {
  static override declaredFields: FieldMap = {
    username: new CharField({ writeOnly: true }),
    password: new CharField({ writeOnly: true, trimWhitespace: false }),
    token: new CharField({ readOnly: true }),
  };
  static users: UserSource<AuthUser> | undefined;

  /** This serializer (or a subclass) authenticating against `users`: one class per pair. */
  static using<U extends AuthUser>(users: UserSource<U>): typeof AuthTokenSerializer {
    // biome-ignore lint/complexity/noThisInStatic: a subclass's using() binds the subclass
    return boundTo(this, users as unknown as UserSource<AuthUser>);
  }

  override async validate(attrs: { username: string; password: string; user: AuthUser }) {
    const users = (this.constructor as typeof AuthTokenSerializer).users;
    if (!users)
      throw new Error("AuthTokenSerializer has no user source: use AuthTokenSerializer.using(users)");
    const user = await users.authenticate({ username: attrs.username, password: attrs.password });
    if (!user) throw new ValidationError("Unable to log in with provided credentials.", "authorization");
    return { ...attrs, user };
  }
}

const bound = new WeakMap<object, WeakMap<object, typeof AuthTokenSerializer>>();

function boundTo(
  Parent: typeof AuthTokenSerializer,
  users: UserSource<AuthUser>,
): typeof AuthTokenSerializer {
  let byUsers = bound.get(Parent);
  if (!byUsers) {
    byUsers = new WeakMap();
    bound.set(Parent, byUsers);
  }
  let Bound = byUsers.get(users);
  if (!Bound) {
    // named like its parent: the OpenAPI document names its shapes after it
    Bound = { [Parent.name]: class extends Parent {} }[Parent.name]!;
    Bound.users = users;
    byUsers.set(users, Bound);
  }
  return Bound;
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
  /** The request is the serializer's write shape; the answer its read shape (`{token}`). */
  static schema: OperationSchema = { responses: { 200: AuthTokenSerializer } };
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
