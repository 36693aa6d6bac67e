import type { AnyInstance, AnyModel } from "@x/models";
import type { MailBackend } from "../mail/backends.js";
import {
  decodeUidb64,
  type PasswordResetTokenGenerator,
  type ResettableUser,
  uidb64,
} from "./password-reset.js";

type ResetUser = AnyInstance &
  ResettableUser & {
    is_active: boolean;
    email: string;
    hasUsablePassword(): boolean;
    setPassword(raw: string): Promise<void>;
  };

export interface PasswordResetOptions {
  /** The user model (AUTH_USER_MODEL). */
  userModel: AnyModel;
  tokens: PasswordResetTokenGenerator;
  mail: MailBackend;
  fromEmail: string;
  /** The link sent by mail, e.g. `(uid, token) => \`https://shop.example/reset/${uid}/${token}/\``. */
  resetUrl: (uid: string, token: string) => string;
  subject?: string;
}

export interface PasswordReset {
  /** Mails a reset link to every active user with this address and a usable password; returns how many. */
  requestReset(email: string): Promise<number>;
  /** The user a (uid, token) pair is valid for, or null. */
  userForToken(uid: string, token: string): Promise<ResetUser | null>;
  /** Sets and saves the new password (which voids the token). */
  setPassword(user: ResetUser, password: string): Promise<void>;
}

/** Django's password-reset flow (PasswordResetForm + PasswordResetConfirmView) without templates. */
export function passwordReset(options: PasswordResetOptions): PasswordReset {
  const { userModel: User, tokens } = options;
  return {
    async requestReset(email) {
      const candidates = (await User.objects.filter({
        email__iexact: email,
        is_active: true,
      })) as ResetUser[];
      const users = candidates.filter((u) => u.hasUsablePassword());
      if (users.length === 0) return 0;
      await options.mail.sendMessages(
        users.map((user) => ({
          subject: options.subject ?? "Password reset",
          body: `You're receiving this email because you requested a password reset for your user account.\n\nPlease go to the following page and choose a new password:\n\n${options.resetUrl(uidb64(user.pk), tokens.makeToken(user))}\n`,
          from: options.fromEmail,
          to: [user.email],
        })),
      );
      return users.length;
    },
    async userForToken(uid, token) {
      const decoded = decodeUidb64(uid);
      if (decoded === null || !/^\d{1,15}$/.test(decoded)) return null;
      const user = (await User.objects.filter({ pk: Number(decoded) }).first()) as ResetUser | null;
      return user && tokens.checkToken(user, token) ? user : null;
    },
    async setPassword(user, password) {
      await user.setPassword(password);
      await user.save({ updateFields: ["password"] });
    },
  };
}
