import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

export interface RegexValidatorOptions extends MessageOptions {
  /** Fail when the pattern DOES match (Django's `inverse_match`). */
  inverseMatch?: boolean;
  /** Flags when `regex` is given as a string. */
  flags?: string;
}

/**
 * Django's RegexValidator: searches `String(value)` for the pattern (default
 * message `Enter a valid value.`, code `invalid`). Patterns are JavaScript RegExp.
 */
export function RegexValidator(
  regex: string | RegExp,
  options: RegexValidatorOptions = {},
): BuiltinValidator {
  // A global/sticky flag would make test() stateful across calls.
  const source = typeof regex === "string" ? regex : regex.source;
  const flags = (typeof regex === "string" ? (options.flags ?? "") : regex.flags).replace(/[gy]/g, "");
  const pattern = new RegExp(source, flags);
  const inverseMatch = options.inverseMatch ?? false;
  const code = options.code ?? "invalid";
  const message = options.message ?? "Enter a valid value.";
  return builtin(
    (value) => {
      const matches = pattern.test(String(value));
      if (inverseMatch ? matches : !matches) throw invalid(message, code, { value });
    },
    code,
    message,
    { name: "RegexValidator", regex: pattern, inverseMatch },
  );
}

/** Django's validate_slug: letters, numbers, underscores or hyphens (ASCII). */
export const validate_slug = RegexValidator(/^[-a-zA-Z0-9_]+$/, {
  message: "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
  code: "invalid",
});

/** Django's validate_unicode_slug: Unicode letters, numbers, underscores, or hyphens. */
export const validate_unicode_slug = RegexValidator(/^[-\p{L}\p{M}\p{N}_]+$/u, {
  message: "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
  code: "invalid",
});

/** Django's validate_comma_separated_integer_list (`1,2,3`). */
export const validate_comma_separated_integer_list = RegexValidator(/^\d+(?:,\d+)*$/, {
  message: "Enter only digits separated by commas.",
  code: "invalid",
});

/** Django's ProhibitNullCharactersValidator: `Null characters are not allowed.` */
export function ProhibitNullCharactersValidator(options: MessageOptions = {}): BuiltinValidator {
  const code = options.code ?? "null_characters_not_allowed";
  const message = options.message ?? "Null characters are not allowed.";
  return builtin(
    (value) => {
      if (String(value).includes("\0")) throw invalid(message, code, { value });
    },
    code,
    message,
    { name: "ProhibitNullCharactersValidator" },
  );
}
