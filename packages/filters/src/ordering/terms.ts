/** `?ordering=-price, name` → ["-price", "name"] (DRF: comma-separated, stripped, empties dropped). */
export function orderingTerms(value: string): string[] {
  return value
    .split(",")
    .map((term) => term.trim())
    .filter((term) => term !== "");
}

/** DRF's remove_invalid_fields: keeps the terms whose field (without `-`) is in the allowlist. */
export function validOrdering(terms: readonly string[], allowed: ReadonlySet<string>): string[] {
  return terms.filter((term) => allowed.has(term.startsWith("-") ? term.slice(1) : term));
}
