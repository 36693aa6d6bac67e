// The project's own user model (AUTH_USER_MODEL) and the profile every user has.
import { AbstractUser, authModels } from "@x/auth";
import { CASCADE, CharField, defineModel, type InstanceOf, OneToOneField, TextField } from "@x/models";

export const User = defineModel("users.User", {
  extends: [AbstractUser],
  fields: {},
  meta: { dbTable: "users_user" },
});
export type UserInstance = InstanceOf<typeof User>;

export const Profile = defineModel("users.Profile", {
  fields: {
    user: OneToOneField(() => User, { onDelete: CASCADE, relatedName: "profile" }),
    bio: TextField({ blank: true, default: "" }),
    // The fixture stores avatars as nullable paths (an ImageField upload_to "avatars/" in the DRF app).
    avatar: CharField({ maxLength: 100, null: true, blank: true }),
  },
  meta: { dbTable: "users_profile" },
  methods: {
    toString(): string {
      return `profile ${this.user_id}`;
    },
  },
});

/** Token, JWT outstanding/blacklisted tokens, object permissions and sessions for our user model. */
export const auth = authModels(User);
