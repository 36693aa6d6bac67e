// manage.py-style entry points: parse Django's arguments, run, print, return an exit code.
import type { Database } from "../db/database.js";
import type { AnyModel } from "../model/types.js";
import { formatShowMigrations, migrate, showMigrations, sqlMigrate } from "./executor.js";
import type { MigrationSource } from "./loader.js";
import { makeMigrations } from "./makemigrations.js";
import type { MigrationFormat } from "./writer.js";

export interface MigrationCommandConfig {
  /** app label → its migrations directory (the apps this project writes migrations for) */
  dirs: Readonly<Record<string, string>>;
  /** other apps' migrations (e.g. a package's shipped ones) */
  extra?: readonly MigrationSource[];
  models?: readonly AnyModel[];
  database?: Database;
  format?: MigrationFormat;
  importFrom?: string;
  /** where output lines go (default console.log) */
  out?: (line: string) => void;
}

function sources(config: MigrationCommandConfig): MigrationSource[] {
  return [...Object.values(config.dirs).map((dir) => ({ dir })), ...(config.extra ?? [])];
}

function flagValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

/**
 * Runs `makemigrations [app…] [--name N] [--dry-run] [--check] [--merge]`,
 * `migrate [app [name|zero]] [--fake] [--fake-initial]`, `showmigrations [app…]` or
 * `sqlmigrate app name [--backwards]`
 * with Django's meaning; returns the process exit code (1 for `--check` with changes).
 */
export async function runMigrationCommand(
  argv: readonly string[],
  config: MigrationCommandConfig,
): Promise<number> {
  const out = config.out ?? ((line: string) => console.log(line));
  const [command, ...rest] = argv;
  const args = [...rest];
  switch (command) {
    case "makemigrations": {
      const name = flagValue(args, "--name");
      const dryRun = flag(args, "--dry-run");
      const check = flag(args, "--check");
      const merge = flag(args, "--merge");
      const written = await makeMigrations({
        dirs: config.dirs,
        apps: args.length > 0 ? args : undefined,
        models: config.models,
        extra: config.extra,
        name,
        dryRun: dryRun || check,
        merge,
        format: config.format,
        importFrom: config.importFrom,
      });
      if (written.length === 0) out("No changes detected");
      for (const w of written) {
        out(`Migrations for '${w.migration.app}':`);
        out(`  ${w.path}`);
        for (const warning of w.warnings) out(`  ! ${warning}`);
        for (const op of w.migration.operations)
          out(
            `    - ${op.op}${"model" in op ? ` ${typeof op.model === "string" ? op.model : op.model.label}` : ""}${"name" in op ? `.${op.name}` : ""}`,
          );
      }
      return check && written.length > 0 ? 1 : 0;
    }
    case "migrate": {
      const fake = flag(args, "--fake");
      const fakeInitial = flag(args, "--fake-initial");
      const [app, name] = args;
      if (app !== undefined && name === undefined) {
        // `migrate app`: everything of that app (and what it needs).
        const entries = (
          await showMigrations({ migrations: sources(config), database: config.database })
        ).filter((e) => e.app === app);
        const last = entries[entries.length - 1];
        if (!last) throw new Error(`App '${app}' has no migrations`);
        await migrate({
          migrations: sources(config),
          database: config.database,
          target: [app, last.name],
          fake,
          log: out,
        });
        return 0;
      }
      const target = app !== undefined && name !== undefined ? ([app, name] as const) : undefined;
      await migrate({
        migrations: sources(config),
        database: config.database,
        target,
        fake,
        fakeInitial,
        log: out,
      });
      return 0;
    }
    case "showmigrations": {
      const entries = await showMigrations({ migrations: sources(config), database: config.database });
      out(formatShowMigrations(args.length > 0 ? entries.filter((e) => args.includes(e.app)) : entries));
      return 0;
    }
    case "sqlmigrate": {
      const backwards = flag(args, "--backwards");
      const [app, name] = args;
      if (!app || !name) throw new Error("Usage: sqlmigrate <app> <migration_name> [--backwards]");
      for (const line of await sqlMigrate({
        migrations: sources(config),
        database: config.database,
        app,
        name,
        backwards,
      }))
        out(line);
      return 0;
    }
    default:
      throw new Error(
        `Unknown command '${command ?? ""}': use makemigrations, migrate, showmigrations or sqlmigrate`,
      );
  }
}
