// Architecture rules for the monorepo, checked from the source:
//   1. packages import each other by name only (no "@x/views/src/..." deep imports,
//      no relative paths that leave the package);
//   2. a package imports only workspace packages it declares in package.json;
//   3. declared workspace dependencies follow the layer order and form no cycle.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** The intended direction: a package may depend only on lower layers. */
export const LAYERS = {
  "@x/models": 0,
  "@x/serializers": 1,
  "@x/views": 2,
  "@x/routers": 3,
  "@x/auth": 3,
  "@x/filters": 3,
};
const APP_LAYER = 4;

const IMPORT_RE =
  /(?:^|[;\s])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|(?:^|[^\w.])import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[;\s])import\s*["']([^"']+)["']/g;

function listSourceFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      out.push(...listSourceFiles(full));
    } else if (/\.(m|c)?[jt]sx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Every workspace package under packages/ and apps/ of `root`. */
export function readWorkspace(root) {
  const pkgs = [];
  for (const group of ["packages", "apps"]) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      const dir = join(groupDir, name);
      const manifest = join(dir, "package.json");
      if (!statSync(dir).isDirectory() || !existsSync(manifest)) continue;
      const json = JSON.parse(readFileSync(manifest, "utf8"));
      pkgs.push({
        name: json.name,
        dir,
        isApp: group === "apps",
        deps: Object.keys({ ...json.dependencies, ...json.peerDependencies }),
        devDeps: Object.keys(json.devDependencies ?? {}),
      });
    }
  }
  return pkgs;
}

export function importsOf(source) {
  const specs = [];
  for (const m of source.matchAll(IMPORT_RE)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
}

const layerOf = (pkg) => (pkg.isApp ? APP_LAYER : (LAYERS[pkg.name] ?? APP_LAYER));

/** @returns {string[]} one readable line per violation; empty when the tree is sound */
export function checkArchitecture(root) {
  const pkgs = readWorkspace(resolve(root));
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const violations = [];

  for (const pkg of pkgs) {
    for (const file of [
      ...listSourceFiles(join(pkg.dir, "src")),
      ...listSourceFiles(join(pkg.dir, "test")),
    ]) {
      const where = relative(root, file);
      const isTest = !file.startsWith(join(pkg.dir, "src") + sep) || /\.test(-d)?\.ts$/.test(file);
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          if (!target.startsWith(pkg.dir + sep)) {
            violations.push(`${where}: relative import "${spec}" leaves package ${pkg.name}`);
          }
          continue;
        }
        const [scopeOrName, sub] = spec.split("/");
        const target = spec.startsWith("@") ? `${scopeOrName}/${sub}` : scopeOrName;
        const other = byName.get(target);
        if (!other) continue;
        if (spec !== target && spec !== `${target}/package.json`) {
          violations.push(
            `${where}: imports "${spec}", an internal module of ${target}; import "${target}" instead`,
          );
        }
        if (other === pkg) continue;
        const declared = pkg.deps.includes(target) || (isTest && pkg.devDeps.includes(target));
        if (!declared)
          violations.push(`${where}: imports ${target}, which ${pkg.name} does not declare in package.json`);
      }
    }
  }

  for (const pkg of pkgs) {
    for (const dep of pkg.deps) {
      const other = byName.get(dep);
      if (!other) continue;
      if (layerOf(other) >= layerOf(pkg)) {
        violations.push(
          `${pkg.name} depends on ${dep}: against the layer order models ← serializers ← views ← {routers, auth, filters} ← apps`,
        );
      }
    }
  }

  // Cycle detection over declared workspace dependencies (depth-first, grey/black marking).
  const state = new Map();
  const stack = [];
  const visit = (name) => {
    state.set(name, "grey");
    stack.push(name);
    for (const dep of byName.get(name)?.deps ?? []) {
      if (!byName.has(dep)) continue;
      if (state.get(dep) === "grey") {
        violations.push(`dependency cycle: ${[...stack.slice(stack.indexOf(dep)), dep].join(" -> ")}`);
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, "black");
  };
  for (const pkg of pkgs) if (!state.has(pkg.name)) visit(pkg.name);

  return violations;
}
