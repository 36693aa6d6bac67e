// The bodies of the auth endpoints as @x/serializers Serializers: they validate the input
// with DRF's CharField (DRF's messages, every field error together) and are what the
// OpenAPI generator documents — write-only credentials in, read-only tokens out.
// (Declared with explicit shapes rather than `Serializer.of`: a published package's
// declarations must name their types.)
import { CharField, type FieldMap, Serializer } from "@x/serializers";

type Empty = Record<string, never>;

/** simplejwt's TokenRefreshSerializer input: `{refresh}`. */
export class TokenRefreshSerializer extends Serializer<Empty, { refresh: string }> {
  static override declaredFields: FieldMap = {
    refresh: new CharField({ writeOnly: true }),
  };
}

/** simplejwt's TokenVerifySerializer: `{token}`. */
export class TokenVerifySerializer extends Serializer<Empty, { token: string }> {
  static override declaredFields: FieldMap = {
    token: new CharField({ writeOnly: true }),
  };
}

/** simplejwt's TokenBlacklistSerializer: `{refresh}`. */
export class TokenBlacklistSerializer extends Serializer<Empty, { refresh: string }> {
  static override declaredFields: FieldMap = {
    refresh: new CharField({ writeOnly: true }),
  };
}

/** Django's PasswordChangeForm as a serializer (passwords are never trimmed). */
export class PasswordChangeSerializer extends Serializer<
  Empty,
  { old_password: string; new_password1: string; new_password2: string }
> {
  static override declaredFields: FieldMap = {
    old_password: new CharField({ writeOnly: true, trimWhitespace: false }),
    new_password1: new CharField({ writeOnly: true, trimWhitespace: false }),
    new_password2: new CharField({ writeOnly: true, trimWhitespace: false }),
  };
}

/** Django's PasswordResetForm: `{email}`. */
export class PasswordResetSerializer extends Serializer<Empty, { email: string }> {
  static override declaredFields: FieldMap = {
    email: new CharField({ writeOnly: true }),
  };
}

/** Django's SetPasswordForm with the link's `uid` and `token`. */
export class PasswordResetConfirmSerializer extends Serializer<
  Empty,
  { uid: string; token: string; new_password1: string; new_password2: string }
> {
  static override declaredFields: FieldMap = {
    uid: new CharField({ writeOnly: true }),
    token: new CharField({ writeOnly: true }),
    new_password1: new CharField({ writeOnly: true, trimWhitespace: false }),
    new_password2: new CharField({ writeOnly: true, trimWhitespace: false }),
  };
}

/** Django's AuthenticationForm: `{username, password}`. */
export class LoginSerializer extends Serializer<Empty, { username: string; password: string }> {
  static override declaredFields: FieldMap = {
    username: new CharField({ writeOnly: true }),
    password: new CharField({ writeOnly: true, trimWhitespace: false }),
  };
}

/** The `{"detail": "..."}` answer of the password and session endpoints. */
export class DetailSerializer extends Serializer<{ detail: string }, Empty> {
  static override declaredFields: FieldMap = {
    detail: new CharField({ readOnly: true }),
  };
}

/** The `{}` answer of the verify and blacklist endpoints. */
export const EMPTY_OBJECT_SCHEMA = { type: "object", properties: {}, additionalProperties: false } as const;

/** simplejwt's 401 body: `{"detail": ..., "code": "token_not_valid"}` (the code is left out for bad credentials). */
export const TOKEN_ERROR_SCHEMA = {
  type: "object",
  properties: {
    detail: { type: "string" },
    code: { type: "string", examples: ["token_not_valid", "no_active_account"] },
  },
  required: ["detail"],
} as const;
