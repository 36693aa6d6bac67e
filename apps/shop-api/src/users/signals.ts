import { postSave, receiver } from "@x/models";
import { Profile, User } from "./models.js";

/**
 * Every user has a profile, created with the user (the handbook's
 * profile-on-user-creation receiver). Fixture rows (`raw`) bring their own.
 */
export function connectUserSignals(): () => void {
  return receiver(
    postSave,
    { sender: User, dispatchUid: "users.create_profile" },
    async ({ instance, created, raw }) => {
      if (created && !raw) await Profile.objects.create({ user_id: instance.pk, bio: "" });
    },
  );
}
