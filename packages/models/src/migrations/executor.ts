import type { Database } from "../db/database.js";
import { getDatabase } from "../db/registry.js";
import type { ProjectState } from "../ddl/state.js";
import { atomic } from "../transaction.js";
import { MigrationGraph } from "./graph.js";
import { loadMigrations, type MigrationSource } from "./loader.js";
import { keyOf, type Migration } from "./migration.js";
import {
  databaseBackwards,
  databaseForwards,
  describeOperation,
  runCodeContext,
  type Step,
  stateForwards,
} from "./operations.js";
import { appliedMigrations, isApplied, recordApplied, recordUnapplied } from "./recorder.js";
import { cloneState } from "./state.js";

export interface MigrateOptions {
  /** migration objects and/or directories ({ dir }) — every app's, dependencies included */
  migrations: readonly MigrationSource[];
  /** default: the configured default database */
  database?: Database;
  /**
   * [app, name]: migrate forwards up to it, or backwards so that it is the app's
   * last applied migration; [app, "zero"] unapplies every migration of the app.
   * Default: apply everything.
   */
  target?: readonly [string, string];
  /** record the plan as applied/unapplied without running it (Django's --fake) */
  fake?: boolean;
  /** record an initial migration as applied without running it when all the tables it creates exist (Django's --fake-initial) */
  fakeInitial?: boolean;
  /** progress lines ("Applying products.0001_initial... OK") */
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  unapplied: string[];
}

/** The state before each migration, replaying the whole graph in order. */
function statesBefore(order: readonly Migration[]): Map<string, ProjectState> {
  const out = new Map<string, ProjectState>();
  let state: ProjectState = new Map();
  for (const m of order) {
    out.set(keyOf(m.app, m.name), state);
    state = cloneState(state);
    for (const op of m.operations) stateForwards(op, state);
  }
  return out;
}

/** The state after replaying every migration (what makemigrations diffs against). */
export function finalState(order: readonly Migration[]): ProjectState {
  const state: ProjectState = new Map();
  for (const m of order) for (const op of m.operations) stateForwards(op, state);
  return state;
}

function forwardPlanSteps(m: Migration, before: ProjectState, vendor: Database["vendor"]): Step[] {
  const steps: Step[] = [];
  let state = before;
  for (const op of m.operations) {
    const next = cloneState(state);
    stateForwards(op, next);
    steps.push(...databaseForwards(op, state, next, vendor));
    state = next;
  }
  return steps;
}

/** Computes every backward step first, so an irreversible operation refuses before anything runs. */
function backwardPlanSteps(m: Migration, before: ProjectState, vendor: Database["vendor"]): Step[] {
  const states = [before];
  for (const op of m.operations) {
    const next = cloneState(states[states.length - 1]!);
    stateForwards(op, next);
    states.push(next);
  }
  const steps: Step[] = [];
  for (let i = m.operations.length - 1; i >= 0; i--) {
    try {
      steps.push(...databaseBackwards(m.operations[i]!, states[i + 1]!, states[i]!, vendor));
    } catch (error) {
      if (error instanceof Error && error.name === "IrreversibleError") {
        error.message = `Migration ${keyOf(m.app, m.name)} is not reversible: operation ${i} (${describeOperation(m.operations[i]!)}): ${error.message}`;
      }
      throw error;
    }
  }
  return steps;
}

async function runSteps(db: Database, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    if (step.kind === "code") await step.run(runCodeContext(db));
    else for (const s of step.statements) await db.execute(s.sql, s.params);
  }
}

