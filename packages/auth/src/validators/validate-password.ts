import {
  type PasswordProblem,
  PasswordValidationError,
  type PasswordValidator,
  type UserAttributes,
} from "./password-validator.js";

/** Django's validate_password: runs every validator and reports all problems together. */
export function validatePassword(
  password: string,
  user: UserAttributes | undefined,
  validators: readonly PasswordValidator[],
): void {
  const problems: PasswordProblem[] = [];
  for (const validator of validators) {
    try {
      validator.validate(password, user);
    } catch (e) {
      if (e instanceof PasswordValidationError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new PasswordValidationError(problems);
}

/** Django's password_validators_help_texts. */
export function passwordValidatorsHelpTexts(validators: readonly PasswordValidator[]): string[] {
  return validators.map((v) => v.helpText());
}
