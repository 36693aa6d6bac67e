import { APIView, type Request, Response, ValidationError } from "@x/views";
import { IsAuthenticated } from "../permissions/builtin.js";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";
import type { PasswordReset } from "../tokens/password-reset-flow.js";
import { PasswordValidationError, type PasswordValidator } from "../validators/password-validator.js";
import { validatePassword } from "../validators/validate-password.js";
import { readCharFields } from "./fields.js";

interface ChangeableUser extends SessionUser {
  checkPassword(raw: string): Promise<boolean>;
  setPassword(raw: string): Promise<void>;
  save(options?: { updateFields?: string[] }): Promise<unknown>;
}

function checkNewPassword(
  password: string,
  confirmation: string,
  user: object,
  validators: readonly PasswordValidator[],
): void {
  if (password !== confirmation) {
    throw new ValidationError({ new_password2: ["The two password fields didn’t match."] });
  }
  try {
    validatePassword(password, user as Record<string, unknown>, validators);
  } catch (e) {
    if (e instanceof PasswordValidationError) throw new ValidationError({ new_password2: e.messages });
    throw e;
  }
}

/**
 * Django's PasswordChangeView as an API endpoint:
 * `{old_password, new_password1, new_password2}` → 200 `{"detail": "New password has been saved."}`.
 * Options: `validators` (Django's AUTH_PASSWORD_VALIDATORS), `sessions` (keeps the current session alive).
 */
export class PasswordChangeView extends APIView {
  static override permissionClasses = [IsAuthenticated];
  declare validators: readonly PasswordValidator[];
  declare sessions: SessionEngine<SessionUser> | undefined;

  async post(request: Request): Promise<Response> {
    const user = request.user as unknown as ChangeableUser;
    const data = readCharFields(await request.data, {
      old_password: { trim: false },
      new_password1: { trim: false },
      new_password2: { trim: false },
    });
    if (!(await user.checkPassword(data.old_password!))) {
      throw new ValidationError({
        old_password: ["Your old password was entered incorrectly. Please enter it again."],
      });
    }
    checkNewPassword(data.new_password1!, data.new_password2!, user, this.getAttribute("validators") ?? []);
    await user.setPassword(data.new_password1!);
    await user.save({ updateFields: ["password"] });
    await this.getAttribute<SessionEngine<SessionUser>>("sessions")?.updateSessionAuthHash(request, user);
    return new Response({ detail: "New password has been saved." });
  }
}

/**
 * Django's PasswordResetView as an API endpoint: `{email}` → 200 always (no
 * account enumeration); active users with that address get a reset link by mail.
 * `PasswordResetView.asView({ reset })` with `reset = passwordReset({...})`. Throttle scope `auth`.
 */
export class PasswordResetView extends APIView {
  static override authenticationClasses = [];
  static override permissionClasses = [];
  throttleScope = "auth";
  declare reset: PasswordReset;

  async post(request: Request): Promise<Response> {
    const { email } = readCharFields(await request.data, { email: {} });
    await this.getAttribute<PasswordReset>("reset")!.requestReset(email!);
    return new Response({ detail: "Password reset e-mail has been sent." });
  }
}

/**
 * Django's PasswordResetConfirmView as an API endpoint:
 * `{uid, token, new_password1, new_password2}` → 200; a used, expired or
 * forged link → 400 `{"token": ["Invalid value"]}`.
 */
export class PasswordResetConfirmView extends APIView {
  static override authenticationClasses = [];
  static override permissionClasses = [];
  throttleScope = "auth";
  declare reset: PasswordReset;
  declare validators: readonly PasswordValidator[];

  async post(request: Request): Promise<Response> {
    const data = readCharFields(await request.data, {
      uid: {},
      token: {},
      new_password1: { trim: false },
      new_password2: { trim: false },
    });
    const reset = this.getAttribute<PasswordReset>("reset")!;
    const user = await reset.userForToken(data.uid!, data.token!);
    if (!user) throw new ValidationError({ token: ["Invalid value"] });
    checkNewPassword(data.new_password1!, data.new_password2!, user, this.getAttribute("validators") ?? []);
    await reset.setPassword(user, data.new_password1!);
    return new Response({ detail: "Password has been reset with the new password." });
  }
}
