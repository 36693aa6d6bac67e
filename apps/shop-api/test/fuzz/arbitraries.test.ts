// The fuzzer's JSON-Schema → arbitrary mapping is itself checked: what `valid()` draws
// for every request body and parameter of the served document satisfies that schema
// (ajv 2020), and a mutated request differs from every valid one it could stand for.
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { readConfig } from "../../src/settings/env.js";
import { hostile, type Schema, type SchemaContext, valid } from "./arbitraries.js";
import { encode, type Operation, requestArbitrary } from "./requests.js";

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const shop = createApp(readConfig({ APP_ENV: "testing", SECRET_KEY: "x".repeat(40) }), {
  connectDatabase: false,
});
const doc = (await (
  await shop.app.request("/api/schema/", { headers: { Accept: "application/json" } })
).json()) as Document;
const ctx: SchemaContext = { components: doc.components.schemas, hints: {} };
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: "doc", components: doc.components });
const rebase = (schema: Schema): Schema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'));

const operations = Object.entries(doc.paths).flatMap(([route, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method, route, operation })),
);

describe("the JSON-Schema → arbitrary mapping", () => {
  it("draws request bodies every documented request schema accepts", () => {
    let checked = 0;
    for (const { operation } of operations) {
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      if (!schema) continue;
      const validate = ajv.compile(rebase(schema));
      for (const value of fc.sample(valid(schema, ctx), { numRuns: 60, seed: 1 })) {
        expect(
          validate(value),
          `${operation.operationId} ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(600);
  });

  it("draws path and query parameters their schemas accept", () => {
    for (const { operation } of operations) {
      for (const p of operation.parameters ?? []) {
        const validate = ajv.compile(p.schema);
        for (const value of fc.sample(valid(p.schema, ctx), { numRuns: 30, seed: 2 }))
          expect(validate(value), `${operation.operationId} ${p.name}=${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it("hostile values include what breaks naive servers", () => {
    const drawn = fc.sample(hostile(), { numRuns: 3000, seed: 3 });
    const strings = drawn.filter((v): v is string => typeof v === "string");
    expect(strings.some((s) => s.includes("\u0000"))).toBe(true);
    expect(strings.some((s) => s.length >= 10_000)).toBe(true);
    expect(
      drawn.some((v) => typeof v === "number" && !Number.isSafeInteger(v) && Math.abs(v) > 2 ** 53),
    ).toBe(true);
    expect(drawn.some((v) => Array.isArray(v) && JSON.stringify(v).startsWith("[[[[[[[[[["))).toBe(true);
    expect(drawn.some((v) => v === null)).toBe(true);
  });

  it("a lone surrogate goes out as invalid UTF-8, not as an encoding error", () => {
    expect(encode("a\ud800b")).toBe("a%ED%A0%80b");
    expect(encode("ü/ ")).toBe("%C3%BC%2F%20");
  });

  it("requests are half valid, half mutated, across all four roles, and print as replayable requests", () => {
    const create = operations.find((o) => o.operation.operationId === "product_create")!;
    const drawn = fc.sample(
      requestArbitrary(
        create,
        ctx,
        () => [],
        (role) => (role === "anonymous" ? undefined : `Token ${role}`),
      ),
      { numRuns: 400, seed: 4 },
    );
    const valid = drawn.filter((r) => r.mutation === "valid").length;
    expect(valid).toBeGreaterThan(100);
    expect(valid).toBeLessThan(300);
    expect(new Set(drawn.map((r) => r.role))).toEqual(new Set(["anonymous", "customer", "manager", "admin"]));
    expect(drawn.some((r) => r.headers["Content-Type"] !== "application/json")).toBe(true);
    expect(drawn.some((r) => (r.body?.length ?? 0) > 2_500_000)).toBe(true);
    const printed = fc.stringify(drawn.find((r) => r.role === "manager")!);
    expect(printed).toMatch(
      /product_create \[.+\] as manager\n {2}POST \/api\/v[12]\/products\/\n {2}Accept: "application\/json"/,
    );
    expect(printed).toContain('Authorization: "Token manager"');
  });
});
