import { IsAuthenticated } from "@x/auth";
import { IntegrityError } from "@x/models";
import {
  type ActionsOf,
  AllowAny,
  CreateModelMixin,
  GenericViewSet,
  type Request,
  Response,
  ValidationError,
  withMixins,
} from "@x/views";
import { currentUser } from "./current.js";
import { User, type UserInstance } from "./models.js";
import { MeSerializer, RegisterSerializer } from "./serializers.js";

/** Registration (`POST /users/`) and the requester's own account (`/users/me/`). */
export class UserViewSet extends withMixins(GenericViewSet<UserInstance>, CreateModelMixin) {
  static override queryset = User.objects.all();
  static override serializerClass = RegisterSerializer;
  static override actions: ActionsOf<UserViewSet> = {
    // DRF's @action(serializer_class=...): PATCH's body; both methods answer one Me (not a list)
    me: {
      detail: false,
      methods: ["get", "patch"],
      serializerClass: MeSerializer,
      schema: { responses: { 200: MeSerializer } },
    },
  };

  // Two registrations of one username racing past the UniqueValidator: the unique index
  // decides, and the loser gets the validator's answer (checked after the rollback).
  override async performCreate(serializer: Parameters<GenericViewSet<UserInstance>["performCreate"]>[0]) {
    try {
      await super.performCreate(serializer);
    } catch (err) {
      const username = (serializer.validatedData as { username?: string }).username;
      if (err instanceof IntegrityError && username && (await User.objects.filter({ username }).exists()))
        throw new ValidationError({ username: ["A user with that username already exists."] });
      throw err;
    }
  }

  override getPermissions() {
    return this.action === "me" ? [new IsAuthenticated()] : [new AllowAny()];
  }

  async me(request: Request) {
    const load = () => User.objects.selectRelated("profile").get({ pk: currentUser(request).pk });
    const user = await load();
    if (request.method === "PATCH") {
      const serializer = new MeSerializer({
        instance: user,
        data: await request.data,
        partial: true,
        context: this.getSerializerContext(),
      });
      await serializer.isValid({ raiseException: true });
      await serializer.save();
      return new Response(await new MeSerializer({ instance: await load() }).data);
    }
    return new Response(await new MeSerializer({ instance: user }).data);
  }
}
