// Password hashing

// Secrets
export { constantTimeEquals } from "./crypto/constant-time.js";
export { getRandomString, randomHex } from "./crypto/random.js";
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
  type SimpleJwt,
  type SimpleJwtOptions,
  simpleJwt,
  type TokenPair,
} from "./jwt/simple-jwt.js";
export { memoryTokenStore, type OutstandingTokenRecord, type TokenStore } from "./jwt/store.js";
export { TokenError } from "./jwt/token-error.js";
export { AccessToken, RefreshToken, Token, type TokenType, UntypedToken } from "./jwt/tokens.js";
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
