import { PasswordValidationError, type PasswordValidator } from "./password-validator.js";

/** Django's NumericPasswordValidator. */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): void {
    // Django uses str.isdigit(): any Unicode decimal digit counts.
    if (password.length > 0 && /^\p{Nd}+$/u.test(password)) {
      throw new PasswordValidationError([
        { message: "This password is entirely numeric.", code: "password_entirely_numeric" },
      ]);
    }
  }
  helpText(): string {
    return "Your password can’t be entirely numeric.";
  }
}
