import { UnicodeUsernameValidator } from "@x/auth";
import { CharField, EmailField, ModelSerializer, UniqueValidator } from "@x/serializers";
import { Profile, User, type UserInstance } from "./models.js";

/** `POST /users/`: registration. The password is write-only and hashed. */
export class RegisterSerializer extends ModelSerializer.of(
  { model: User, fields: ["id", "username", "email", "password", "first_name", "last_name"] },
  {
    username: new CharField({
      maxLength: 150,
      validators: [
        UnicodeUsernameValidator,
        new UniqueValidator({
          queryset: User.objects.all(),
          field: "username",
          message: "A user with that username already exists.",
        }),
      ],
    }),
    email: new EmailField({ maxLength: 254 }),
    password: new CharField({ writeOnly: true, minLength: 8, maxLength: 128, trimWhitespace: false }),
  },
) {
  override async create(data: this["validatedData"]) {
    const user = new User({ ...data, password: "" }) as UserInstance;
    await user.setPassword(data.password);
    await user.save();
    return user;
  }
}

export class ProfileSerializer extends ModelSerializer.of({
  model: Profile,
  fields: ["bio", "avatar"],
  readOnlyFields: ["avatar"],
}) {}

/** `GET/PATCH /users/me/`: the user with a writable nested profile (bio only). */
export class MeSerializer extends ModelSerializer.of(
  {
    model: User,
    fields: ["id", "username", "email", "first_name", "last_name", "is_staff", "profile"],
    readOnlyFields: ["username", "is_staff"],
  },
  {
    email: new EmailField({ maxLength: 254 }),
    profile: new ProfileSerializer({ required: false }),
  },
) {
  override async update(user: UserInstance, data: this["validatedData"]) {
    const { profile, ...fields } = data as { profile?: { bio?: string } } & Record<string, unknown>;
    Object.assign(user, fields);
    await user.save();
    if (profile?.bio !== undefined) {
      await Profile.objects.filter({ user: user.pk }).update({ bio: profile.bio });
    }
    return user;
  }
}
