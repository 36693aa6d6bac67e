import type { Validator } from "../fields/types.js";

/** What a built-in validator says about itself, for serializers and schema generators (minimum, pattern…). */
export type ValidatorMeta =
  | {
      readonly name: "MinValueValidator" | "MaxValueValidator" | "StepValueValidator";
      readonly limitValue: unknown;
    }
  | { readonly name: "MinLengthValidator" | "MaxLengthValidator"; readonly limitValue: number }
  | { readonly name: "RegexValidator"; readonly regex: RegExp; readonly inverseMatch: boolean }
  | { readonly name: "EmailValidator"; readonly allowlist: readonly string[] }
  | { readonly name: "URLValidator"; readonly schemes: readonly string[] }
  | {
      readonly name: "DecimalValidator";
      readonly maxDigits: number | null;
      readonly decimalPlaces: number | null;
    }
  | { readonly name: "FileExtensionValidator"; readonly allowedExtensions: readonly string[] | null }
  | { readonly name: "IPAddressValidator"; readonly protocol: "ipv4" | "ipv6" | "both" }
  | { readonly name: "ProhibitNullCharactersValidator" };

/**
 * A built-in validator: a plain `(value) => void` that throws ValidationError
 * (so it fits any field's `validators`), plus its error code, message template
 * and limits. A value of the wrong type is a programming error (TypeError), as in Django.
 */
export type BuiltinValidator = Validator & {
  readonly code: string;
  readonly message: string;
  readonly meta: ValidatorMeta;
};

/** Optional overrides every built-in validator accepts, as Django's `message=` / `code=`. */
export interface MessageOptions {
  message?: string;
  code?: string;
}

export function builtin(
  fn: (value: unknown) => void,
  code: string,
  message: string,
  meta: ValidatorMeta,
): BuiltinValidator {
  return Object.assign(fn, { code, message, meta });
}
