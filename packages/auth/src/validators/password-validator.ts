/** Django's password validator protocol (AUTH_PASSWORD_VALIDATORS entries). */
export interface PasswordValidator {
  /** Throws PasswordValidationError when `password` is not acceptable. */
  validate(password: string, user?: UserAttributes): void;
  helpText(): string;
}

/** The user attributes a validator may compare the password with. */
export type UserAttributes = Readonly<Record<string, unknown>>;

export interface PasswordProblem {
  message: string;
  code: string;
}

/** Django's ValidationError for passwords: every problem found, in validator order. */
export class PasswordValidationError extends Error {
  readonly problems: readonly PasswordProblem[];
  constructor(problems: readonly PasswordProblem[]) {
    super(problems.map((p) => p.message).join(" "));
    this.name = "PasswordValidationError";
    this.problems = problems;
  }
  get messages(): string[] {
    return this.problems.map((p) => p.message);
  }
}
