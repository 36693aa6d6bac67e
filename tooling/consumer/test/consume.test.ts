import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const here = resolve(import.meta.dirname, "..");

it("imports every package by name from its built dist/ with declarations", () => {
  const out = execFileSync(process.execPath, ["consume.mjs"], { cwd: here, encoding: "utf8" });
  const report = JSON.parse(out) as Record<string, { resolved: string; exports: number }>;
  expect(Object.keys(report)).toHaveLength(6);
  for (const [name, { resolved, exports }] of Object.entries(report)) {
    expect(resolved, name).toMatch(/[/\\]dist[/\\]index\.js$/);
    expect(existsSync(resolved.replace(/index\.js$/, "index.d.ts")), `${name} declarations`).toBe(true);
    expect(exports, `${name} exports something`).toBeGreaterThan(0);
  }
});
