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

/** A link's URL taken apart once: what goes before and after the query, and its parameters by key. */
interface ParsedLink {
  /** `scheme://host/path`. */
  readonly base: string;
  readonly hash: string;
  /** Each key once, sorted as DRF sorts them (`sorted(query_dict.items())`). */
  readonly keys: readonly string[];
  /** Each key's `key=value` pairs, quoted and joined with `&`, in their order in the URL. */
  readonly pairs: ReadonlyMap<string, string>;
}

function parseLink(url: string): ParsedLink {
  const parsed = new URL(url);
  const values = new Map<string, string[]>();
  for (const [k, v] of parsed.searchParams) {
    const list = values.get(k);
    if (list) list.push(v);
    else values.set(k, [v]);
  }
  const keys = [...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs = new Map<string, string>();
  for (const k of keys) {
    const key = quotePlus(k);
    pairs.set(k, (values.get(k) ?? []).map((v) => `${key}=${quotePlus(v)}`).join("&"));
  }
  return { base: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, hash: parsed.hash, keys, pairs };
}

// A page builds its next and previous links from the same URL: take it apart once.
let last: { url: string; link: ParsedLink } | null = null;
function linkOf(url: string): ParsedLink {
  if (last?.url !== url) last = { url, link: parseLink(url) };
  return last.link;
}

/** The link with `key` dropped and, unless null, `pair` (`key=value`) in its sorted place. */
function withKey(link: ParsedLink, key: string, pair: string | null): string {
  let query = "";
  let pending = pair;
  for (const k of link.keys) {
    if (pending !== null && key < k) {
      query += query ? `&${pending}` : pending;
      pending = null;
    }
    if (k === key) continue;
    const kept = link.pairs.get(k) as string;
    query += query ? `&${kept}` : kept;
  }
  if (pending !== null) query += query ? `&${pending}` : pending;
  return `${link.base}${query ? `?${query}` : ""}${link.hash}`;
}

/** `url` with `key` set to `value` (replacing every previous value). */
export function replaceQueryParam(url: string, key: string, value: string | number): string {
  return withKey(linkOf(url), key, `${quotePlus(key)}=${quotePlus(String(value))}`);
}

/** `url` without `key`. */
export function removeQueryParam(url: string, key: string): string {
  return withKey(linkOf(url), key, null);
}
