/**
 * The internal form of a decimal: `int / 10**scale`. `scale` may be negative
 * (`"1E+2"` is `{ int: 1n, scale: -2 }`) so digit counting can mirror Python's
 * `Decimal.as_tuple()` exactly. Never exported as a public type: the public
 * API speaks canonical strings.
 */
export interface DecimalValue {
  readonly int: bigint;
  readonly scale: number;
}

/** Anything the helpers accept as a decimal operand. */
export type DecimalInput = string | bigint | number;

/** A decimal string such as `"12.50"`. Plain `string` so values flow without casts. */
export type DecimalString = string;

/** Thrown for input that is not a finite decimal, or for division by zero. */
export class DecimalError extends Error {
  readonly code: "invalid" | "division_by_zero";
  constructor(message: string, code: "invalid" | "division_by_zero" = "invalid") {
    super(message);
    this.name = "DecimalError";
    this.code = code;
  }
}

// 10n ** 0n … 10n ** 63n: the powers decimal places need, computed once
const POW10: readonly bigint[] = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** Brings two values to a common (the larger) scale. */
export function align(a: DecimalValue, b: DecimalValue): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.int * pow10(scale - a.scale), b.int * pow10(scale - b.scale), scale];
}
