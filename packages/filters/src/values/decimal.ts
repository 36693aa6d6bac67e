import { messages } from "../messages.js";
import { convertingSchema } from "./parse.js";

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
// Django accepts any finite Decimal; a cap keeps "1e9999"-style input from building huge strings.
const MAX_DIGITS = 200;

/**
 * Canonical exact decimal text of a number as Django's DecimalField reads it ("1e3" → "1000",
 * "+012.50" → "12.50", ".5" → "0.5"), or null when it is not a finite number. Never a JS float.
 */
export function canonicalDecimal(text: string): string | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = "", intPart = "", fracPart, exp] = match;
  const frac = fracPart ?? "";
  if (intPart === "" && frac === "") return null;
  let digits = intPart + frac;
  let point = intPart.length + Number(exp ?? "0");
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  if (digits.length > MAX_DIGITS) return null;
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const fraction = digits.slice(point);
  const body = fraction ? `${whole}.${fraction}` : whole;
  const isZero = /^[0.]*$/.test(body);
  return sign === "-" && !isZero ? `-${body}` : body;
}

export const decimalValue = convertingSchema(messages.invalidNumber, (text) =>
  text === "" ? undefined : canonicalDecimal(text),
);
