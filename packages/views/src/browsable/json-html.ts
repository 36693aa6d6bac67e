// The response body as DRF's browsable API shows it: JSON indented by 4, every
// string escaped, and strings holding an http(s) URL turned into links (DRF's
// urlize_quoted_links), so pagination `next`/`previous` and hyperlinks are clickable.
import { jsonReplacer } from "../response/renderers.js";
import { escapeHtml } from "./escape.js";

const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/g;
// Only absolute http(s) URLs: a `javascript:` value must stay text.
const LINKABLE = /^https?:\/\/[^\s"'<>]+$/i;

export function jsonToHtml(data: unknown): string {
  const text = JSON.stringify(data, jsonReplacer, 4) ?? "";
  let out = "";
  let last = 0;
  for (const match of text.matchAll(STRING_TOKEN)) {
    const token = match[0];
    out += escapeHtml(text.slice(last, match.index));
    const value = JSON.parse(token) as string;
    out += LINKABLE.test(value)
      ? `<a href="${escapeHtml(value)}" rel="nofollow">${escapeHtml(token)}</a>`
      : escapeHtml(token);
    last = match.index + token.length;
  }
  return out + escapeHtml(text.slice(last));
}
