import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

/** A string (measured in code points, as Python's `len()`) or anything with a length (arrays). */
export type Sized = string | { readonly length: number };

function sizeOf(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (typeof value === "object" && value !== null && "length" in value && typeof value.length === "number") {
    return value.length;
  }
  throw new TypeError(`Length validators expect a string or an array, got ${typeof value}.`);
}

function plural(limit: number, one: string, many: string): string {
  return limit === 1 ? one : many;
}

function lengthValidator(
  name: "MinLengthValidator" | "MaxLengthValidator",
  limit: number,
  defaultCode: string,
  defaultMessage: string,
  fails: (size: number) => boolean,
  options: MessageOptions,
): BuiltinValidator {
  const code = options.code ?? defaultCode;
  const message = options.message ?? defaultMessage;
  return builtin(
    (value) => {
      const size = sizeOf(value);
      if (fails(size)) {
        throw invalid(message, code, { limit_value: limit, show_value: size, value });
      }
    },
    code,
    message,
    { name, limitValue: limit },
  );
}

/** Django's MinLengthValidator: `Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).` */
export function MinLengthValidator(limit: number, options: MessageOptions = {}): BuiltinValidator {
  return lengthValidator(
    "MinLengthValidator",
    limit,
    "min_length",
    plural(
      limit,
      "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
      "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    (size) => size < limit,
    options,
  );
}

/** Django's MaxLengthValidator: `Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).` */
export function MaxLengthValidator(limit: number, options: MessageOptions = {}): BuiltinValidator {
  return lengthValidator(
    "MaxLengthValidator",
    limit,
    "max_length",
    plural(
      limit,
      "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
      "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    (size) => size > limit,
    options,
  );
}
