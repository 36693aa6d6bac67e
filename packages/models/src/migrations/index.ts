// Schema migrations: state from model definitions, makemigrations, migrate (both ways), showmigrations.

export {
  type ConstraintState,
  type FieldState,
  type IndexState,
  type ModelState,
  modelStateFromModel,
  type ProjectState,
  projectStateFromModels,
  type UniqueConstraintState,
} from "../ddl/state.js";
export { diffApp } from "./autodetector.js";
export { type MigrationCommandConfig, runMigrationCommand } from "./commands.js";
export {
  formatShowMigrations,
  type MigrateOptions,
  type MigrateResult,
  migrate,
  type ShowMigrationsEntry,
  type SqlMigrateOptions,
  showMigrations,
  sqlMigrate,
} from "./executor.js";
export { MigrationGraph } from "./graph.js";
export { loadMigrationDir, loadMigrations, type MigrationSource } from "./loader.js";
export { type MakeMigrationsOptions, makeMigrations, type WrittenMigration } from "./makemigrations.js";
export { defineMigration, type Migration } from "./migration.js";
export {
  IrreversibleError,
  type Operation,
  operations,
  type RunCodeContext,
  type SqlByVendor,
} from "./operations.js";
export { MIGRATIONS_TABLE } from "./recorder.js";
export { type MigrationFormat, writeMigration } from "./writer.js";
