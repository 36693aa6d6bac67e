import { keyOf, type Migration } from "./migration.js";

/** All known migrations with their dependency edges (Django's MigrationGraph). */
export class MigrationGraph {
  readonly nodes = new Map<string, Migration>();

  constructor(migrations: readonly Migration[], options: { allowConflicts?: boolean } = {}) {
    for (const m of migrations) {
      const key = keyOf(m.app, m.name);
      if (this.nodes.has(key)) throw new Error(`Duplicate migration ${key}`);
      this.nodes.set(key, m);
    }
    for (const m of migrations) {
      for (const [app, name] of m.dependencies) {
        if (!this.nodes.has(keyOf(app, name))) {
          throw new Error(
            `Migration ${keyOf(m.app, m.name)} depends on ${keyOf(app, name)}, which does not exist`,
          );
        }
      }
    }
    this.order(); // reports cycles early
    if (!options.allowConflicts) this.checkConflicts();
  }

  /** Every migration, dependencies first; ties by app then name, so the order is stable. */
  order(): Migration[] {
    const out: Migration[] = [];
    const done = new Set<string>();
    const visiting: string[] = [];
    const visit = (key: string) => {
      if (done.has(key)) return;
      if (visiting.includes(key))
        throw new Error(`Circular migration dependencies: ${[...visiting, key].join(" → ")}`);
      visiting.push(key);
      const m = this.nodes.get(key)!;
      for (const [app, name] of [...m.dependencies].sort()) visit(keyOf(app, name));
      visiting.pop();
      done.add(key);
      out.push(m);
    };
    for (const key of [...this.nodes.keys()].sort()) visit(key);
    return out;
  }

  /** Migrations of one app that nothing in the same app depends on. */
  leaves(app: string): Migration[] {
    const ofApp = [...this.nodes.values()].filter((m) => m.app === app);
    const depended = new Set(
      ofApp.flatMap((m) => m.dependencies.filter(([a]) => a === app).map(([a, n]) => keyOf(a, n))),
    );
    return ofApp
      .filter((m) => !depended.has(keyOf(m.app, m.name)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Apps with more than one leaf migration (two branches to merge). */
  conflicts(): Map<string, Migration[]> {
    const out = new Map<string, Migration[]>();
    for (const app of new Set([...this.nodes.values()].map((m) => m.app))) {
      const leaves = this.leaves(app);
      if (leaves.length > 1) out.set(app, leaves);
    }
    return out;
  }

  private checkConflicts(): void {
    for (const app of new Set([...this.nodes.values()].map((m) => m.app))) {
      const leaves = this.leaves(app);
      if (leaves.length > 1) {
        throw new Error(
          `Conflicting migrations in app '${app}': ${leaves.map((m) => m.name).join(", ")} both have no successor; add a migration depending on all of them`,
        );
      }
    }
  }

  /** The migration and every migration that depends on it, directly or not. */
  descendants(key: string): Set<string> {
    const out = new Set<string>([key]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [k, m] of this.nodes) {
        if (out.has(k)) continue;
        if (m.dependencies.some(([a, n]) => out.has(keyOf(a, n)))) {
          out.add(k);
          grew = true;
        }
      }
    }
    return out;
  }

  /** The migration and everything it needs, directly or not. */
  ancestors(key: string): Set<string> {
    const out = new Set<string>();
    const visit = (k: string) => {
      if (out.has(k)) return;
      out.add(k);
      for (const [a, n] of this.nodes.get(k)!.dependencies) visit(keyOf(a, n));
    };
    visit(key);
    return out;
  }
}
