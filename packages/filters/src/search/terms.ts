/** DRF 3.14's search terms: NUL removed, commas are separators, split on whitespace. */
export function searchTerms(value: string): string[] {
  return value
    .replaceAll("\u0000", "")
    .replaceAll(",", " ")
    .split(/\s+/)
    .filter((term) => term !== "");
}

// Django's smart_split: whitespace-separated tokens, where a token may contain quoted parts.
const SMART_TOKEN = /(?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+/g;

/** Python's unescape_string_literal: strips the quotes and backslash escapes. */
function unquote(term: string): string {
  return term.slice(1, -1).replace(/\\(.)/g, "$1");
}

/** DRF 3.15's search_smart_split: quoted phrases stay one term; other tokens split on commas. */
export function searchTermsWithPhrases(value: string): string[] {
  const terms: string[] = [];
  for (const token of value.replaceAll("\u0000", "").match(SMART_TOKEN) ?? []) {
    const term = token.replace(/^,+|,+$/g, "");
    if (term.length >= 2 && (term[0] === '"' || term[0] === "'") && term[0] === term.at(-1)) {
      const phrase = unquote(term);
      if (phrase !== "") terms.push(phrase);
    } else {
      for (const part of term.split(",")) if (part.trim() !== "") terms.push(part.trim());
    }
  }
  return terms;
}

/** DRF's lookup prefixes on a search field. */
export const SEARCH_PREFIXES: Readonly<Record<string, string>> = {
  "^": "istartswith",
  "=": "iexact",
  "@": "search",
  $: "iregex",
};

/** `^name` → `["name", "istartswith"]`; a field may also spell the lookup out (`name__iexact`). */
export function searchLookup(searchField: string): { path: string; lookup: string } {
  const prefix = searchField[0] ?? "";
  const lookup = SEARCH_PREFIXES[prefix];
  if (lookup) return { path: searchField.slice(1), lookup };
  return { path: searchField, lookup: "icontains" };
}
