import type { Operation } from "./operations.js";

/** A migration: its app, name ("0002_product_price"), the migrations it needs first, and its operations. */
export interface Migration {
  app: string;
  name: string;
  /** [app, name] pairs applied before this one (same-app predecessor included) */
  dependencies: readonly (readonly [string, string])[];
  operations: readonly Operation[];
}

/** Identity helper that types a migration file's default export. */
export function defineMigration(migration: Migration): Migration {
  return migration;
}

export function keyOf(app: string, name: string): string {
  return `${app}.${name}`;
}
