import { DecimalError, type DecimalInput, type DecimalValue } from "./value.js";

// Python's Decimal() literal grammar minus NaN/Infinity: sign, digits with an
// optional point, optional exponent. Surrounding whitespace is allowed (DRF strips it).
const DECIMAL_RE = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** Parses without throwing: `null` for anything that is not a finite decimal. */
export function tryParse(input: DecimalInput): DecimalValue | null {
  if (typeof input === "bigint") return { int: input, scale: 0 };
  if (typeof input === "number") {
    // A JS number is converted through its shortest round-trip text, as DRF does with str(float).
    if (!Number.isFinite(input)) return null;
    return tryParse(String(input));
  }
  if (typeof input !== "string") return null;
  const simple = plainDecimal(input);
  if (simple !== undefined) return simple;
  const match = DECIMAL_RE.exec(input.trim());
  if (!match) return null;
  const [, sign, whole, frac1, frac2, exp] = match;
  const frac = frac1 ?? frac2 ?? "";
  const digits = `${whole ?? ""}${frac}` || "0";
  const exponent = exp === undefined ? 0 : Number(exp);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) return null;
  const magnitude = BigInt(digits);
  return { int: sign === "-" ? -magnitude : magnitude, scale: frac.length - exponent };
}

/** Parses a decimal operand, throwing `DecimalError` with the offending value in the message. */
export function parse(input: DecimalInput): DecimalValue {
  const value = tryParse(input);
  if (value === null) throw new DecimalError(`Invalid decimal value: ${JSON.stringify(String(input))}.`);
  return value;
}

/** True when the input is a finite decimal (`"12.50"`, `"-3"`, `"1e3"`, `12.5`). */
export function isDecimal(input: unknown): boolean {
  if (typeof input !== "string" && typeof input !== "number" && typeof input !== "bigint") return false;
  return tryParse(input) !== null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The common case without the regular expression: `-?\d+(\.\d+)?` (what the database, JSON numbers
 * and serializers give). undefined for anything else (whitespace, `+`, exponents, `.5`, `5.`),
 * which the full grammar then reads.
 */
function plainDecimal(input: string): DecimalValue | undefined {
  const n = input.length;
  const start = input.charCodeAt(0) === 45 ? 1 : 0;
  let i = start;
  while (i < n && isDigit(input.charCodeAt(i))) i++;
  if (i === start) return undefined;
  if (i === n) return { int: BigInt(input), scale: 0 };
  if (input.charCodeAt(i) !== 46) return undefined;
  const dot = i++;
  while (i < n && isDigit(input.charCodeAt(i))) i++;
  if (i !== n || i === dot + 1) return undefined;
  return { int: BigInt(input.slice(0, dot) + input.slice(dot + 1)), scale: n - dot - 1 };
}
