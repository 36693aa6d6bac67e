import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withThroughModels } from "../ddl/schema.js";
import { projectStateFromModels } from "../ddl/state.js";
import { allModels } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";
import { diffApp, externalDependencies, suggestName } from "./autodetector.js";
import { finalState } from "./executor.js";
import { MigrationGraph } from "./graph.js";
import { loadMigrations, type MigrationSource } from "./loader.js";
import type { Migration } from "./migration.js";
import { cloneState } from "./state.js";
import { type MigrationFormat, writeMigration } from "./writer.js";

export interface MakeMigrationsOptions {
  /** app label → the directory holding its migration files */
  dirs: Readonly<Record<string, string>>;
  /** apps to write migrations for (default: every app in `dirs`) */
  apps?: readonly string[];
  /** the current models (default: every model defined so far) */
  models?: readonly AnyModel[];
  /** migrations of other apps that are not written here (e.g. a package's shipped migrations) */
  extra?: readonly MigrationSource[];
  /** the name after the number (default: derived from the operations) */
  name?: string;
  format?: MigrationFormat;
  /** compute, but write nothing */
  dryRun?: boolean;
  /** where generated TypeScript imports `defineMigration`/`operations` from (default "@x/models") */
  importFrom?: string;
  /** write merge migrations for apps whose migrations branched (Django's --merge), and nothing else */
  merge?: boolean;
}

export interface WrittenMigration {
  migration: Migration;
  path: string;
  text: string;
  /** things migrate may refuse (a NOT NULL field added without a default) */
  warnings: string[];
}

function warningsFor(migration: Migration): string[] {
  return migration.operations.flatMap((op) =>
    (op.op === "AddField" || (op.op === "AlterField" && op.oldField?.null === true)) &&
    op.field.column !== null &&
    !op.field.null &&
    op.field.default === undefined
      ? [
          `${op.op} ${op.model}.${op.name}: non-nullable without a default — migrate fails if the table has rows (AddField) or nulls (AlterField); give the field a default or null: true, or edit "default" into the migration`,
        ]
      : [],
  );
}

function nextNumber(existing: readonly Migration[]): string {
  const max = existing.reduce((n, m) => Math.max(n, Number.parseInt(m.name.slice(0, 4), 10) || 0), 0);
  return String(max + 1).padStart(4, "0");
}

/**
 * Django's `makemigrations`: diffs the current models against the state the
 * existing migration files build, and writes one new migration per changed app
 * (nothing when nothing changed). Cross-app references become dependencies on
 * the other app's latest migration.
 */
export async function makeMigrations(options: MakeMigrationsOptions): Promise<WrittenMigration[]> {
  const format = options.format ?? "ts";
  const apps = options.apps ?? Object.keys(options.dirs);
  const existing = await loadMigrations([
    ...Object.values(options.dirs).map((dir) => ({ dir })),
    ...(options.extra ?? []),
  ]);
  if (options.merge) return writeMerges(existing, options);
  const graph = new MigrationGraph(existing);
  const from = finalState(graph.order());
  // Automatic join-table models are migrated like any other model.
  const live = projectStateFromModels(withThroughModels(options.models ?? allModels()));
  // Apps not written here keep the state their own migrations give them.
  const to = cloneState(from);
  for (const app of apps) {
    for (const [label, model] of to) if (model.app === app) to.delete(label);
    for (const [label, model] of live) if (model.app === app) to.set(label, model);
  }

  const planned = new Map<string, Migration>();
  for (const app of [...apps].sort()) {
    const operations = diffApp(app, from, to);
    if (operations.length === 0) continue;
    const ofApp = existing.filter((m) => m.app === app);
    const number = nextNumber(ofApp);
    planned.set(app, {
      app,
      name: `${number}_${options.name ?? suggestName(operations, ofApp.length === 0)}`,
      dependencies: [],
      operations,
    });
  }
  const out: WrittenMigration[] = [];
  for (const [app, migration] of planned) {
    const deps: [string, string][] = [];
    const own = graph.leaves(app)[0];
    if (own) deps.push([app, own.name]);
    for (const other of externalDependencies(app, migration.operations)) {
      const leaf = planned.get(other)?.name ?? graph.leaves(other)[0]?.name;
      if (!leaf)
        throw new Error(
          `${app} refers to models of '${other}', which has no migrations: add '${other}' to dirs or extra`,
        );
      deps.push([other, leaf]);
    }
    const full: Migration = { ...migration, dependencies: deps };
    const dir = options.dirs[app];
    if (!dir) throw new Error(`No migrations directory for app '${app}'`);
    const path = join(dir, `${full.name}.${format}`);
    const text = writeMigration(full, format, options.importFrom);
    if (!options.dryRun) {
      await mkdir(dir, { recursive: true });
      await writeFile(path, text);
    }
    out.push({ migration: full, path, text, warnings: warningsFor(full) });
  }
  return out;
}

/** One empty migration per branched app, depending on every leaf (Django's `makemigrations --merge`). */
async function writeMerges(
  existing: readonly Migration[],
  options: MakeMigrationsOptions,
): Promise<WrittenMigration[]> {
  const graph = new MigrationGraph(existing, { allowConflicts: true });
  const format = options.format ?? "ts";
  const out: WrittenMigration[] = [];
  for (const [app, leaves] of graph.conflicts()) {
    const dir = options.dirs[app];
    if (!dir) continue;
    const number = nextNumber(existing.filter((m) => m.app === app));
    // Django's naming: the merged leaves' names, or a timestamp when that is too long.
    const joined = leaves.map((m) => m.name).join("_");
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "_");
    const suffix = options.name ?? `merge_${joined.length > 47 ? stamp : joined}`;
    const migration: Migration = {
      app,
      name: `${number}_${suffix}`,
      dependencies: leaves.map((m) => [app, m.name] as [string, string]),
      operations: [],
    };
    const path = join(dir, `${migration.name}.${format}`);
    const text = writeMigration(migration, format, options.importFrom);
    if (!options.dryRun) await writeFile(path, text);
    out.push({ migration, path, text, warnings: [] });
  }
  return out;
}
