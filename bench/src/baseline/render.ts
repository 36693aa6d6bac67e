// Wire formatting the baseline does by hand, byte for byte what DRF writes:
// decimals with two places, datetimes as Python's isoformat with `Z`,
// the mean rating rounded half-to-even, page links with sorted query parameters.

/** SQLite stores a DecimalField(decimal_places=2) as an integer count of cents. */
export function centsToDecimal(cents: number | bigint): string {
  const n = BigInt(cents);
  const sign = n < 0n ? "-" : "";
  const abs = n < 0n ? -n : n;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** A decimal query value (`"12.5"`), or undefined when it is not a number (django-filter's "Enter a number."). */
export function parseDecimal(text: string): { sign: 1n | -1n; digits: string; frac: string } | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  return { sign: m[1] === "-" ? -1n : 1n, digits: m[2] || "0", frac: m[3] ?? "" };
}

/** A decimal bound in whole cents, rounded towards the inside of the range (`ceil` for >=, `floor` for <=). */
export function boundInCents(text: string, round: "ceil" | "floor"): bigint | undefined {
  const d = parseDecimal(text);
  if (!d) return undefined;
  const cents = BigInt(d.digits) * 100n + BigInt(d.frac.slice(0, 2).padEnd(2, "0"));
  const rest = /[1-9]/.test(d.frac.slice(2));
  const signed = d.sign * cents;
  if (!rest) return signed;
  // Dropped digits: the value lies between signed and signed ± 1 cent.
  if (d.sign > 0n) return round === "ceil" ? signed + 1n : signed;
  return round === "ceil" ? signed : signed - 1n;
}

/** `2026-01-08T00:10:00Z`, with `.ffffff` when there are fractional seconds. */
export function isoDateTime(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${String(ms).padStart(3, "0")}000Z`;
}

/** sum / count rounded half-to-even to 2 places, as a JSON number (null without ratings). */
export function averageRating(sum: number, count: number): number | null {
  if (count === 0) return null;
  const scaled = BigInt(sum) * 100n;
  const n = BigInt(count);
  let q = scaled / n;
  const twice = (scaled % n) * 2n;
  if (twice > n || (twice === n && q % 2n === 1n)) q += 1n;
  return Number(q) / 100;
}

/** DRF's replace_query_param / remove_query_param: parameters sorted by name. */
export function pageLink(url: URL, page: number | null): string {
  const params = new URLSearchParams(url.search);
  if (page === null) params.delete("page");
  else params.set("page", String(page));
  params.sort();
  const query = params.toString();
  return `${url.origin}${url.pathname}${query ? `?${query}` : ""}`;
}

/** DRF search terms: split on whitespace and commas, NUL characters removed. */
export function searchTerms(value: string): string[] {
  return [
    ...new Set(
      value
        .replace(/\0/g, "")
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
}
