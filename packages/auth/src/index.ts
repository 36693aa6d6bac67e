// Password hashing

// Permissions
export { AllowAny, and, not, or } from "@x/views";
// Authentication classes
export { BasicAuthentication } from "./authentication/basic.js";
export { JWTAuthentication } from "./authentication/jwt.js";
export { SessionAuthentication } from "./authentication/session.js";
export { TokenAuthentication, type TokenModelLike } from "./authentication/token.js";
// Secrets
export { constantTimeEquals } from "./crypto/constant-time.js";
export { getRandomString, randomHex } from "./crypto/random.js";
export { saltedHmac } from "./crypto/salted-hmac.js";
export type { PasswordHasher } from "./hashers/hasher.js";
export {
  type CheckPasswordOptions,
  checkPassword,
  getPasswordHashers,
  identifyHasher,
  isPasswordUsable,
  makePassword,
  needsRehash,
  setPasswordHashers,
  UNUSABLE_PASSWORD_PREFIX,
} from "./hashers/passwords.js";
export { type Pbkdf2Options, pbkdf2Hasher } from "./hashers/pbkdf2.js";
export { type ScryptHasherOptions, scryptHasher } from "./hashers/scrypt.js";
// JWT (simplejwt)
export { type Payload, type TokenBackend, tokenBackend } from "./jwt/backend.js";
export type { JwtAlgorithm, JwtSettings, JwtSettingsInput, RefreshCookieSettings } from "./jwt/settings.js";
export {
  BlacklistedTokenError,
  JwtAuthenticationError,
  NoActiveAccount,
  PasswordChanged,
  type SimpleJwt,
  type SimpleJwtOptions,
  simpleJwt,
  type TokenPair,
} from "./jwt/simple-jwt.js";
export { memoryTokenStore, type OutstandingTokenRecord, type TokenStore } from "./jwt/store.js";
export { TokenError } from "./jwt/token-error.js";
export { AccessToken, RefreshToken, Token, type TokenType, UntypedToken } from "./jwt/tokens.js";
// Password reset and mail
export {
  consoleMailBackend,
  type EmailMessage,
  type MailBackend,
  memoryMailBackend,
  sendMail,
} from "./mail/backends.js";
// Models (on @x/models)
export { AbstractUser, UnicodeUsernameValidator } from "./models/abstract-user.js";
export { type AuthModels, authModels } from "./models/auth-models.js";
export { createPermissions, DEFAULT_PERMISSIONS } from "./models/create-permissions.js";
export { defaultUserModel } from "./models/default-user.js";
export {
  assignPerm,
  type GetObjectsForUserOptions,
  getObjectsForUser,
  removePerm,
} from "./models/object-permissions.js";
export { ObjectPermissionsFilter } from "./models/object-permissions-filter.js";
export { Group, Permission } from "./models/permission.js";
export { modelSessionStore } from "./models/session-store.js";
export { modelTokenStore } from "./models/token-store.js";
export {
  type AbstractUserInstance,
  type AuthBackend,
  modelBackend,
  normalizeEmail,
  type UserService,
  userService,
} from "./models/user-service.js";
export { BasePermission, isSafeMethod, SAFE_METHODS } from "./permissions/base.js";
export { IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly } from "./permissions/builtin.js";
export {
  DjangoModelPermissions,
  DjangoModelPermissionsOrAnonReadOnly,
  DjangoObjectPermissions,
} from "./permissions/model-permissions.js";
export { type PermissionUser, userHasPerms } from "./permissions/permission-user.js";
// Sessions and CSRF
export { type CookieOptions, type HasHeaders, serializeCookie } from "./sessions/cookies.js";
export { type CsrfOptions, enforceCsrf, maskCsrfSecret, newCsrfSecret } from "./sessions/csrf.js";
export {
  type SessionEngine,
  type SessionEngineOptions,
  type SessionUser,
  sessionEngine,
} from "./sessions/engine.js";
export { cacheSessionStore, type SessionData, type SessionStore } from "./sessions/store.js";
export {
  decodeUidb64,
  PasswordResetTokenGenerator,
  type PasswordResetTokenOptions,
  type ResettableUser,
  uidb64,
} from "./tokens/password-reset.js";
export {
  type PasswordReset,
  type PasswordResetOptions,
  passwordReset,
} from "./tokens/password-reset-flow.js";
// Users
export type { AuthUser, UserSource } from "./users/user-source.js";
// Password validators
export { CommonPasswordValidator } from "./validators/common.js";
export { MinimumLengthValidator } from "./validators/minimum-length.js";
export { NumericPasswordValidator } from "./validators/numeric.js";
export {
  type PasswordProblem,
  PasswordValidationError,
  type PasswordValidator,
  type UserAttributes,
} from "./validators/password-validator.js";
export { UserAttributeSimilarityValidator } from "./validators/similarity.js";
export { passwordValidatorsHelpTexts, validatePassword } from "./validators/validate-password.js";
export { LoginView, LogoutView, safeNext } from "./views/browser-login.js";
// Views
export {
  TokenBlacklistView,
  TokenObtainPairSerializer,
  TokenObtainPairView,
  TokenRefreshView,
  TokenVerifyView,
  TokenViewBase,
} from "./views/jwt-views.js";
export {
  AuthTokenSerializer,
  ObtainAuthToken,
  type TokenModelManager,
} from "./views/obtain-auth-token.js";
export {
  PasswordChangeView,
  PasswordResetConfirmView,
  PasswordResetView,
} from "./views/password-views.js";
export {
  DetailSerializer,
  EMPTY_OBJECT_SCHEMA,
  LoginSerializer,
  PasswordChangeSerializer,
  PasswordResetConfirmSerializer,
  PasswordResetSerializer,
  TOKEN_ERROR_SCHEMA,
  TokenBlacklistSerializer,
  TokenRefreshSerializer,
  TokenVerifySerializer,
} from "./views/serializers.js";
export { SessionLoginView, SessionLogoutView } from "./views/session-views.js";
