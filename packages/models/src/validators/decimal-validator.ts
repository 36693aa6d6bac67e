import { countDigits } from "../decimal/digits.js";
import { tryParse } from "../decimal/parse.js";
import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin } from "./types.js";

const MESSAGES = {
  invalid: "Enter a number.",
  max_digits: [
    "Ensure that there are no more than %(max)s digit in total.",
    "Ensure that there are no more than %(max)s digits in total.",
  ],
  max_decimal_places: [
    "Ensure that there are no more than %(max)s decimal place.",
    "Ensure that there are no more than %(max)s decimal places.",
  ],
  max_whole_digits: [
    "Ensure that there are no more than %(max)s digit before the decimal point.",
    "Ensure that there are no more than %(max)s digits before the decimal point.",
  ],
} as const;

function pick(forms: readonly [string, string], n: number): string {
  return n === 1 ? forms[0] : forms[1];
}

/**
 * Django's DecimalValidator(max_digits, decimal_places) with its messages and
 * codes (`max_digits`, `max_decimal_places`, `max_whole_digits`, `invalid`),
 * counting digits exactly as Django does (`"0.05"` has 2 digits).
 */
export function DecimalValidator(maxDigits: number | null, decimalPlaces: number | null): BuiltinValidator {
  return builtin(
    (value) => {
      if (
        (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") ||
        tryParse(value) === null
      ) {
        throw invalid(MESSAGES.invalid, "invalid", { value });
      }
      const { digits, decimalPlaces: places, wholeDigits } = countDigits(value);
      if (maxDigits !== null && digits > maxDigits) {
        throw invalid(pick(MESSAGES.max_digits, maxDigits), "max_digits", { max: maxDigits, value });
      }
      if (decimalPlaces !== null && places > decimalPlaces) {
        throw invalid(pick(MESSAGES.max_decimal_places, decimalPlaces), "max_decimal_places", {
          max: decimalPlaces,
          value,
        });
      }
      if (maxDigits !== null && decimalPlaces !== null && wholeDigits > maxDigits - decimalPlaces) {
        const max = maxDigits - decimalPlaces;
        throw invalid(pick(MESSAGES.max_whole_digits, max), "max_whole_digits", { max, value });
      }
    },
    "invalid",
    MESSAGES.invalid,
    { name: "DecimalValidator", maxDigits, decimalPlaces },
  );
}
