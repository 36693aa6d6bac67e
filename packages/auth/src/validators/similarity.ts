import {
  PasswordValidationError,
  type PasswordValidator,
  type UserAttributes,
} from "./password-validator.js";

const DEFAULT_ATTRIBUTES = ["username", "first_name", "last_name", "email"] as const;
const VERBOSE_NAMES: Record<string, string> = {
  username: "username",
  first_name: "first name",
  last_name: "last name",
  email: "email address",
};

/** Python's SequenceMatcher.quick_ratio: shared characters (as multisets) over total length. */
function quickRatio(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) {
      matches++;
      counts.set(ch, left - 1);
    }
  }
  const total = a.length + b.length;
  return total === 0 ? 1 : (2 * matches) / total;
}

/** Django's exceeds_maximum_length_ratio: a short attribute cannot make a long password "similar". */
function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const pwdLen = password.length;
  const lengthBoundSimilarity = (maxSimilarity / 2) * pwdLen;
  return pwdLen >= 10 * value.length && value.length < lengthBoundSimilarity;
}

/** Django's UserAttributeSimilarityValidator. */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  readonly userAttributes: readonly string[];
  readonly maxSimilarity: number;
  constructor(options: { userAttributes?: readonly string[]; maxSimilarity?: number } = {}) {
    this.userAttributes = options.userAttributes ?? DEFAULT_ATTRIBUTES;
    this.maxSimilarity = options.maxSimilarity ?? 0.7;
    if (this.maxSimilarity < 0.1) throw new Error("maxSimilarity must be at least 0.1");
  }
  validate(password: string, user?: UserAttributes): void {
    if (!user) return;
    const lowered = password.toLowerCase();
    for (const attribute of this.userAttributes) {
      const value = user[attribute];
      if (typeof value !== "string" || value === "") continue;
      const valueLower = value.toLowerCase();
      const parts = [...valueLower.split(/\W+/u), valueLower];
      for (const part of parts) {
        if (exceedsMaximumLengthRatio(lowered, this.maxSimilarity, part)) continue;
        if (quickRatio(lowered, part) >= this.maxSimilarity) {
          const name = VERBOSE_NAMES[attribute] ?? attribute.replaceAll("_", " ");
          throw new PasswordValidationError([
            { message: `The password is too similar to the ${name}.`, code: "password_too_similar" },
          ]);
        }
      }
    }
  }
  helpText(): string {
    return "Your personal information can’t be too similar to your other personal information.";
  }
}