/** Runs one migration's steps in a transaction with its record; SQLite table rebuilds need FK checks off. */
async function runMigration(
  db: Database,
  steps: readonly Step[],
  record: () => Promise<void>,
  fake: boolean,
  stillNeeded: () => Promise<boolean>,
): Promise<boolean> {
  if (db.vendor === "sqlite") await db.execute("PRAGMA foreign_keys = OFF");
  try {
    return await atomic(
      async () => {
        // Another migrate (another process, or a concurrent call) may have done it meanwhile.
        if (!(await stillNeeded())) return false;
        if (!fake) await runSteps(db, steps);
        if (db.vendor === "sqlite" && !fake) {
          const broken = await db.execute("PRAGMA foreign_key_check");
          if (broken.rows.length > 0) {
            const first = broken.rows[0]!;
            throw new Error(
              `Migration leaves a broken foreign key: table ${String(first.table)} row ${String(first.rowid)} → ${String(first.parent)}`,
            );
          }
        }
        await record();
        return true;
      },
      { using: db },
    );
  } finally {
    if (db.vendor === "sqlite") await db.execute("PRAGMA foreign_keys = ON");
  }
}

/** An initial migration whose CreateModel tables all exist already (for --fake-initial). */
async function tablesExist(db: Database, m: Migration): Promise<boolean> {
  const isInitial = !m.dependencies.some(([app]) => app === m.app);
  const tables = m.operations.flatMap((op) => (op.op === "CreateModel" ? [op.model.table] : []));
  if (!isInitial || tables.length === 0) return false;
  for (const table of tables) {
    const found =
      db.vendor === "sqlite"
        ? await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
        : await db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
            [table],
          );
    if (found.rows.length === 0) return false;
  }
  return true;
}

/** Django's `migrate`: applies pending migrations, or moves to `target` (forwards or backwards). */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const db = options.database ?? getDatabase();
  const graph = new MigrationGraph(await loadMigrations(options.migrations));
  return withMigrationLock(db, () => migrateLocked(db, graph, options));
}

// Any constant shared by every process migrating the same PostgreSQL database.
const LOCK_KEY = 7_146_511_902;

/**
 * PostgreSQL: one migrate at a time per database (a session advisory lock on a
 * connection of its own), so processes starting together do not race to apply
 * the same migration; the plan is computed after the lock is taken. SQLite
 * serialises writers already.
 */
async function withMigrationLock<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  if (db.vendor !== "postgresql") return fn();
  const conn = await db.acquire();
  try {
    await conn.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, []);
    try {
      return await fn();
    } finally {
      await conn.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, []);
    }
  } finally {
    conn.release();
  }
}

async function migrateLocked(
  db: Database,
  graph: MigrationGraph,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const order = graph.order();
  const before = statesBefore(order);
  const applied = await appliedMigrations(db);
  let forwards: Migration[] = [];
  let backwards: Migration[] = [];

  if (!options.target) {
    forwards = order.filter((m) => !applied.has(keyOf(m.app, m.name)));
  } else {
    const [app, name] = options.target;
    const ofApp = order.filter((m) => m.app === app);
    if (ofApp.length === 0) throw new Error(`App '${app}' has no migrations`);
    if (name === "zero") {
      const doomed = new Set(ofApp.flatMap((m) => [...graph.descendants(keyOf(m.app, m.name))]));
      backwards = order
        .filter((m) => doomed.has(keyOf(m.app, m.name)) && applied.has(keyOf(m.app, m.name)))
        .reverse();
    } else {
      const key = keyOf(app, name);
      if (!graph.nodes.has(key)) {
        throw new Error(
          `Cannot find migration '${name}' in app '${app}' (known: ${ofApp.map((m) => m.name).join(", ")})`,
        );
      }
      if (applied.has(key)) {
        // Unapply what comes after the target in its app, and whatever depends on that.
        const children = ofApp.filter((m) => m.dependencies.some(([a, n]) => keyOf(a, n) === key));
        const doomed = new Set(children.flatMap((m) => [...graph.descendants(keyOf(m.app, m.name))]));
        backwards = order
          .filter((m) => doomed.has(keyOf(m.app, m.name)) && applied.has(keyOf(m.app, m.name)))
          .reverse();
      } else {
        const needed = graph.ancestors(key);
        forwards = order.filter(
          (m) => needed.has(keyOf(m.app, m.name)) && !applied.has(keyOf(m.app, m.name)),
        );
      }
    }
  }

  const result: MigrateResult = { applied: [], unapplied: [] };
  for (const m of forwards) {
    const key = keyOf(m.app, m.name);
    const steps = forwardPlanSteps(m, before.get(key)!, db.vendor);
    const fake = (options.fake ?? false) || (options.fakeInitial === true && (await tablesExist(db, m)));
    const ran = await runMigration(
      db,
      steps,
      () => recordApplied(db, m.app, m.name),
      fake,
      async () => !(await isApplied(db, m.app, m.name)),
    );
    if (!ran) continue;
    log(`Applying ${key}...${fake ? " FAKED" : " OK"}`);
    result.applied.push(key);
  }
  for (const m of backwards) {
    const key = keyOf(m.app, m.name);
    const steps = backwardPlanSteps(m, before.get(key)!, db.vendor);
    const ran = await runMigration(
      db,
      steps,
      () => recordUnapplied(db, m.app, m.name),
      options.fake ?? false,
      () => isApplied(db, m.app, m.name),
    );
    if (!ran) continue;
    log(`Unapplying ${key}... OK`);
    result.unapplied.push(key);
  }
  if (forwards.length === 0 && backwards.length === 0) log("No migrations to apply.");
  return result;
}

