import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Migration } from "./migration.js";

const FILE_RE = /^(\d{4}_\w+)\.(ts|mts|js|mjs|json)$/;

/** Where migrations come from: migration objects, or directories of migration files. */
export type MigrationSource = Migration | { dir: string };

function check(migration: unknown, file: string, name: string): Migration {
  const m = migration as Partial<Migration> | undefined;
  if (!m || typeof m.app !== "string" || !Array.isArray(m.operations) || !Array.isArray(m.dependencies)) {
    throw new Error(`Migration file ${file} must export default { app, name, dependencies, operations }`);
  }
  if (m.name !== undefined && m.name !== name)
    throw new Error(`Migration file ${file} declares name '${m.name}'; the file name says '${name}'`);
  return { ...(m as Migration), name };
}

/**
 * Reads a directory of migration files `NNNN_name.{ts,js,mjs,json}` (a `.d.ts`
 * is ignored; when a name exists as both .js and .ts the .js wins). TypeScript
 * files need a runtime that imports TypeScript (vitest, tsx); built apps ship .js.
 */
export async function loadMigrationDir(dir: string): Promise<Migration[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
  const byName = new Map<string, string>();
  const rank = (ext: string) => ["js", "mjs", "json", "ts", "mts"].indexOf(ext);
  for (const entry of entries.sort()) {
    if (entry.endsWith(".d.ts")) continue;
    const match = FILE_RE.exec(entry);
    if (!match) continue;
    const [, name, ext] = match;
    const existing = byName.get(name!);
    if (!existing || rank(ext!) < rank(existing.split(".").pop()!)) byName.set(name!, entry);
  }
  const out: Migration[] = [];
  for (const [name, entry] of byName) {
    const file = join(dir, entry);
    if (entry.endsWith(".json")) {
      out.push(check(JSON.parse(await readFile(file, "utf8")), file, name));
    } else {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; migration?: unknown };
      out.push(check(mod.default ?? mod.migration, file, name));
    }
  }
  return out;
}

export async function loadMigrations(sources: readonly MigrationSource[]): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const source of sources) {
    if ("dir" in source) out.push(...(await loadMigrationDir(source.dir)));
    else out.push(source);
  }
  return out;
}
