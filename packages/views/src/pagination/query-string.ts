// DRF's replace_query_param / remove_query_param: the other parameters are
// kept, sorted by name, and encoded as Python's urlencode does (quote_plus),
// so links are byte-identical to a DRF service's.

/** Python's `quote_plus`: only letters, digits and `_.-~` stay as they are. */
const QUOTE_SAFE = /^[A-Za-z0-9_.~-]*$/;
function quotePlus(s: string): string {
  if (QUOTE_SAFE.test(s)) return s;
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function rebuild(url: URL, params: Map<string, string[]>): string {
  const keys = [...params.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const query = keys
    .flatMap((k) => (params.get(k) ?? []).map((v) => `${quotePlus(k)}=${quotePlus(v)}`))
    .join("&");
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ""}${url.hash}`;
}

function grouped(url: URL): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) params.set(k, [...(params.get(k) ?? []), v]);
  return params;
}

// A page builds its next and previous links from the same URL: parse it once.
let last: { url: string; parsed: URL; params: ReadonlyMap<string, string[]> } | null = null;
function parse(url: string): { parsed: URL; params: Map<string, string[]> } {
  if (last?.url !== url) {
    const parsed = new URL(url);
    last = { url, parsed, params: grouped(parsed) };
  }
  // A copy: the caller sets or deletes one key.
  return { parsed: last.parsed, params: new Map(last.params) };
}

/** `url` with `key` set to `value` (replacing every previous value). */
export function replaceQueryParam(url: string, key: string, value: string | number): string {
  const { parsed, params } = parse(url);
  params.set(key, [String(value)]);
  return rebuild(parsed, params);
}

/** `url` without `key`. */
export function removeQueryParam(url: string, key: string): string {
  const { parsed, params } = parse(url);
  params.delete(key);
  return rebuild(parsed, params);
}
