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
