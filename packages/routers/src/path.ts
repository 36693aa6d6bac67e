// A route path as literal text and named parameters (each with its regex), the
// one representation used to register Hono routes, display the URL table and reverse.

export interface PathParam {
  readonly name: string;
  readonly regex: string;
}
export type PathPart = string | PathParam;
export type PathParts = readonly PathPart[];

/** Appends parts, merging adjacent literals so equal paths have equal parts. */
export function joinParts(...groups: PathParts[]): PathPart[] {
  const out: PathPart[] = [];
  for (const group of groups) {
    for (const part of group) {
      const last = out[out.length - 1];
      if (typeof part === "string" && typeof last === "string") out[out.length - 1] = last + part;
      else if (part !== "") out.push(part);
    }
  }
  return out;
}

export function paramsOf(parts: PathParts): PathParam[] {
  return parts.filter((p): p is PathParam => typeof p !== "string");
}

/** Hono's syntax: `/products/:pk{[^/.]+}/`. */
export function toHonoPath(parts: PathParts): string {
  return parts.map((p) => (typeof p === "string" ? p : `:${p.name}{${p.regex}}`)).join("");
}

/** The URL table's readable form: `products/{pk}/` (OpenAPI's template syntax). */
export function toTemplate(parts: PathParts): string {
  return parts.map((p) => (typeof p === "string" ? p : `{${p.name}}`)).join("");
}

const PARAM_START = /:([A-Za-z_][A-Za-z0-9_]*)/y;

/**
 * Parses a mount prefix in Hono's syntax (`/api/:version{v[12]}/`) into parts.
 * A parameter without a regex matches one segment (`[^/]+`).
 */
export function parseHonoPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let literal = "";
  let i = 0;
  while (i < path.length) {
    PARAM_START.lastIndex = i;
    const m = path[i] === ":" ? PARAM_START.exec(path) : null;
    if (!m) {
      literal += path[i];
      i += 1;
      continue;
    }
    const name = m[1] as string;
    i = PARAM_START.lastIndex;
    let regex = "[^/]+";
    if (path[i] === "{") {
      // Balanced braces: the regex may itself hold quantifiers such as {8}.
      let depth = 0;
      const start = i + 1;
      for (; i < path.length; i += 1) {
        if (path[i] === "{") depth += 1;
        else if (path[i] === "}") {
          depth -= 1;
          if (depth === 0) break;
        }
      }
      if (depth !== 0) throw new Error(`Unbalanced "{" in path "${path}"`);
      regex = path.slice(start, i);
      i += 1;
    }
    if (literal) parts.push(literal);
    literal = "";
    parts.push({ name, regex });
  }
  if (literal) parts.push(literal);
  return parts;
}

// Django's reverse quotes with RFC 3986 sub-delimiters and "/~:@" left as they are.
const SAFE = /[!$&'()*+,;=:@~/]/;
// What neither SAFE nor encodeURIComponent would change (pks, slugs, versions): returned as is.
const UNCHANGED = /^[A-Za-z0-9\-_.!~*'()$&+,;=:@/]*$/;
export function quotePathValue(value: string): string {
  if (UNCHANGED.test(value)) return value;
  let out = "";
  for (const ch of value) out += SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}
