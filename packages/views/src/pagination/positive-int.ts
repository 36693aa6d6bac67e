/**
 * DRF's `_positive_int`: a non-negative integer (positive when `strict`),
 * capped at `cutoff`; anything else is null (the caller falls back to its default).
 */
export function positiveInt(
  value: string | null,
  options: { strict?: boolean; cutoff?: number | null } = {},
): number | null {
  if (value === null || !/^\s*\+?\d+\s*$/.test(value)) return null;
  const n = Number.parseInt(value.trim(), 10);
  if (!Number.isSafeInteger(n) || (n === 0 && options.strict)) return null;
  return options.cutoff == null ? n : Math.min(n, options.cutoff);
}
