// fast-check arbitraries of whole HTTP requests for one OpenAPI operation: the
// user who sends it, path and query parameters and a JSON body, valid per the
// document or mutated (a hostile value somewhere, a required key dropped, extra
// keys, a raw body JSON.stringify cannot produce, another content type, an
// oversized body). A request prints itself as the replayable request.
import fc from "fast-check";
import { hostile, hostileText, type Schema, type SchemaContext, valid } from "./arbitraries.js";

export type Role = "anonymous" | "customer" | "manager" | "admin";
export const ROLES: readonly Role[] = ["anonymous", "customer", "manager", "admin"];

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export interface DocumentedOperation {
  method: string;
  route: string;
  operation: Operation;
}

export interface FuzzRequest {
  operationId: string;
  /** what was done to the valid request (`valid` when nothing) */
  mutation: string;
  role: Role;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request as curl-like text, Authorization shown as the role it stands for. */
export function describeRequest(r: FuzzRequest): string {
  const headers = Object.entries(r.headers).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  const body =
    r.body === undefined ? "" : `\n  body (${r.body.length} chars): ${JSON.stringify(r.body.slice(0, 1500))}`;
  return `${r.operationId} [${r.mutation}] as ${r.role}\n  ${r.method} ${r.path.slice(0, 1500)}\n${headers.join("\n")}${body}`;
}

/** Percent-encodes a value; a lone surrogate goes out as its (invalid UTF-8) WTF-8 bytes. */
export function encode(value: string): string {
  return value.replace(/[\s\S]/gu, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      const code = ch.charCodeAt(0);
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    }
  });
}

/** Path parameters that name an existing row, by the collection the route is under. */
export type PathHints = (collection: string, name: string) => unknown[];

interface Parts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

const CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/json; charset=utf-16",
  "application/json-patch+json",
  "",
];
/** Keys a client should not be able to set (mass assignment) and prototype pollution attempts. */
const EXTRA_KEYS = [
  "id",
  "user",
  "is_staff",
  "is_superuser",
  "created_by",
  "status",
  "price",
  "__proto__",
  "ключ",
];

function bodySchema(op: Operation): Schema | undefined {
  return op.requestBody?.content?.["application/json"]?.schema;
}

function validParts(
  documented: DocumentedOperation,
  ctx: SchemaContext,
  pathHints: PathHints,
): fc.Arbitrary<Parts> {
  const { operation, route } = documented;
  const collection = route.split("/")[3] ?? "";
  const path: Record<string, fc.Arbitrary<unknown>> = {};
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of operation.parameters ?? []) {
    if (p.in === "path") {
      const own = valid(p.schema, ctx, 0, p.name);
      const real = fc.nat().chain((i) => {
        const values = pathHints(collection, p.name);
        return values.length === 0 ? own : fc.constant(values[i % values.length]);
      });
      path[p.name] = p.name === "version" ? own : fc.oneof({ arbitrary: real, weight: 4 }, own);
    } else if (p.in === "query") query[p.name] = valid(p.schema, ctx, 0, p.name);
  }
  const schema = bodySchema(operation);
  return fc.record({
    path: fc.record(path),
    query: fc.record(query, { requiredKeys: [] }),
    body: schema ? valid(schema, ctx) : fc.constant(undefined),
  });
}

/** Replaces one value somewhere inside `value` (objects and arrays, any depth) with `replacement`. */
function replaceSomewhere(value: unknown, pick: number, replacement: unknown): unknown {
  const slots: { parent: Record<string | number, unknown>; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((item, i) => {
        slots.push({ parent: v as never, key: i });
        walk(item);
      });
    else if (v !== null && typeof v === "object")
      for (const [k, item] of Object.entries(v)) {
        slots.push({ parent: v as never, key: k });
        walk(item);
      }
  };
  const copy = structuredClone(value);
  walk(copy);
  if (slots.length === 0) return replacement;
  const slot = slots[pick % slots.length]!;
  slot.parent[slot.key] = replacement;
  return copy;
}

type Mutation = (
  parts: Parts,
) => fc.Arbitrary<{ parts: Parts; mutation: string; raw?: string; contentType?: string }>;

