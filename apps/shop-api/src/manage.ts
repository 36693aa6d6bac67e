#!/usr/bin/env node
// Django's manage.py for the shop-api: `pnpm --filter shop-api manage <command>`.
import { parseArgs } from "node:util";
import { userService } from "@x/auth";
import {
  closeDatabase,
  configureDatabase,
  dumpData,
  formatShowMigrations,
  loadData,
  makeMigrations,
  showMigrations,
} from "@x/models";
import { createApp } from "./app.js";
import { flushDatabase } from "./commands/flush.js";
import { Product } from "./products/models.js";
import { DEMO_FIXTURE, migrateProject, migrationDirs, migrationSources, projectModels } from "./project.js";
import { runCluster, serveApp } from "./server.js";
import { ConfigError, readConfig } from "./settings/env.js";
import { User } from "./users/models.js";

const USAGE = `usage: manage <command> [options]

  migrate                     apply the migrations and create model permissions
  makemigrations [--name N]   write migrations for changed models
  showmigrations              list migrations, [X] = applied
  flush --no-input            delete every row (keeps the tables)
  loaddata <file>...          load Django fixtures (one transaction)
  dumpdata [app[.Model]]...   print the data as a Django fixture
  createsuperuser --username U --email E [--password P]   (or DJANGO_SUPERUSER_PASSWORD)
  flushexpiredtokens          delete expired JWT outstanding tokens
  runserver [--port N]        serve on one process
  start [--port N] [--workers N]   production: a cluster with graceful shutdown
  quickstart [--port N]       migrate, load the demo data once, serve`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function serve(port: number, config: ReturnType<typeof readConfig>): Promise<void> {
  const shop = createApp(config, { nodeHeaders: true });
  await serveApp(shop.app, {
    port,
    response: await shop.nodeResponse(),
    onListen: (p) => out(`shop-api listening on http://localhost:${p}/api/v1/ (pid ${process.pid})`),
    onClose: () => shop.close(),
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      workers: { type: "string" },
      name: { type: "string" },
      username: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      "no-input": { type: "boolean" },
    },
  });
  const config = readConfig();
  const port = values.port ? Number(values.port) : config.port;

  if (command === "runserver") {
    await serve(port, config);
    return -1; // keep running
  }
  if (command === "start") {
    const workers = Number(values.workers ?? 2);
    runCluster(workers, () => serve(port, config));
    return -1;
  }

  configureDatabase(config.databaseUrl);
  try {
    switch (command) {
      case "migrate":
        await migrateProject(out);
        return 0;
      case "makemigrations": {
        const written = await makeMigrations({
          dirs: migrationDirs(),
          models: projectModels(),
          format: "json",
          ...(values.name ? { name: values.name } : {}),
        });
        if (written.length === 0) out("No changes detected");
        for (const w of written) out(`Migrations for '${w.migration.app}':\n  ${w.path}`);
        return 0;
      }
      case "showmigrations":
        out(formatShowMigrations(await showMigrations({ migrations: migrationSources() })));
        return 0;
      case "flush":
        if (!values["no-input"]) {
          out("flush deletes every row: run it with --no-input to confirm");
          return 1;
        }
        await flushDatabase(projectModels());
        return 0;
      case "loaddata": {
        if (positionals.length === 0) throw new ConfigError("loaddata needs at least one fixture file");
        const result = await loadData(positionals);
        out(`Installed ${result.objectCount} object(s) from ${result.fixtureCount} fixture(s)`);
        return 0;
      }
      case "dumpdata":
        out(JSON.stringify(await dumpData(positionals.length ? positionals : undefined), null, 2));
        return 0;
      case "createsuperuser": {
        const password = values.password ?? process.env.DJANGO_SUPERUSER_PASSWORD;
        if (!values.username || !password)
          throw new ConfigError(
            "createsuperuser needs --username and --password (or DJANGO_SUPERUSER_PASSWORD)",
          );
        await userService(User).createSuperuser(values.username, values.email ?? "", password);
        out("Superuser created successfully.");
        return 0;
      }
      case "flushexpiredtokens": {
        const shop = createApp(config, { connectDatabase: false });
        const removed = await shop.jwt.flushExpiredTokens();
        out(`Deleted ${removed} expired token(s).`);
        return 0;
      }
      case "quickstart": {
        await migrateProject(out);
        if (!(await Product.objects.exists())) {
          const result = await loadData([DEMO_FIXTURE]);
          out(`Loaded the demo data: ${result.objectCount} objects`);
        } else out("Demo data already present");
        await closeDatabase();
        await serve(port, config);
        return -1;
      }
      default:
        out(USAGE);
        return command ? 1 : 0;
    }
  } finally {
    if (command !== "quickstart") await closeDatabase();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
    process.exit(1);
  },
);
