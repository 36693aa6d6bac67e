// Everything the command line and the tests need to know about the project:
// its models, where its migrations live, and the setup that Django runs on
// migrate (creating the add/change/delete/view permissions of every model).
import { fileURLToPath } from "node:url";
import { createPermissions } from "@x/auth";
import { type AnyModel, allModels, type MigrationSource, migrate } from "@x/models";
// Importing the modules registers their models.
import "./orders/models.js";
import "./products/models.js";
import "./users/models.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));
export const DEMO_FIXTURE = fileURLToPath(new URL("../fixtures/shop.json", import.meta.url));

export function projectModels(): AnyModel[] {
  return allModels().filter((model) => !model.meta.abstract);
}

/** One migrations folder per app label. */
export function migrationDirs(): Record<string, string> {
  const labels = [...new Set(projectModels().map((m) => m.meta.appLabel))].sort();
  return Object.fromEntries(labels.map((label) => [label, `${MIGRATIONS_DIR}${label}`]));
}

export function migrationSources(): MigrationSource[] {
  return Object.values(migrationDirs()).map((dir) => ({ dir }));
}

/** `manage migrate`: apply the migrations, then create the models' default permissions. */
export async function migrateProject(log: (line: string) => void = () => {}): Promise<void> {
  await migrate({ migrations: migrationSources(), log });
  await createPermissions(projectModels());
}
