// Expands a route description's url template into path parts.
import { joinParts, type PathParam, type PathPart, type PathParts } from "./path.js";

export interface TemplateValues {
  readonly prefix: PathParts;
  readonly lookup: PathParam;
  readonly trailingSlash: string;
  readonly urlPath?: string;
}

const TOKEN = /\{(prefix|lookup|trailing_slash|url_path)\}/g;

export function expandTemplate(url: string, values: TemplateValues): PathPart[] {
  const template = url.replace(/^\^/, "").replace(/\$$/, "");
  const parts: PathPart[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    parts.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const token = m[1];
    if (token === "prefix") parts.push(...values.prefix);
    else if (token === "lookup") parts.push(values.lookup);
    else if (token === "trailing_slash") parts.push(values.trailingSlash);
    else parts.push(values.urlPath ?? "");
  }
  parts.push(template.slice(last));
  const joined = joinParts(parts);
  // DRF: a viewset registered at the empty prefix must not start with "/".
  const first = joined[0];
  if (values.prefix.length === 0 && typeof first === "string" && first.startsWith("/")) {
    joined[0] = first.slice(1);
    if (joined[0] === "") joined.shift();
  }
  return joined;
}