function mutations(documented: DocumentedOperation): fc.Arbitrary<Mutation> {
  const { operation } = documented;
  const params = operation.parameters ?? [];
  const pathNames = params.filter((p) => p.in === "path").map((p) => p.name);
  const queryNames = params.filter((p) => p.in === "query").map((p) => p.name);
  const hasBody = bodySchema(operation) !== undefined;
  // weights: bodies are where most of the surface is; a hostile path mostly misses every route
  const out: fc.WeightedArbitrary<Mutation>[] = [];
  if (pathNames.length > 0)
    out.push({
      weight: 1,
      arbitrary: fc.constantFrom(...pathNames).map(
        (name): Mutation =>
          (parts) =>
            hostileText().map((v) => ({
              parts: { ...parts, path: { ...parts.path, [name]: v } },
              mutation: `path ${name}`,
            })),
      ),
    });
  out.push({
    weight: hasBody ? 1 : 3,
    arbitrary: fc
      .constantFrom(...queryNames, "page", "page_size", "format", "ordering", "search", "cursor")
      .map(
        (name): Mutation =>
          (parts) =>
            fc.array(hostileText(), { minLength: 1, maxLength: 2 }).map((vs) => ({
              parts: { ...parts, query: { ...parts.query, [name]: vs } },
              mutation: `query ${name}`,
            })),
      ),
  });
  const body =
    (
      name: string,
      f: (body: unknown) => fc.Arbitrary<{ body?: unknown; raw?: string; contentType?: string }>,
    ): Mutation =>
    (parts) =>
      f(parts.body ?? {}).map((m) => ({
        parts: { ...parts, body: "body" in m ? m.body : parts.body },
        mutation: name,
        raw: m.raw,
        contentType: m.contentType,
      }));
  const bodyMutations: Mutation[] = [
    body("hostile value inside the body", (b) =>
      fc.tuple(fc.nat(), hostile()).map(([i, v]) => ({ body: replaceSomewhere(b, i, v) })),
    ),
    body("hostile values inside the body (3)", (b) =>
      fc.tuple(fc.nat(), fc.nat(), fc.nat(), hostile(), hostile(), hostile()).map(([i, j, k, x, y, z]) => ({
        body: replaceSomewhere(replaceSomewhere(replaceSomewhere(b, i, x), j, y), k, z),
      })),
    ),
    body("a key dropped", (b) =>
      fc.nat().map((i) => {
        if (b === null || typeof b !== "object" || Array.isArray(b)) return { body: b };
        const keys = Object.keys(b);
        const copy = { ...(b as Record<string, unknown>) };
        if (keys.length > 0) delete copy[keys[i % keys.length]!];
        return { body: copy };
      }),
    ),
    body("extra keys", (b) =>
      fc.dictionary(fc.constantFrom(...EXTRA_KEYS), hostile(), { minKeys: 1, maxKeys: 3 }).map((extra) => ({
        body: b !== null && typeof b === "object" && !Array.isArray(b) ? { ...b, ...extra } : extra,
      })),
    ),
    body("a body of another JSON type", () => hostile().map((v) => ({ body: v }))),
    body("duplicate key", (b) =>
      hostile().map((v) => {
        const json = JSON.stringify(b);
        const first = b !== null && typeof b === "object" ? Object.keys(b)[0] : undefined;
        if (!first || !json.startsWith("{")) return { raw: `{"a":1,"a":${JSON.stringify(v)}}` };
        return { raw: `{${JSON.stringify(first)}:${JSON.stringify(v)},${json.slice(1)}` };
      }),
    ),
    body("broken JSON", (b) =>
      fc.tuple(fc.nat(), fc.nat({ max: 7 })).map(([cut, kind]) => {
        const json = JSON.stringify(b);
        const variants = [
          json.slice(0, cut % Math.max(json.length, 1)),
          `${json}garbage`,
          `${json}\u0000`,
          json.replace(/"/g, "'"),
          `\uFEFF${json}`,
          json.replace(":", ":\u0000"),
          `{"a":1e999999}`,
          `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
        ];
        return { raw: variants[kind]! };
      }),
    ),
    body("another content type", (b) =>
      fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({ raw: JSON.stringify(b), contentType })),
    ),
    body("oversized body", (b) =>
      fc.constant({
        raw: JSON.stringify(
          b !== null && typeof b === "object" && !Array.isArray(b)
            ? { ...b, padding: "x".repeat(2_700_000) }
            : { padding: "x".repeat(2_700_000) },
        ),
      }),
    ),
  ];
  if (hasBody) out.push({ weight: 6, arbitrary: fc.constantFrom(...bodyMutations) });
  // a write that takes no body gets one anyway (GET cannot carry one)
  else if (documented.method !== "get")
    out.push({
      weight: 2,
      arbitrary: fc.constant(body("an unexpected body", () => hostile().map((v) => ({ body: v })))),
    });
  return fc.oneof(...out);
}

/** The path of `route` (`/api/{version}/products/{pk}/`) with `values` filled in. */
function fill(route: string, values: Record<string, unknown>): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => encode(String(values[name])));
}

function queryString(query: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      pairs.push(`${encode(name)}=${encode(String(v))}`);
  }
  return pairs.length === 0 ? "" : `?${pairs.join("&")}`;
}

/**
 * Requests for `documented`: about half valid per the document, half mutated.
 * `token(role)` is the Authorization header value of that role (none for anonymous).
 */
export function requestArbitrary(
  documented: DocumentedOperation,
  ctx: SchemaContext,
  pathHints: PathHints,
  token: (role: Role) => string | undefined,
): fc.Arbitrary<FuzzRequest> {
  const { method, route, operation } = documented;
  const parts = validParts(documented, ctx, pathHints);
  const mutated = fc.tuple(parts, mutations(documented)).chain(([p, mutate]) => mutate(p));
  const shaped = fc.oneof(
    parts.map((p) => ({
      parts: p,
      mutation: "valid" as string,
      raw: undefined as string | undefined,
      contentType: undefined as string | undefined,
    })),
    mutated,
  );
  return fc.tuple(fc.constantFrom(...ROLES), shaped).map(([role, s]) => {
    const headers: Record<string, string> = { Accept: "application/json" };
    const auth = token(role);
    if (auth) headers.Authorization = auth;
    const body = s.raw ?? (s.parts.body === undefined ? undefined : JSON.stringify(s.parts.body));
    if (body !== undefined) headers["Content-Type"] = s.contentType ?? "application/json";
    const request: FuzzRequest = {
      operationId: operation.operationId,
      mutation: s.mutation,
      role,
      method: method.toUpperCase(),
      path: fill(route, s.parts.path) + queryString(s.parts.query),
      headers,
      ...(body === undefined ? {} : { body }),
    };
    return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
  });
}
