import { APIView, type OperationSchema, type Request, Response, ValidationError } from "@x/views";
import { IsAuthenticated } from "../permissions/builtin.js";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";
import type { PasswordReset } from "../tokens/password-reset-flow.js";
import { PasswordValidationError, type PasswordValidator } from "../validators/password-validator.js";
import { validatePassword } from "../validators/validate-password.js";
import {
  DetailSerializer,
  PasswordChangeSerializer,
  PasswordResetConfirmSerializer,
  PasswordResetSerializer,
} from "./serializers.js";

const DETAIL: OperationSchema = { responses: { 200: DetailSerializer } };

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
  static serializerClass = PasswordChangeSerializer;
  static schema = DETAIL;
  declare validators: readonly PasswordValidator[];
  declare sessions: SessionEngine<SessionUser> | undefined;

  async post(request: Request): Promise<Response> {
    const user = request.user as unknown as ChangeableUser;
    const serializer = new PasswordChangeSerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    const data = serializer.validatedData;
    if (!(await user.checkPassword(data.old_password))) {
      throw new ValidationError({
        old_password: ["Your old password was entered incorrectly. Please enter it again."],
      });
    }
    checkNewPassword(data.new_password1, data.new_password2, user, this.getAttribute("validators") ?? []);
    await user.setPassword(data.new_password1);
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
  static serializerClass = PasswordResetSerializer;
  static schema = DETAIL;
  throttleScope = "auth";
  declare reset: PasswordReset;

  async post(request: Request): Promise<Response> {
    const serializer = new PasswordResetSerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    await this.getAttribute<PasswordReset>("reset")!.requestReset(serializer.validatedData.email);
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
  static serializerClass = PasswordResetConfirmSerializer;
  static schema = DETAIL;
  throttleScope = "auth";
  declare reset: PasswordReset;
  declare validators: readonly PasswordValidator[];

  async post(request: Request): Promise<Response> {
    const serializer = new PasswordResetConfirmSerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    const data = serializer.validatedData;
    const reset = this.getAttribute<PasswordReset>("reset")!;
    const user = await reset.userForToken(data.uid, data.token);
    if (!user) throw new ValidationError({ token: ["Invalid value"] });
    checkNewPassword(data.new_password1, data.new_password2, user, this.getAttribute("validators") ?? []);
    await reset.setPassword(user, data.new_password1);
    return new Response({ detail: "Password has been reset with the new password." });
  }
}
