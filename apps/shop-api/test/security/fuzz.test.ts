// A small seeded fuzz pass over the public write bodies (product create, order
// create, registration, JWT refresh and verify) and the list query parameters and
// detail path segments: wrong types, non-ASCII, huge numbers, nested objects,
// duplicate keys, broken raw JSON, NUL bytes and other content types. Never a 5xx,
// every 4xx is DRF-shaped, and a refused write leaves the row counts unchanged.
// Bounded: FUZZ_REQUESTS (default 900, at most 1,000) requests from FUZZ_SEED;
// a failure prints the seed, the case number and the raw request to replay.
import type { APIClient, TestResponse } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderItem } from "../../src/orders/models.js";
import { Product } from "../../src/products/models.js";
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

// Left out until the packages handle them (SECURITY.md, "Known gaps"), since each is a
// 500 on PostgreSQL: NUL inside JSON strings (@x/serializers' CharField does not refuse
// it as DRF's does), lone surrogates (PostgreSQL's jsonb rejects them) and related pks
// beyond the integer column range (see `inColumnRange`). NUL bytes outside strings
// (broken JSON) are in the raw bodies below.
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
] as const;

const NUMBERS = [0, -1, 1, 1.5, -0.01, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 1e-300, 12.345] as const;

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

/** An integer-like value beyond PostgreSQL's integer range, clamped into it (a known gap for related pks). */
function inColumnRange(value: unknown): unknown {
  const n = typeof value === "number" || typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isInteger(n) && Math.abs(n) > 2147483647 ? 2147483647 : value;
}

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
      item[key] = key === "product" ? inColumnRange(hostile(rnd)) : hostile(rnd);
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
        const segment = encodeURIComponent(String(inColumnRange(hostileText(rnd)))).slice(0, 2000);
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
