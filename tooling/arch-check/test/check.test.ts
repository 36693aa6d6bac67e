import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM module without declarations
import { checkArchitecture, importsOf } from "../check.mjs";

const repoRoot = resolve(import.meta.dirname, "../../..");

/** Writes a small workspace: { "packages/a/package.json": {...}, "packages/a/src/index.ts": "..." } */
function tree(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), "arch-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content));
  }
  return root;
}
const pkg = (name: string, deps: string[] = []) => ({
  name,
  dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:*"])),
});

describe("architecture check", () => {
  it("passes on this repository", () => {
    expect(checkArchitecture(repoRoot)).toEqual([]);
  });

  it("passes on a sound fixture tree", () => {
    const root = tree({
      "packages/models/package.json": pkg("@x/models"),
      "packages/models/src/index.ts": `export const a = 1;\nimport { b } from "./b.js";`,
      "packages/serializers/package.json": pkg("@x/serializers", ["@x/models"]),
      "packages/serializers/src/index.ts": `import { a } from "@x/models";\nimport type { T } from "@x/models";`,
    });
    expect(checkArchitecture(root)).toEqual([]);
  });

  it("fails on a deep import of another package's internals", () => {
    const root = tree({
      "packages/views/package.json": pkg("@x/views"),
      "packages/views/src/index.ts": "export const v = 1;",
      "packages/routers/package.json": pkg("@x/routers", ["@x/views"]),
      "packages/routers/src/index.ts": `import { v } from "@x/views/src/request.js";`,
    });
    expect(checkArchitecture(root)).toEqual([
      `packages/routers/src/index.ts: imports "@x/views/src/request.js", an internal module of @x/views; import "@x/views" instead`,
    ]);
  });

  it("fails on a relative import that leaves the package", () => {
    const root = tree({
      "packages/models/package.json": pkg("@x/models"),
      "packages/models/src/index.ts": "export {};",
      "packages/serializers/package.json": pkg("@x/serializers", ["@x/models"]),
      "packages/serializers/src/index.ts": `export * from "../../models/src/index.js";`,
    });
    expect(checkArchitecture(root)).toEqual([
      `packages/serializers/src/index.ts: relative import "../../models/src/index.js" leaves package @x/serializers`,
    ]);
  });

  it("fails on an import of an undeclared workspace package", () => {
    const root = tree({
      "packages/models/package.json": pkg("@x/models"),
      "packages/models/src/index.ts": "export {};",
      "packages/filters/package.json": pkg("@x/filters"),
      "packages/filters/src/index.ts": `const m = await import("@x/models");`,
    });
    expect(checkArchitecture(root)).toEqual([
      "packages/filters/src/index.ts: imports @x/models, which @x/filters does not declare in package.json",
    ]);
  });

  it("fails on a dependency cycle and on a dependency against the layer order", () => {
    const root = tree({
      "packages/models/package.json": pkg("@x/models", ["@x/serializers"]),
      "packages/models/src/index.ts": `import "@x/serializers";`,
      "packages/serializers/package.json": pkg("@x/serializers", ["@x/models"]),
      "packages/serializers/src/index.ts": `import "@x/models";`,
    });
    const violations = checkArchitecture(root);
    expect(violations).toContain(
      "@x/models depends on @x/serializers: against the layer order models ← serializers ← views ← {routers, auth, filters} ← apps",
    );
    expect(violations).toContain("dependency cycle: @x/models -> @x/serializers -> @x/models");
  });

  it("reads static, re-export, side-effect and dynamic imports", () => {
    expect(
      importsOf(
        `import a from "a";\nexport { b } from "b";\nimport "c";\nconst d = await import("d");\nimport type { E } from "e";`,
      ),
    ).toEqual(["a", "b", "c", "d", "e"]);
  });
});
