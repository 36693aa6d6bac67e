// The schema-driven fuzzer (issue 13, "Bad input"): for every operation of the
// shop-api's OpenAPI document, fast-check draws requests from the operation's
// JSON Schemas — valid ones and mutated ones (hostile values anywhere, wrong
// types, huge numbers, deep nesting, long and non-ASCII strings, NUL bytes,
// duplicate keys, broken JSON, other content types, oversized bodies) — sent
// as an anonymous client, a customer, a manager and an admin. Every answer:
//   - is never a 5xx;
//   - if 2xx, is a status the document lists and its body matches the documented
//     schema strictly (ajv 2020, objects closed as in ../schema-responses.test.ts);
//   - if 4xx, has DRF's error shape;
//   - if a refused write (4xx to POST/PUT/PATCH/DELETE), left every table's row
//     count and checksum (computed by the database, ./database.ts) unchanged.
// Seeded and bounded: FUZZ_SEED (default below), FUZZ_RUNS requests in all
// (default 2,000, spread over the operations). A failure prints fast-check's
// shrunk counterexample: the request (method, path, headers, body) and its seed.
import { test } from "@fast-check/vitest";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createApp } from "../../src/app.js";
import { Order } from "../../src/orders/models.js";
import { Category, Product, Review } from "../../src/products/models.js";
import { readConfig } from "../../src/settings/env.js";
import { rebase, strict } from "../response-schemas.js";
import { isDrfErrorBody } from "../security/helpers.js";
import { createTestShop, PASSWORD, type TestShop } from "../setup.js";
import type { Schema, SchemaContext } from "./arbitraries.js";
import { changedTables, type Snapshot, snapshot } from "./database.js";
import {
  type DocumentedOperation,
  describeRequest,
  type FuzzRequest,
  type Operation,
  type Role,
  requestArbitrary,
} from "./requests.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

// The document the shop serves at /api/schema/, read at collection time (it needs no
// database) so that each operation is its own test. Its schemas are v1's: answers under
// /api/v2/ are checked against the v2 document the shop serves at /api/schema/?version=v2.
const schemaApp = createApp(readConfig({ APP_ENV: "testing", SECRET_KEY: "x".repeat(40) }), {
  connectDatabase: false,
});
async function served(path: string): Promise<Document> {
  const res = await schemaApp.app.request(path, { headers: { Accept: "application/json" } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Document;
}
const doc = await served("/api/schema/");
const v2doc = await served("/api/schema/?version=v2");
const operations: DocumentedOperation[] = Object.entries(doc.paths).flatMap(([route, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method, route, operation })),
);
/** Logins and registration hash a password (hundreds of ms each): they get a third of the share. */
const hashesPassword = (o: DocumentedOperation): boolean =>
  /(AuthToken|TokenObtainPair|Register)Request/.test(JSON.stringify(o.operation.requestBody ?? {}));
const SHARES = operations.reduce((n, o) => n + (hashesPassword(o) ? 1 : 3), 0);
const runsOf = (o: DocumentedOperation): number =>
  Math.max(10, Math.round((RUNS * (hashesPassword(o) ? 1 : 3)) / SHARES));
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// ---- the shop, its users and the real values requests draw from -------------------------

let t: TestShop;
const tokens = new Map<Role, string>();
const known = {
  products: [] as number[],
  reviews: [] as number[],
  orders: [] as number[],
  categories: [] as string[],
  refresh: [] as string[],
  access: [] as string[],
};

const ctx: SchemaContext = {
  components: doc.components.schemas,
  hints: {
    product: () => known.products,
    category: () => known.categories,
    username: () => ["margaret16", "grace17", "manager"],
    password: () => [PASSWORD],
    refresh: () => known.refresh,
    token: () => [...known.access, ...known.refresh],
    quantity: () => [1, 2],
    // pages that exist and prices in the catalogue's range, so filtered lists answer rows
    page: () => [1, 2],
    page_size: () => [1, 10, 100],
    min_price: () => [0, 10, 99.5],
    max_price: () => [50, 500.25],
  },
};
const pathHints = (collection: string, name: string): unknown[] => {
  if (name === "slug") return known.categories;
  if (collection === "products") return known.products;
  if (collection === "reviews") return known.reviews;
  if (collection === "orders") return known.orders;
  return [];
};

async function post(path: string, body: unknown, auth?: string): Promise<Response> {
  return t.shop.app.request(path, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(auth ? { Authorization: auth } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** Fresh real values: every test (operation) starts from the database as it is now. */
async function refreshKnown(): Promise<void> {
  known.products = (await Product.objects
    .filter({ stock__gt: 2 })
    .orderBy("id")
    .valuesList("id", { flat: true })) as number[];
  known.reviews = (await Review.objects.orderBy("id").valuesList("id", { flat: true })) as number[];
  known.orders = (await Order.objects.orderBy("id").valuesList("id", { flat: true })) as number[];
  known.categories = (await Category.objects.orderBy("id").valuesList("slug", { flat: true })) as string[];
  known.refresh = [];
  known.access = [];
  for (const username of ["margaret16", "grace17"]) {
    const pair = (await (await post("/api/v1/auth/jwt/", { username, password: PASSWORD })).json()) as {
      access: string;
      refresh: string;
    };
    known.refresh.push(pair.refresh);
    known.access.push(pair.access);
  }
}

beforeAll(async () => {
  t = await createTestShop();
  for (const [role, username] of [
    ["customer", "margaret16"],
    ["manager", "manager"],
    ["admin", "admin"],
  ] as const) {
    const res = await post("/api/v1/auth/token/", { username, password: PASSWORD });
    tokens.set(role, `Token ${((await res.json()) as { token: string }).token}`);
  }
  await refreshKnown();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

// ---- checks ------------------------------------------------------------------------------

function validatorsOf(document: Document): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "doc", components: strict(document.components) });
  const compiled = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: "#/$defs/body", $defs: { body: rebase(strict(schema)) } });
      compiled.set(key, validate);
    }
    return validate;
  };
}
const validators = { v1: validatorsOf(doc), v2: validatorsOf(v2doc) };

