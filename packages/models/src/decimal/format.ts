import { type DecimalValue, pow10 } from "./value.js";

/** Renders a value in plain notation with exactly its scale's places (no exponent, no "-0"). */
export function format(value: DecimalValue): string {
  if (value.scale <= 0) {
    const int = value.int * pow10(-value.scale);
    return int === 0n ? "0" : int.toString();
  }
  const negative = value.int < 0n;
  const digits = (negative ? -value.int : value.int).toString().padStart(value.scale + 1, "0");
  const cut = digits.length - value.scale;
  const text = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative && value.int !== 0n ? `-${text}` : text;
}
