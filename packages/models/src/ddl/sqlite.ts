// SQLite-only DDL: SQLite cannot alter a column or add a constraint, so such changes rebuild
// the table (Django's "remake table").

import type { ModelState, ProjectState } from "./state.js";
import {
  concrete,
  createTableStatements,
  defaultParam,
  indexStatements,
  qi,
  type Statement,
  stmt,
} from "./statements.js";

/**
 * Rebuilds `to` from `from`: create a new table, copy the common columns, drop, rename, recreate
 * indexes. `renames` maps new column → old column; new columns get their default.
 */
export function remakeTableStatements(
  from: ModelState,
  to: ModelState,
  state: ProjectState,
  renames: Readonly<Record<string, string>> = {},
): Statement[] {
  const temp = `new__${to.table}`;
  const oldColumns = new Set(concrete(from).map(([, f]) => f.column!));
  const targets: string[] = [];
  const sources: string[] = [];
  const params: unknown[] = [];
  for (const [, field] of concrete(to)) {
    const source = renames[field.column!] ?? field.column!;
    targets.push(qi(field.column!));
    if (oldColumns.has(source)) {
      sources.push(field.default !== undefined && !field.null ? `COALESCE(${qi(source)}, ?)` : qi(source));
      if (field.default !== undefined && !field.null) params.push(defaultParam(field, "sqlite"));
    } else {
      sources.push("?");
      params.push(defaultParam(field, "sqlite"));
    }
  }
  return [
    ...createTableStatements(to, state, "sqlite", { table: temp, withIndexes: false }),
    stmt(
      `INSERT INTO ${qi(temp)} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${qi(from.table)}`,
      params,
    ),
    stmt(`DROP TABLE ${qi(from.table)}`),
    stmt(`ALTER TABLE ${qi(temp)} RENAME TO ${qi(to.table)}`),
    ...indexStatements(to),
  ];
}