export interface ShowMigrationsEntry {
  app: string;
  name: string;
  applied: boolean;
}

/** Django's `showmigrations`: every migration with whether it is applied, apps in order, dependencies first. */
export async function showMigrations(options: {
  migrations: readonly MigrationSource[];
  database?: Database;
}): Promise<ShowMigrationsEntry[]> {
  const db = options.database ?? getDatabase();
  const order = new MigrationGraph(await loadMigrations(options.migrations)).order();
  const applied = await appliedMigrations(db);
  const apps = [...new Set(order.map((m) => m.app))].sort();
  return apps.flatMap((app) =>
    order
      .filter((m) => m.app === app)
      .map((m) => ({ app, name: m.name, applied: applied.has(keyOf(m.app, m.name)) })),
  );
}

/** The text `manage.py showmigrations` prints: `[X]` applied, `[ ]` pending. */
export function formatShowMigrations(entries: readonly ShowMigrationsEntry[]): string {
  const lines: string[] = [];
  let app: string | undefined;
  for (const e of entries) {
    if (e.app !== app) {
      app = e.app;
      lines.push(app);
    }
    lines.push(` [${e.applied ? "X" : " "}] ${e.name}`);
  }
  return lines.join("\n");
}

export interface SqlMigrateOptions {
  migrations: readonly MigrationSource[];
  app: string;
  name: string;
  /** the dialect to show (default: the database's, default database when not given) */
  vendor?: Database["vendor"];
  database?: Database;
  backwards?: boolean;
}

/** Django's `sqlmigrate`: the statements a migration runs (code steps shown as comments), without running them. */
export async function sqlMigrate(options: SqlMigrateOptions): Promise<string[]> {
  const vendor = options.vendor ?? (options.database ?? getDatabase()).vendor;
  const order = new MigrationGraph(await loadMigrations(options.migrations)).order();
  const key = keyOf(options.app, options.name);
  const migration = order.find((m) => keyOf(m.app, m.name) === key);
  if (!migration) throw new Error(`Cannot find migration '${options.name}' in app '${options.app}'`);
  const before = statesBefore(order).get(key)!;
  const steps = options.backwards
    ? backwardPlanSteps(migration, before, vendor)
    : forwardPlanSteps(migration, before, vendor);
  return steps.flatMap((step) =>
    step.kind === "code"
      ? ["-- (code step: not SQL)"]
      : step.statements.map(
          (s) => `${s.sql};${s.params.length ? ` -- params: ${JSON.stringify(s.params)}` : ""}`,
        ),
  );
}
