// Exact decimal <-> scaled-integer conversion (SQLite stores decimals as integers scaled by 10^places).
import { ValidationError } from "../errors.js";

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string (or integer number) into a scaled BigInt with `places` places, rounding half away from zero. */
export function toScaled(value: string | number | bigint, places: number): bigint {
  if (typeof value === "bigint") return value * 10n ** BigInt(places);
  const text = typeof value === "number" ? numberText(value) : value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
    throw new ValidationError(`"${String(value)}" value must be a decimal number.`, { code: "invalid" });
  }
  const sign = m[1] === "-" ? -1n : 1n;
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let scale = (m[3] ?? "").length - Number(m[4] ?? 0);
  if (digits === "") digits = "0";
  let n = BigInt(digits);
  if (scale < places) {
    n *= 10n ** BigInt(places - scale);
    scale = places;
  } else if (scale > places) {
    const div = 10n ** BigInt(scale - places);
    const q = n / div;
    const r = n % div;
    n = r * 2n >= div ? q + 1n : q;
  }
  return sign * n;
}

function numberText(n: number): string {
  if (!Number.isFinite(n))
    throw new ValidationError(`"${n}" value must be a decimal number.`, { code: "invalid" });
  return String(n);
}

/** Formats a scaled BigInt with `places` places: 61658n, 2 → "616.58". */
export function fromScaled(n: bigint | number, places: number): string {
  let v = typeof n === "number" ? BigInt(Math.round(n)) : n;
  const neg = v < 0n;
  if (neg) v = -v;
  let s = v.toString();
  if (places > 0) {
    s = s.padStart(places + 1, "0");
    s = `${s.slice(0, -places)}.${s.slice(-places)}`;
  }
  return neg ? `-${s}` : s;
}

/** Canonical string with `places` places for any decimal input: "12.5" → "12.50". */
export function quantize(value: string | number | bigint, places: number): string {
  return fromScaled(toScaled(value, places), places);
}

/** Digits before/after the point of a canonical decimal string, for max_digits validation. */
export function digitCounts(value: string): { whole: number; decimals: number } {
  const v = value.replace(/^[+-]/, "");
  const [w = "", d = ""] = v.split(".");
  const whole = w.replace(/^0+/, "").length;
  return { whole, decimals: d.length };
}
