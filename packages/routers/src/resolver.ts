// The URL table of one mount (a prefix plus the routers mounted under it) and Django's reverse over it.
import type { ApiSettings } from "@x/views";
import { innerGroupCount } from "./dispatch.js";
import { NoReverseMatch } from "./errors.js";
import { type PathParam, type PathParts, paramsOf, quotePathValue, toTemplate } from "./path.js";
import type { URLPattern } from "./url-pattern.js";

export type ReverseKwargs = Readonly<Record<string, string | number>>;

/** A route as mounted: its full path from the host root. */
export interface MountedPattern {
  readonly pattern: URLPattern;
  /** `/api/v1/products/{pk}/`. */
  readonly route: string;
  readonly parts: PathParts;
  readonly params: readonly PathParam[];
}

/** What a path resolves to (Django's ResolverMatch). */
export interface ResolverMatch {
  /** The route name, without namespace (`product-detail`). */
  readonly viewName: string;
  readonly namespace: string | undefined;
  /** The path parameters, percent-decoded (`{ pk: "12" }`). */
  readonly kwargs: Record<string, string>;
  readonly pattern: MountedPattern;
}

export interface ReverseOptions {
  /** Resolve in the mount of this namespace (same as the name `"v1:product-list"`). */
  readonly namespace?: string | undefined;
  /** Values for parameters the caller did not give (the current request's prefix kwargs, e.g. `version`). */
  readonly fallbackKwargs?: Readonly<Record<string, string>> | undefined;
}

export class URLResolver {
  readonly prefix: PathParts;
  /** Django's `include(..., namespace)`. */
  readonly namespace: string | undefined;
  readonly urls: readonly MountedPattern[];
  /** Every resolver mounted on the same app, this one included (reverse falls back to them). */
  readonly siblings: readonly URLResolver[];
  readonly #byName = new Map<string, MountedPattern[]>();

  /** Settings given to `mount()` for this mount's views (else the app's). */
  readonly settings: ApiSettings | undefined;

  constructor(
    prefix: PathParts,
    patterns: readonly URLPattern[],
    namespace: string | undefined,
    siblings: readonly URLResolver[],
    settings?: ApiSettings,
  ) {
    this.prefix = prefix;
    this.settings = settings;
    this.namespace = namespace;
    this.siblings = siblings;
    this.urls = patterns.map((pattern) => {
      const parts = [...prefix, ...pattern.parts];
      return { pattern, route: toTemplate(parts), parts, params: paramsOf(parts) };
    });
    for (const mounted of this.urls) {
      if (mounted.pattern.name === "") continue; // unnamed routes match but cannot be reversed
      const list = this.#byName.get(mounted.pattern.name) ?? [];
      list.push(mounted);
      this.#byName.set(mounted.pattern.name, list);
    }
  }

  #matchers: { regex: RegExp; names: string[]; mounted: MountedPattern }[] | undefined;