/** The documented response for `status`: from the v2 document under /api/v2/. */
function documentedResponse(documented: DocumentedOperation, r: FuzzRequest, status: number) {
  if (!r.path.startsWith("/api/v2/")) return documented.operation.responses[String(status)];
  const route = documented.route.replace("{version}", "v2");
  return v2doc.paths[route]?.[documented.method]?.responses[String(status)];
}

interface Answer {
  status: number;
  text: string;
  contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON body, checked against a schema
  data: any;
}

async function send(r: FuzzRequest): Promise<Answer> {
  const res = await t.shop.app.request(r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  let data: unknown;
  if (contentType.includes("json") && text !== "") {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  return { status: res.status, text, contentType, data };
}

/** Ids of what a 2xx created, so later requests can address it. */
function remember(r: FuzzRequest, answer: Answer): void {
  const id = (answer.data as { id?: unknown } | undefined)?.id;
  if (r.method !== "POST" || answer.status !== 201 || typeof id !== "number") return;
  if (r.operationId.includes("review")) known.reviews.push(id);
  else if (r.operationId.startsWith("orders")) known.orders.push(id);
}

const statuses = new Map<string, Map<number, number>>();
/** The database as it was after the last request, while no accepted write has changed it since. */
let last: Snapshot | undefined;

async function check(documented: DocumentedOperation, r: FuzzRequest): Promise<void> {
  const write = WRITES.has(r.method);
  if (write) last ??= await snapshot();
  const before = write ? last : undefined;
  const answer = await send(r);
  if (write && answer.status < 400) last = undefined;
  const counts = statuses.get(r.operationId) ?? new Map<number, number>();
  counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
  statuses.set(r.operationId, counts);
  const replay = `FUZZ_SEED=${SEED}\n${describeRequest(r)}\n-> ${answer.status} ${answer.contentType} ${answer.text.slice(0, 600)}`;
  expect(answer.status, replay).toBeLessThan(500);
  if (answer.status < 300) {
    const response = documentedResponse(documented, r, answer.status);
    expect(response, `undocumented status\n${replay}`).toBeDefined();
    const schema = response!.content?.["application/json"]?.schema;
    if (schema === undefined) expect(answer.text, replay).toBe("");
    else {
      const validate = (r.path.startsWith("/api/v2/") ? validators.v2 : validators.v1)(schema);
      const errors = validate(answer.data) ? "" : JSON.stringify(validate.errors?.slice(0, 5));
      expect(errors, `the body does not match the documented schema\n${replay}`).toBe("");
    }
    remember(r, answer);
  } else if (answer.status >= 400) {
    // The contract leaves an unmatched URL's 404 body open (Django answers its HTML page):
    // only a hostile path segment may miss every route.
    const unrouted =
      answer.status === 404 && r.mutation.startsWith("path") && !answer.contentType.includes("json");
    if (!unrouted) expect(isDrfErrorBody(answer.data), `not a DRF error body\n${replay}`).toBe(true);
    if (before) {
      last = await snapshot();
      expect(changedTables(before, last), `a refused write changed rows\n${replay}`).toEqual([]);
    }
  }
}

// ---- one property per operation ---------------------------------------------------------------

describe(`schema-driven fuzz (FUZZ_SEED=${SEED}, about ${RUNS} requests)`, () => {
  operations.forEach((documented, index) => {
    const arbitrary = requestArbitrary(documented, ctx, pathHints, (role) => tokens.get(role));
    test.prop([arbitrary], { numRuns: runsOf(documented), seed: SEED + index, endOnFailure: false })(
      `${documented.method.toUpperCase()} ${documented.route}`,
      async (r) => {
        await check(documented, r);
      },
      120_000,
    );
  });

  // A pass that never reached the database would prove little: most operations answered a 2xx,
  // and every operation refused something.
  test("the pass reached both sides of every operation", async () => {
    const summary = [...statuses].map(
      ([op, counts]) => `${op}: ${[...counts].map(([s, n]) => `${s}×${n}`).join(" ")}`,
    );
    console.info(`fuzz statuses (FUZZ_SEED=${SEED}):\n${summary.join("\n")}`);
    const refusedNothing = operations.filter(
      (o) => ![...(statuses.get(o.operation.operationId)?.keys() ?? [])].some((s) => s >= 400),
    );
    expect(refusedNothing.map((o) => o.operation.operationId)).toEqual([]);
    const accepted = operations.filter((o) =>
      [...(statuses.get(o.operation.operationId)?.keys() ?? [])].some((s) => s < 300),
    );
    expect(accepted.length).toBeGreaterThan(operations.length * 0.75);
  });
});
