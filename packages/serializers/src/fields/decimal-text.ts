// Decimal text as DRF sees it (Python's Decimal.as_tuple()): digits and exponent, never a float.

export interface DecimalTuple {
  negative: boolean;
  /** significant digits without leading zeros ("0" for zero) */
  digits: string;
  exponent: number;
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parse decimal text ("12.50", "-.5", "1e3"); null when it is not a finite decimal. */
export function parseDecimal(text: string): DecimalTuple | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const intPart = m[2] ?? "";
  const fracPart = m[3] ?? "";
  if (intPart === "" && fracPart === "") return null;
  const exp = Number(m[4] ?? "0") - fracPart.length;
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, "");
  return { negative: m[1] === "-", digits: digits === "" ? "0" : digits, exponent: exp };
}

/** DRF's digit accounting: [total digits, whole digits, decimal places]. */
export function digitCounts(d: DecimalTuple): [number, number, number] {
  // Python keeps zero's exponent: Decimal("0.00") has 1 digit, exponent -2
  const len = d.digits.length;
  if (d.exponent >= 0) {
    const total = d.digits === "0" ? 1 : len + d.exponent;
    return [total, total, 0];
  }
  const places = -d.exponent;
  if (len > places) return [len, len - places, places];
  return [places, 0, places];
}

/** The value scaled to `places` decimal places as a BigInt, rounding half-even (Python's default). */
export function toScaled(d: DecimalTuple, places: number): bigint {
  const shift = d.exponent + places;
  let n: bigint;
  if (shift >= 0) n = BigInt(d.digits) * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    const whole = BigInt(d.digits);
    n = whole / div;
    const rem = whole % div;
    const twice = rem * 2n;
    if (twice > div || (twice === div && n % 2n === 1n)) n += 1n;
  }
  return d.negative ? -n : n;
}

/** A scaled BigInt back to canonical text with `places` places ("12.50"). */
export function formatScaled(n: bigint, places: number): string {
  const neg = n < 0n;
  const s = (neg ? -n : n).toString().padStart(places + 1, "0");
  const body = places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
  return neg && n !== 0n ? `-${body}` : body;
}

/** Compare two decimal tuples exactly. */
export function compareDecimal(a: DecimalTuple, b: DecimalTuple): -1 | 0 | 1 {
  const places = Math.max(0, -a.exponent, -b.exponent);
  const x = toScaled(a, places);
  const y = toScaled(b, places);
  return x < y ? -1 : x > y ? 1 : 0;
}
