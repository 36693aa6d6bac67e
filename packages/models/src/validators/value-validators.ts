import { parse } from "../decimal/parse.js";
import { type Comparable, compareValues } from "./compare-values.js";
import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

type Limit<T> = T | (() => T);

function resolve<T>(limit: Limit<T>): T {
  return typeof limit === "function" ? (limit as () => T)() : limit;
}

function limitValidator(
  name: "MinValueValidator" | "MaxValueValidator",
  limit: Limit<Comparable>,
  defaultCode: string,
  defaultMessage: string,
  fails: (order: number) => boolean,
  options: MessageOptions,
): BuiltinValidator {
  const code = options.code ?? defaultCode;
  const message = options.message ?? defaultMessage;
  return builtin(
    (value) => {
      const limitValue = resolve(limit);
      if (fails(compareValues(value, limitValue))) {
        throw invalid(message, code, { limit_value: limitValue, show_value: value, value });
      }
    },
    code,
    message,
    { name, limitValue: limit },
  );
}

/** Django's MinValueValidator: `Ensure this value is greater than or equal to %(limit_value)s.` (code `min_value`). */
export function MinValueValidator(limit: Limit<Comparable>, options: MessageOptions = {}): BuiltinValidator {
  return limitValidator(
    "MinValueValidator",
    limit,
    "min_value",
    "Ensure this value is greater than or equal to %(limit_value)s.",
    (order) => order < 0,
    options,
  );
}

/** Django's MaxValueValidator: `Ensure this value is less than or equal to %(limit_value)s.` (code `max_value`). */
export function MaxValueValidator(limit: Limit<Comparable>, options: MessageOptions = {}): BuiltinValidator {
  return limitValidator(
    "MaxValueValidator",
    limit,
    "max_value",
    "Ensure this value is less than or equal to %(limit_value)s.",
    (order) => order > 0,
    options,
  );
}

/**
 * Django's StepValueValidator: `Ensure this value is a multiple of step size %(limit_value)s.`
 * (code `step_size`), checked exactly on numbers and decimal strings.
 */
export function StepValueValidator(
  step: Limit<number | bigint | string>,
  options: MessageOptions = {},
): BuiltinValidator {
  const code = options.code ?? "step_size";
  const message = options.message ?? "Ensure this value is a multiple of step size %(limit_value)s.";
  return builtin(
    (value) => {
      const limitValue = resolve(step);
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
        throw new TypeError(`StepValueValidator expects a number or a decimal string, got ${typeof value}.`);
      }
      const v = parse(value);
      const s = parse(limitValue);
      // Exact on a common scale: value is a multiple of step when the scaled remainder is zero.
      const scale = Math.max(v.scale, s.scale);
      const vInt = v.int * 10n ** BigInt(scale - v.scale);
      const sInt = s.int * 10n ** BigInt(scale - s.scale);
      if (sInt === 0n) throw new RangeError("StepValueValidator: the step must not be zero.");
      if (vInt % sInt !== 0n) {
        throw invalid(message, code, { limit_value: limitValue, show_value: value, value });
      }
    },
    code,
    message,
    { name: "StepValueValidator", limitValue: step },
  );
}
