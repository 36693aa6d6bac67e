// DRF's DefaultContentNegotiation: ?format= overrides, else the Accept header
// by precedence (specific before wildcard) and order.
import { NotAcceptable, NotFound } from "../exceptions/api-exception.js";
import type { Renderer } from "./renderers.js";

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  raw: string;
}

export function parseMediaType(raw: string): MediaRange {
  const [full = "", ...rest] = raw.split(";");
  const [type = "", subtype = ""] = full.trim().toLowerCase().split("/");
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq > 0)
      params[part.slice(0, eq).trim().toLowerCase()] = part
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
  }
  return { type, subtype: subtype || "*", params, raw: raw.trim() };
}

function precedence(range: MediaRange): number {
  if (range.type === "*") return 0;
  if (range.subtype === "*") return 1;
  return Object.keys(range.params).some((k) => k !== "q") ? 3 : 2;
}

// Renderers' media types are a handful of constants: each is parsed once.
const rendererTypes = new Map<string, MediaRange>();

function matches(range: MediaRange, renderer: Renderer): boolean {
  let own = rendererTypes.get(renderer.mediaType);
  if (own === undefined) {
    own = parseMediaType(renderer.mediaType);
    if (rendererTypes.size < 256) rendererTypes.set(renderer.mediaType, own);
  }
  return (
    (range.type === "*" || range.type === own.type) &&
    (range.subtype === "*" || range.subtype === own.subtype)
  );
}

export interface Negotiated {
  renderer: Renderer;
  mediaType: string;
}

export interface ContentNegotiation {
  selectRenderer(accept: string | null, format: string | null, renderers: Renderer[]): Negotiated;
}
export type ContentNegotiationClass = new () => ContentNegotiation;

export class DefaultContentNegotiation implements ContentNegotiation {
  selectRenderer(accept: string | null, format: string | null, renderers: Renderer[]): Negotiated {
    let candidates = renderers;
    if (format) {
      candidates = renderers.filter((r) => r.format === format);
      if (candidates.length === 0) throw new NotFound();
    }
    const first = candidates[0];
    if (!first) throw new NotAcceptable();
    // The common case (no Accept, or */*): the first renderer, without parsing.
    if (accept === null || accept === "" || accept === "*/*")
      return { renderer: first, mediaType: first.mediaType };
    const byPrecedence = rangesOf(accept);
    if (byPrecedence === null) return { renderer: first, mediaType: first.mediaType };
    for (const group of byPrecedence) {
      for (const renderer of candidates) {
        for (const range of group) {
          if (matches(range, renderer)) {
            // The accepted type keeps the client's parameters (e.g. `version=1.0`, `indent=2`).
            const mediaType = range.type === "*" || range.subtype === "*" ? renderer.mediaType : range.raw;
            return { renderer, mediaType };
          }
        }
      }
    }
    throw new NotAcceptable();
  }
}

// A client sends the same Accept header on every request (a browser's, `application/json`):
// its ranges are parsed once. Bounded: an unbounded variety of headers only costs parsing.
const acceptMemo = new Map<string, readonly (readonly MediaRange[])[] | null>();

/** The Accept header's ranges (q=0 dropped) grouped by precedence, highest first; null for none. */
function rangesOf(accept: string): readonly (readonly MediaRange[])[] | null {
  const known = acceptMemo.get(accept);
  if (known !== undefined) return known;
  const ranges = accept
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseMediaType)
    .filter((r) => r.params.q === undefined || Number(r.params.q) > 0);
  // Group by precedence, highest first, as DRF's order_by_precedence.
  const grouped =
    ranges.length === 0 ? null : [3, 2, 1, 0].map((p) => ranges.filter((r) => precedence(r) === p));
  if (acceptMemo.size >= 256) acceptMemo.clear();
  acceptMemo.set(accept, grouped);
  return grouped;
}
