// A small seeded fuzz pass over the public write bodies (product create, order
// create, registration, JWT refresh and verify) and the list query parameters and
// detail path segments: wrong types, non-ASCII, huge numbers, nested objects,
// duplicate keys, broken raw JSON, NUL bytes and lone surrogates (in and out of
// strings) and other content types. Never a 5xx,
// every 4xx is DRF-shaped, and a refused write leaves the row counts unchanged.
// Bounded: FUZZ_REQUESTS (default 900, at most 1,000) requests from FUZZ_SEED;
// a failure prints the seed, the case number and the raw request to replay.
import type { APIClient, TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderItem } from "../../src/orders/models.js";
import { Product, Review } from "../../src/products/models.js";
import { Profile, User } from "../../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop, tokenClient } from "../setup.js";
import { isDrfErrorBody, prng, sendRaw } from "./helpers.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const TOTAL = Math.min(Number(process.env.FUZZ_REQUESTS ?? 900), 1_000);
/** Two thirds of the budget go to write bodies, the rest to reads. */
const REQUESTS = Math.ceil((TOTAL * 2) / 3);
const READS = TOTAL - REQUESTS;

let t: TestShop;
let customer: APIClient;
let manager: APIClient;

beforeAll(async () => {
  t = await createTestShop();
  customer = await tokenClient(t, "margaret16");
  manager = await tokenClient(t, "manager");
  const pair = await t.client().post("/api/v1/auth/jwt/", { username: "grace17", password: PASSWORD });
  refreshToken = (pair.data as { refresh: string }).refresh;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

type Random = () => number;
const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

// NUL and lone UTF-16 surrogates are in: PostgreSQL refuses both in text and jsonb, so
// the fields must refuse them first (a 400 naming the field, never a 500); NUL bytes
// outside strings (broken JSON) are in the raw bodies below.
const STRINGS = [
  "",
  " ",
  "ünïcødé 漢字 🛒",
  "\u202Eevil\u202C",
  "' OR 1=1 --",
  '"; DROP TABLE products_product; --',
  "%",
  "_",
  "\\",
  "<script>alert(1)</script>",
  "$" + "{jndi:ldap://x}",
  "../../etc/passwd",
  "x".repeat(300),
  "y".repeat(20_000),
  "１２.５０",
  "12,50",
  "NaN",
  "Infinity",
  "-0",
  "1e400",
  "0x10",
  "  12.50  ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
] as const;

const NUMBERS = [
  0,
  -1,
  1,
  1.5,
  -0.01,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  1e308,
  -1e308,
  1e-300,
  12.345,
] as const;

/** A hostile value: wrong type, odd string, huge number, or nested structure. */
function hostile(rnd: Random, depth = 0): unknown {
  const kind = Math.floor(rnd() * 8);
  if (kind === 0) return pick(rnd, STRINGS);
  if (kind === 1) return pick(rnd, NUMBERS);
  if (kind === 2) return pick(rnd, [true, false, null]);
  if (kind === 3) return depth > 2 ? [] : [hostile(rnd, depth + 1), hostile(rnd, depth + 1)];
  if (kind === 4)
    return depth > 2 ? {} : { [pick(rnd, ["a", "__proto__", "constructor", "0"])]: hostile(rnd, depth + 1) };
  if (kind === 5) return pick(rnd, STRINGS).repeat(1 + Math.floor(rnd() * 3));
  if (kind === 6) return String(pick(rnd, NUMBERS));
  return pick(rnd, [[], {}, [[]], [{}], { items: [] }]);
}

interface Target {
  name: string;
  client: () => APIClient;
  path: string;
  valid: (n: number) => Record<string, unknown>;
  /** The status of an accepted body. */
  ok: number;
}

let refreshToken = "";

const TARGETS: Target[] = [
  {
    name: "product",
    client: () => manager,
    path: "/api/v1/products/",
    valid: (n) => ({
      name: `Fuzz ${n}`,
      slug: `fuzz-${n}`,
      description: "d",
      price: "12.50",
      cost: "2.00",
      discount_percentage: 10,
      stock: 5,
      tags: ["a", "b"],
      metadata: { color: "red" },
      is_featured: false,
      category: "books",
    }),
    ok: 201,
  },
  {
    name: "order",
    client: () => customer,
    path: "/api/v1/orders/",
    valid: () => ({ items: [{ product: 7, quantity: 1 }] }),
    ok: 201,
  },
  {
    name: "registration",
    client: () => t.client(),
    path: "/api/v1/users/",
    valid: (n) => ({
      username: `fuzz${n}`,
      email: `fuzz${n}@example.com`,
      password: "fuzz-password-1",
      first_name: "F",
      last_name: "Z",
    }),
    ok: 201,
  },
  {
    name: "jwt refresh",
    client: () => t.client(),
    path: "/api/v1/auth/jwt/refresh/",
    valid: () => ({ refresh: refreshToken }),
    ok: 200,
  },
  {
    name: "jwt verify",
    client: () => t.client(),
    path: "/api/v1/auth/jwt/verify/",
    valid: () => ({ token: refreshToken }),
    ok: 200,
  },
];

/** Content types a client may send instead of JSON. */
const CONTENT_TYPES = [
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "multipart/form-data",
  "application/json; charset=utf-16",
  "application/json-patch+json",
  "APPLICATION/JSON",
  "",
  "*/*",
] as const;

/** Mutates 1–3 fields (or an item of an order) of a valid body. */
function mutate(rnd: Random, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(body);
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < rounds; i++) {
    const keys = Object.keys(out);
    const roll = rnd();
    if (roll < 0.1) delete out[pick(rnd, keys)];
    else if (roll < 0.15) out[pick(rnd, ["id", "user", "__proto__", "extra", "ключ"])] = hostile(rnd);
    else if (roll < 0.35 && Array.isArray(out.items)) {
      const item = { product: 7, quantity: 1 } as Record<string, unknown>;
      const key = pick(rnd, ["product", "quantity"]);
      item[key] = hostile(rnd);
      out.items = rnd() < 0.5 ? [item] : [{ product: 7, quantity: 1 }, item];
    } else out[pick(rnd, keys)] = hostile(rnd);
  }
  return out;
}

/** A raw body that JSON.stringify cannot produce: duplicate keys, broken or odd JSON. */
function rawBody(rnd: Random, valid: Record<string, unknown>): string {
  const json = JSON.stringify(valid);
  const [firstKey] = Object.keys(valid);
  const variants = [
    `${json.slice(0, -1)},${JSON.stringify(firstKey)}:${JSON.stringify(hostile(rnd))}}`,
    `{${JSON.stringify(firstKey)}:${JSON.stringify(hostile(rnd))},${json.slice(1)}`,
    json.slice(0, Math.floor(rnd() * json.length)),
    `${json}garbage`,
    `${json}\u0000`,
    json.replace(/"/g, "'"),
    "[]",
    "null",
    "1",
    '"string"',
    "",
    "{}",
    "\uFEFF{}",
    `{"items":[${"[".repeat(50)}${"]".repeat(50)}]}`,
    json.replace(/:/, ":\u0000"),
    `{"a":1e999999}`,
  ];
  return pick(rnd, variants);
}

async function rowCounts() {
  const [users, profiles, products, orders, items] = await Promise.all([
    User.objects.count(),
    Profile.objects.count(),
    Product.objects.count(),
    Order.objects.count(),
    OrderItem.objects.count(),
  ]);
  return { users, profiles, products, orders, items };
}

describe("fuzz: write bodies", () => {
  it(`${REQUESTS} seeded requests: no 5xx, DRF-shaped 4xx, nothing written on refusal`, async () => {
    await Product.objects.filter({ pk: 7 }).update({ stock: 100_000, is_deleted: false });
    const rnd = prng(SEED);
    const statuses = new Map<number, number>();
    for (let n = 0; n < REQUESTS; n++) {
      const target = pick(rnd, TARGETS);
      const valid = target.valid(n);
      const raw = rnd() < 0.2;
      const body = raw ? rawBody(rnd, valid) : JSON.stringify(mutate(rnd, valid));
      const contentType = rnd() < 0.1 ? pick(rnd, CONTENT_TYPES) : "application/json";
      const before = await rowCounts();
      const res: TestResponse = await sendRaw(target.client(), "POST", target.path, body, contentType);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const replay = `FUZZ_SEED=${SEED} case ${n}: POST ${target.path} as ${target.name} client, Content-Type ${JSON.stringify(contentType)}, body ${JSON.stringify(body.slice(0, 2000))} -> ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, replay).toBeLessThan(500);
      if (res.status >= 400) {
        expect(isDrfErrorBody(res.data), replay).toBe(true);
        expect(await rowCounts(), replay).toEqual(before);
      } else {
        expect(res.status, replay).toBe(target.ok);
      }
    }
    // The pass exercised both sides: refusals and the occasional accepted body.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 4);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(415) ?? 0).toBeGreaterThan(0);
  }, 240_000);
});

/** A query value or path segment: hostile strings, numbers and structures flattened to text. */
function hostileText(rnd: Random): string {
  const value = hostile(rnd);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** encodeURIComponent, except that a lone surrogate (which it cannot encode) goes out as its raw CESU-8 bytes. */
function encodeSegment(text: string): string {
  return text.replace(/[\s\S]/gu, (char) => {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff)
      return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(char);
  });
}

const QUERY_PARAMS = [
  "category",
  "min_price",
  "max_price",
  "in_stock",
  "is_featured",
  "name",
  "search",
  "ordering",
  "page",
  "page_size",
  "status",
  "cursor",
] as const;

const LIST_PATHS = [
  "/api/v1/products/",
  "/api/v2/products/",
  "/api/v1/reviews/",
  "/api/v1/orders/",
  "/api/v1/categories/",
];
const DETAIL_PATHS = [
  "products",
  "reviews",
  "orders",
  "categories",
  "products/{}/reviews",
  "categories/{}/products",
];

describe("fuzz: query parameters and path segments", () => {
  it(`${READS} seeded reads: no 5xx, 4xx DRF-shaped (or a 404)`, async () => {
    const rnd = prng(SEED + 1);
    for (let n = 0; n < READS; n++) {
      let path: string;
      if (rnd() < 0.6) {
        const params = new URLSearchParams();
        const count = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < count; i++) params.append(pick(rnd, QUERY_PARAMS), hostileText(rnd));
        path = `${pick(rnd, LIST_PATHS)}?${params.toString()}`;
      } else {
        const template = pick(rnd, DETAIL_PATHS);
        const segment = encodeSegment(hostileText(rnd)).slice(0, 2000);
        path = template.includes("{}")
          ? `/api/v1/${template.replace("{}", segment)}/`
          : `/api/v1/${template}/${segment}/`;
      }
      const res = await customer.get(path);
      const replay = `FUZZ_SEED=${SEED} read ${n}: GET ${path.slice(0, 2000)} -> ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, replay).toBeLessThan(500);
      if (res.status >= 400 && res.data !== undefined) expect(isDrfErrorBody(res.data), replay).toBe(true);
      if (res.status >= 400 && res.status !== 404) expect(res.data, replay).toBeDefined();
    }
  }, 240_000);
});

// The inputs this pass once left out because each was a 500 on PostgreSQL (text and
// jsonb refuse NUL and lone surrogates; an integer lookup past int4 overflowed): each
// is now a 400 naming the field, with DRF's message, and writes nothing.
describe("fuzz: NUL, lone surrogates and related pks past the integer column", () => {
  const product = (patch: Record<string, unknown>) => ({
    ...TARGETS[0]?.valid(0),
    slug: "bad-chars",
    ...patch,
  });
  const cases: [string, () => APIClient, string, Record<string, unknown>, unknown][] = [
    [
      "product name NUL",
      () => manager,
      "/api/v1/products/",
      product({ name: "a\u0000b" }),
      { name: ["Null characters are not allowed."] },
    ],
    [
      "product name surrogate",
      () => manager,
      "/api/v1/products/",
      product({ name: "a\ud800" }),
      { name: ["Surrogate characters are not allowed: U+D800."] },
    ],
    [
      "product description surrogate",
      () => manager,
      "/api/v1/products/",
      product({ description: "\udfff" }),
      { description: ["Surrogate characters are not allowed: U+DFFF."] },
    ],
    [
      "product tag NUL",
      () => manager,
      "/api/v1/products/",
      product({ tags: ["ok", "a\u0000"] }),
      { tags: { 1: ["Null characters are not allowed."] } },
    ],
    [
      "product tag surrogate",
      () => manager,
      "/api/v1/products/",
      product({ tags: ["\ud800"] }),
      { tags: { 0: ["Surrogate characters are not allowed: U+D800."] } },
    ],
    [
      "metadata value NUL",
      () => manager,
      "/api/v1/products/",
      product({ metadata: { c: "a\u0000" } }),
      { metadata: ["Null characters are not allowed."] },
    ],
    [
      "metadata key NUL",
      () => manager,
      "/api/v1/products/",
      product({ metadata: { "\u0000": 1 } }),
      { metadata: ["Null characters are not allowed."] },
    ],
    [
      "metadata nested surrogate",
      () => manager,
      "/api/v1/products/",
      product({ metadata: { a: [{ b: "\ud800" }] } }),
      { metadata: ["Surrogate characters are not allowed: U+D800."] },
    ],
    [
      "metadata key surrogate",
      () => manager,
      "/api/v1/products/",
      product({ metadata: { "\udc00": 1 } }),
      { metadata: ["Surrogate characters are not allowed: U+DC00."] },
    ],
    [
      "product category NUL",
      () => manager,
      "/api/v1/products/",
      product({ category: "\u0000" }),
      { category: ["Invalid value."] },
    ],
    [
      "product category surrogate",
      () => manager,
      "/api/v1/products/",
      product({ category: "books\ud800" }),
      { category: ["Invalid value."] },
    ],
    [
      "registration NUL",
      () => t.client(),
      "/api/v1/users/",
      {
        username: "nul\u0000user",
        email: "nul@example.com",
        password: "fuzz-password-1",
        first_name: "\u0000",
      },
      { username: ["Null characters are not allowed."], first_name: ["Null characters are not allowed."] },
    ],
    [
      "registration surrogate",
      () => t.client(),
      "/api/v1/users/",
      { username: "surrogate", email: "s@example.com", password: "fuzz-password-1\udc00" },
      { password: ["Surrogate characters are not allowed: U+DC00."] },
    ],
    [
      "profile NUL",
      () => customer,
      "/api/v1/users/me/",
      { last_name: "x\u0000" },
      { last_name: ["Null characters are not allowed."] },
    ],
    [
      "review NUL",
      () => customer,
      "/api/v1/products/61/add-review/",
      { rating: 3, comment: "x\u0000" },
      { comment: ["Null characters are not allowed."] },
    ],
    [
      "review surrogate",
      () => customer,
      "/api/v1/products/61/add-review/",
      { rating: 3, comment: "x\ud800" },
      { comment: ["Surrogate characters are not allowed: U+D800."] },
    ],
    [
      "order product 2**31",
      () => customer,
      "/api/v1/orders/",
      { items: [{ product: 2147483648, quantity: 1 }] },
      { items: [{ product: ['Invalid pk "2147483648" - object does not exist.'] }] },
    ],
    [
      "order product -2**31-1",
      () => customer,
      "/api/v1/orders/",
      {
        items: [
          { product: 7, quantity: 1 },
          { product: -2147483649, quantity: 1 },
        ],
      },
      { items: [{}, { product: ['Invalid pk "-2147483649" - object does not exist.'] }] },
    ],
    [
      "order product '2**31'",
      () => customer,
      "/api/v1/orders/",
      { items: [{ product: "2147483648", quantity: 1 }] },
      { items: [{ product: ['Invalid pk "2147483648" - object does not exist.'] }] },
    ],
  ];
  it.each(cases)("%s: 400 with DRF's message, nothing written", async (_name, client, path, body, error) => {
    const before = await rowCounts();
    const reviews = await Review.objects.count();
    const me = await User.objects.get({ username: "margaret16" });
    const res = path.endsWith("/me/") ? await client().patch(path, body) : await client().post(path, body);
    expect(res.status, res.text).toBe(400);
    expect(res.data).toEqual(error);
    expect(await rowCounts()).toEqual(before);
    expect(await Review.objects.count()).toBe(reviews);
    expect((await User.objects.get({ username: "margaret16" })).last_name).toBe(me.last_name);
  });

  it("list filters and detail paths with NUL, lone surrogates or ids past int4: 400 or 404, never a 500", async () => {
    for (const [path, status, body] of [
      ["/api/v1/products/?category=%00", 400, { category: ["Null characters are not allowed."] }],
      ["/api/v1/products/?name=a%00", 400, { name: ["Null characters are not allowed."] }],
      ["/api/v1/products/?category=2147483648", 200, undefined],
      ["/api/v1/products/?search=%ED%A0%80", 200, undefined],
      ["/api/v1/products/?search=%00&ordering=%00", 200, undefined],
      ["/api/v1/products/%00/", 404, { detail: "Not found." }],
      ["/api/v1/orders/2147483648/", 404, { detail: "Not found." }],
      ["/api/v1/reviews/-2147483649/", 404, { detail: "Not found." }],
      [`/api/v1/products/${encodeSegment("\ud800")}/reviews/`, 404, { detail: "Not found." }],
    ] as const) {
      const res = await customer.get(path);
      expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(status);
      if (body) expect(res.data, path).toEqual(body);
    }
  });
});
