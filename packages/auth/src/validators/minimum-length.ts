import { PasswordValidationError, type PasswordValidator } from "./password-validator.js";

/** Django's MinimumLengthValidator (default 8). */
export class MinimumLengthValidator implements PasswordValidator {
  readonly minLength: number;
  constructor(options: { minLength?: number } = {}) {
    this.minLength = options.minLength ?? 8;
  }
  private plural(): string {
    return this.minLength === 1 ? "character" : "characters";
  }
  validate(password: string): void {
    if ([...password].length < this.minLength) {
      throw new PasswordValidationError([
        {
          message: `This password is too short. It must contain at least ${this.minLength} ${this.plural()}.`,
          code: "password_too_short",
        },
      ]);
    }
  }
  helpText(): string {
    return `Your password must contain at least ${this.minLength} ${this.plural()}.`;
  }
}
