// A mount's URL table compiled for dispatch, once at startup: the prefix's parameters
// matched once, then static routes by one Map lookup and the rest by one regex of
// alternatives. The first registered route that matches wins (Django's order).
import type { PathParts } from "./path.js";

export interface RouteMatch<T> {
  readonly target: T;
  /** Path parameters (prefix and route), percent-decoded as Hono decodes its params. */
  readonly kwargs: Record<string, string>;
  /** The prefix's parameters alone (`{ version: "v1" }`). */
  readonly prefixKwargs: Readonly<Record<string, string>>;
}

export type RouteMatcher<T> = (path: string) => RouteMatch<T> | null;

interface Alternative<T> {
  readonly index: number;
  readonly target: T;
  readonly names: readonly string[];
  /** Group number of each parameter in the combined regex. */
  readonly groups: readonly number[];
  /** The empty group closing this alternative: set only when this alternative matched. */
  readonly marker: number;
}

const NO_KWARGS: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** Distinct prefixes (with parameters) remembered per mount before the memo starts over. */
const MAX_PREFIX_HITS = 256;

/**
 * Compiles `routes` (paths relative to `prefix`, in registration order) into a matcher of full
 * URL paths. Prefix parameters match greedily by their own regex (they never span a "/" with
 * the default `[^/]+`).
 */
export function compileMatcher<T>(
  prefix: PathParts,
  routes: readonly { readonly parts: PathParts; readonly target: T }[],
): RouteMatcher<T> {
  const matchPrefix = prefixMatcher(prefix);
  const statics = new Map<string, { index: number; target: T; shadowed: boolean }>();
  const alternatives: Alternative<T>[] = [];
  const own: { index: number; regex: RegExp }[] = [];
  let source = "";
  let group = 1;
  routes.forEach(({ parts, target }, index) => {
    if (parts.every((p) => typeof p === "string")) {
      const path = (parts as readonly string[]).join("");
      if (!statics.has(path)) statics.set(path, { index, target, shadowed: false });
      return;
    }
    const alt = regexOf(parts, group);
    group = alt.nextGroup;
    alternatives.push({ index, target, names: alt.names, groups: alt.groups, marker: group });
    own.push({ index, regex: new RegExp(`^(?:${alt.source})$`) });
    group += 1;
    source += `${source ? "|" : ""}${alt.source}()`;
  });
  const dynamic = alternatives.length > 0 ? new RegExp(`^(?:${source})$`) : null;
  // A static route wins unless a parameterised route registered before it matches its path too:
  // both are fixed, so which static paths are shadowed is known now, not per request.
  for (const [path, entry] of statics)
    entry.shadowed = own.some((alt) => alt.index < entry.index && alt.regex.test(path));

  return (path) => {
    const head = matchPrefix(path);
    if (head === null) return null;
    const rest = path.slice(head.length);
    const hit = statics.get(rest);
    if (hit && !hit.shadowed)
      return { target: hit.target, kwargs: Object.assign({}, head.kwargs), prefixKwargs: head.kwargs };
    const m = dynamic?.exec(rest);
    if (m) {
      const alt = alternatives.find((a) => m[a.marker] !== undefined) as Alternative<T>;
      if (!hit || alt.index < hit.index) {
        // Object.assign, not a spread: V8 (Node 20) takes a slow path when a spread copy gets more properties.
        const kwargs: Record<string, string> = Object.assign({}, head.kwargs);
        for (let i = 0; i < alt.names.length; i++)
          kwargs[alt.names[i] as string] = decodeParam(m[alt.groups[i] as number] ?? "");
        return { target: alt.target, kwargs, prefixKwargs: head.kwargs };
      }
    }
    return hit
      ? { target: hit.target, kwargs: Object.assign({}, head.kwargs), prefixKwargs: head.kwargs }
      : null;
  };
}

/** The literal part of a prefix before its first parameter, cut after its last "/" (`/api/`). */
export function literalHead(prefix: PathParts): string {
  let head = "";
  for (const part of prefix) {
    if (typeof part !== "string") break;
    head += part;
  }
  return head.slice(0, head.lastIndexOf("/") + 1) || "/";
}

interface PrefixHit {
  readonly length: number;
  readonly kwargs: Record<string, string>;
}

function prefixMatcher(prefix: PathParts): (path: string) => PrefixHit | null {
  if (prefix.every((p) => typeof p === "string")) {
    const literal = (prefix as readonly string[]).join("");
    const hit: PrefixHit = { length: literal.length, kwargs: NO_KWARGS };
    return (path) => (path.startsWith(literal) ? hit : null);
  }
  const { source, names, groups } = regexOf(prefix, 1);
  const regex = new RegExp(`^${source}`);
  // A mount's prefix takes few values (`/api/v1/`, `/api/v2/`): each is parsed once and its hit,
  // frozen kwargs included, shared by every request under it (bounded: the path is the client's).
  const hits = new Map<string, PrefixHit>();
  return (path) => {
    const m = regex.exec(path);
    if (!m) return null;
    const text = m[0];
    const known = hits.get(text);
    if (known !== undefined) return known;
    const kwargs: Record<string, string> = {};
    for (let i = 0; i < names.length; i++)
      kwargs[names[i] as string] = decodeParam(m[groups[i] as number] ?? "");
    const hit: PrefixHit = { length: text.length, kwargs: Object.freeze(kwargs) };
    if (hits.size >= MAX_PREFIX_HITS) hits.clear();
    hits.set(text, hit);
    return hit;
  };
}

/** The regex source of `parts`, the names of its parameters and their group numbers from `group` on. */
function regexOf(
  parts: PathParts,
  group: number,
): { source: string; names: string[]; groups: number[]; nextGroup: number } {
  let source = "";
  const names: string[] = [];
  const groups: number[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      source += escapeRegex(part);
      continue;
    }
    names.push(part.name);
    groups.push(group);
    source += `(${part.regex})`;
    group += 1 + innerGroupCount(part.regex);
  }
  return { source, names, groups, nextGroup: group };
}

/** As Hono decodes a path parameter: percent-decoded when it can be, else as sent. */
function decodeParam(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const innerGroups = new Map<string, number>();
/** Capturing groups inside a parameter's own regex (they shift the group numbers after it). */
export function innerGroupCount(regex: string): number {
  let count = innerGroups.get(regex);
  if (count === undefined) {
    // A regex matching the empty string reports its group count as the match's length - 1.
    count = (new RegExp(`${regex}|`).exec("")?.length ?? 1) - 1;
    innerGroups.set(regex, count);
  }
  return count;
}
