// Compares a live response with a step recorded from the DRF implementation
// (test/contract/examples.json), after the same normalisation the recording
// used: <host>, <ts>, <token>, <cursor>, <masked>, <n>, plus the recorded
// summaries `_claims` (JWT contents), `_order_keys` and OPTIONS `keys`.
import { readFileSync } from "node:fs";
import { expect } from "vitest";

export interface Example {
  scenario: string;
  step: string;
  method: string;
  path: string;
  status: number;
  headers: { "content-type": string; "retry-after": boolean; "www-authenticate": string | null };
  body: unknown;
}

const all = (
  JSON.parse(readFileSync(new URL("./examples.json", import.meta.url), "utf8")) as { steps: Example[] }
).steps;

export function example(scenario: string, step: string): Example {
  const found = all.find((s) => s.scenario === scenario && s.step === step);
  if (!found) throw new Error(`no recorded step ${scenario} / ${step}`);
  return found;
}

export const recordedSteps = (): readonly Example[] => all;

export interface LiveResponse {
  status: number;
  headers: Headers;
  data: unknown;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function normalizeString(value: string): string {
  return value.replace(/^https?:\/\/testserver/, "<host>").replace(/cursor=[^&]+/, "cursor=<cursor>");
}

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split(".");
  const json = (part: string | undefined) =>
    JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
  return { header: json(h), payload: json(p) };
}

function claimsSummary(token: string, wanted: Record<string, unknown>): Record<string, unknown> {
  const { header, payload } = decodeJwt(token);
  const summary: Record<string, unknown> = {};
  for (const key of Object.keys(wanted)) {
    if (key === "alg") summary.alg = header.alg;
    else if (key === "expires_in_min") summary[key] = (Number(payload.exp) - Number(payload.iat)) / 60;
    else if (key === "iat_present") summary[key] = typeof payload.iat === "number";
    else if (key === "jti_present") summary[key] = typeof payload.jti === "string" && payload.jti !== "";
    else if (key === "keys") summary[key] = Object.keys(payload).sort();
    else summary[key] = payload[key];
  }
  return summary;
}

function matchValue(expected: unknown, actual: unknown, path: string): void {
  if (typeof expected === "string") {
    if (expected === "<masked>") return;
    if (expected === "<token>") {
      expect(typeof actual === "string" && actual.length > 0, `${path} is a token`).toBe(true);
      return;
    }
    if (expected === "<ts>") {
      expect(actual, path).toMatch(ISO);
      return;
    }
    expect(typeof actual, path).toBe("string");
    const live = normalizeString(actual as string);
    if (expected.includes("<n>")) {
      const pattern = new RegExp(
        `^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("<n>", "\\d+")}$`,
      );
      expect(live, path).toMatch(pattern);
      return;
    }
    expect(live, path).toBe(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is a list`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${path} length`).toBe(expected.length);
    expected.forEach((item, i) => {
      matchValue(item, list[i], `${path}[${i}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(
      actual !== null && typeof actual === "object" && !Array.isArray(actual),
      `${path} is an object`,
    ).toBe(true);
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const plainKeys = Object.keys(exp).filter((k) => !k.startsWith("_"));
    if ("_claims" in exp) {
      const claims = exp._claims as Record<string, Record<string, unknown>>;
      for (const [name, wanted] of Object.entries(claims)) {
        expect(claimsSummary(String(act[name]), wanted), `${path}.${name} claims`).toEqual(wanted);
      }
    }
    if ("_order_keys" in exp) {
      const keys = exp._order_keys as unknown[][];
      const results = act.results as Record<string, unknown>[];
      expect(
        results.map((r) => [r.stock]),
        `${path} order keys`,
      ).toEqual(keys);
    }
    expect(Object.keys(act).sort(), `${path} keys`).toEqual(plainKeys.sort());
    for (const key of plainKeys) matchValue(exp[key], act[key], `${path}.${key}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Asserts status, the recorded headers and the body of one step. */
export function expectStep(res: LiveResponse, step: Example): void {
  const where = `${step.scenario} / ${step.step}`;
  expect(res.status, `${where}: status (body ${JSON.stringify(res.data)})`).toBe(step.status);
  expect(res.headers.get("content-type") ?? "", `${where}: content-type`).toContain(
    step.headers["content-type"],
  );
  expect(res.headers.has("retry-after"), `${where}: Retry-After`).toBe(step.headers["retry-after"]);
  expect(res.headers.get("www-authenticate"), `${where}: WWW-Authenticate`).toBe(
    step.headers["www-authenticate"],
  );
  const body = step.body as Record<string, unknown>;
  if (step.method === "OPTIONS" && body && "keys" in body && Object.keys(body).length === 1) {
    expect(Object.keys(res.data as object).sort(), `${where}: OPTIONS keys`).toEqual(body.keys);
    return;
  }
  matchValue(step.body, res.data, where);
}