  /** Matches a URL path against this mount's routes, in match order (no siblings). */
  match(path: string): ResolverMatch | null {
    this.#matchers ??= this.urls.flatMap((mounted) =>
      mounted.pattern.matches.map((match) => {
        const names: string[] = [];
        let source = "";
        for (const part of [...this.prefix, ...match]) {
          if (typeof part === "string") source += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          else {
            names.push(part.name);
            source += `(${part.regex})`;
          }
        }
        return { regex: new RegExp(`^${source}$`), names, mounted };
      }),
    );
    for (const { regex, names, mounted } of this.#matchers) {
      const m = regex.exec(path);
      if (!m) continue;
      const kwargs: Record<string, string> = {};
      const groups = groupValues(m, mounted);
      let ok = true;
      names.forEach((name, i) => {
        try {
          kwargs[name] = decodeURIComponent(groups[i] ?? "");
        } catch {
          ok = false;
        }
      });
      if (!ok) continue;
      return { viewName: mounted.pattern.name, namespace: this.namespace, kwargs, pattern: mounted };
    }
    return null;
  }

  /** Django's resolve(): the route a path matches, in this mount first, then in the app's other mounts. */
  resolve(path: string): ResolverMatch | null {
    for (const resolver of [this, ...this.siblings.filter((r) => r !== this)]) {
      const match = resolver.match(path);
      if (match) return match;
    }
    return null;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /**
   * The path of the named route (Django's reverse), looked up in this mount first, then in the
   * other mounts of the same app; `"ns:name"` or `options.namespace` picks the mount of that namespace.
   */
  reverse(name: string, kwargs: ReverseKwargs = {}, options: ReverseOptions = {}): string {
    // indexOf first: lastIndexOf is a runtime call in V8, and most names have no namespace.
    const colon = name.indexOf(":") < 0 ? -1 : name.lastIndexOf(":");
    const namespace = colon >= 0 ? name.slice(0, colon) : options.namespace;
    const bare = colon >= 0 ? name.slice(colon + 1) : name;
    const owner = this.#owner(namespace, bare);
    if (!owner) {
      const full = namespace !== undefined ? `${namespace}:${bare}` : bare;
      if (namespace !== undefined && !this.siblings.some((r) => r.namespace === namespace)) {
        throw new NoReverseMatch(`'${namespace}' is not a registered namespace`);
      }
      throw new NoReverseMatch(
        `Reverse for '${full}' not found. '${full}' is not a valid view function or pattern name.`,
      );
    }
    return owner.#reverseHere(bare, kwargs, options.fallbackKwargs ?? NO_KWARGS);
  }

  // Which mount answers a name, remembered per namespace (no key to build per call): reverse
  // runs for every link of every response. Mounts added later (mount() appends to `siblings`)
  // start the memo afresh.
  #owners = new Map<string | undefined, Map<string, URLResolver | null>>();
  #ownersFor = -1;

  #owner(namespace: string | undefined, bare: string): URLResolver | undefined {
    if (this.#ownersFor !== this.siblings.length) {
      this.#owners.clear();
      this.#ownersFor = this.siblings.length;
    }
    let byName = this.#owners.get(namespace);
    if (byName === undefined) {
      byName = new Map();
      this.#owners.set(namespace, byName);
    }
    let owner = byName.get(bare);
    if (owner === undefined) {
      const pool =
        namespace !== undefined
          ? this.siblings.filter((r) => r.namespace === namespace)
          : [this, ...this.siblings];
      owner = pool.find((r) => r.has(bare)) ?? null;
      byName.set(bare, owner);
    }
    return owner ?? undefined;
  }

  #reverseHere(name: string, kwargs: ReverseKwargs, fallback: Readonly<Record<string, string>>): string {
    const candidates = this.#byName.get(name) ?? [];
    for (const candidate of candidates) {
      const path = fill(templateOf(candidate), kwargs, fallback);
      if (path !== null) return path;
    }
    const given = Object.keys(kwargs).length
      ? `keyword arguments '${JSON.stringify(kwargs)}'`
      : "no arguments";
    const tried = candidates.map((c) => `'${c.route}'`).join(", ");
    throw new NoReverseMatch(
      `Reverse for '${name}' with ${given} not found. ${candidates.length} pattern(s) tried: [${tried}]`,
    );
  }
}

const NO_KWARGS: Readonly<Record<string, string>> = Object.freeze({});

/** A route prepared for reverse once: literal text and parameters with their anchored regexes. */
interface ParamPart {
  readonly name: string;
  readonly test: RegExp;
  /** The last value that matched, and its quoted form: the prefix's `version` repeats on every link. */
  last: string | undefined;
  lastQuoted: string;
}

interface ReverseTemplate {
  readonly names: ReadonlySet<string>;
  readonly parts: readonly (string | ParamPart)[];
}

const templates = new WeakMap<MountedPattern, ReverseTemplate>();
function templateOf(candidate: MountedPattern): ReverseTemplate {
  let template = templates.get(candidate);
  if (!template) {
    template = {
      names: new Set(candidate.params.map((p) => p.name)),
      parts: candidate.parts.map((part) =>
        typeof part === "string"
          ? part
          : { name: part.name, test: fullMatch(part.regex), last: undefined, lastQuoted: "" },
      ),
    };
    templates.set(candidate, template);
  }
  return template;
}

/** Django's reverse of one pattern: the path, or null when the kwargs do not fit it. */
function fill(
  template: ReverseTemplate,
  kwargs: ReverseKwargs,
  fallback: Readonly<Record<string, string>>,
): string | null {
  // Django: every kwarg must be a parameter of the pattern.
  for (const key in kwargs) if (!template.names.has(key)) return null;
  let path = "";
  for (const part of template.parts) {
    if (typeof part === "string") {
      path += part;
      continue;
    }
    const raw = kwargs[part.name] ?? fallback[part.name];
    if (raw === undefined) return null;
    const value = typeof raw === "string" ? raw : String(raw);
    if (value === part.last) {
      path += part.lastQuoted;
      continue;
    }
    if (!part.test.test(value)) return null;
    const quoted = quotePathValue(value);
    part.last = value;
    part.lastQuoted = quoted;
    path += quoted;
  }
  return path;
}

/** The values of the parameter groups of a match, skipping groups inside a parameter's own regex. */
function groupValues(m: RegExpExecArray, mounted: MountedPattern): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  let index = 1;
  for (const param of mounted.params) {
    values.push(m[index]);
    index += 1 + innerGroupCount(param.regex);
  }
  return values;
}

const compiled = new Map<string, RegExp>();
function fullMatch(regex: string): RegExp {
  let re = compiled.get(regex);
  if (!re) {
    re = new RegExp(`^(?:${regex})$`);
    compiled.set(regex, re);
  }
  return re;
}
