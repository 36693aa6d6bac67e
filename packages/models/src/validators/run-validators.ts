import { ValidationError, type ValidationMessage } from "../errors.js";
import type { Validator } from "../fields/types.js";
import { interpolate } from "./interpolate.js";

/**
 * Runs every validator on a value and throws one ValidationError listing all
 * their errors (Django's `Field.run_validators`); a validator may be async.
 * Other exceptions propagate. `messages` overrides messages by error code
 * (a field's `error_messages`), with the error's params applied.
 */
export async function runValidators(
  value: unknown,
  validators: readonly Validator[],
  messages: Readonly<Record<string, string>> = {},
): Promise<void> {
  const errors: ValidationMessage[] = [];
  for (const validate of validators) {
    try {
      // A custom validator may return a promise although the type says void.
      await (validate(value) as unknown);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const single of error.errorList) {
        const override = single.code !== undefined ? messages[single.code] : undefined;
        errors.push(override ? { ...single, message: interpolate(override, single.params) } : single);
      }
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
}
