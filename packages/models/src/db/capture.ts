// Query capture: every executed statement is pushed to the active captures.

export interface CapturedQuery {
  sql: string;
  params: readonly unknown[];
  /** The connection that ran it: "default", or with read replicas "primary" / "replica0", "replica1"… */
  alias: string;
}

const active: CapturedQuery[][] = [];

export function recordQuery(sql: string, params: readonly unknown[], alias = "default"): void {
  for (const list of active) list.push({ sql, params, alias });
}

export interface CaptureResult<T> {
  result: T;
  queries: CapturedQuery[];
  count: number;
}

/** Runs `fn` and returns what it returned plus the SQL it executed (on any database). */
export async function captureQueries<T>(fn: () => T | PromiseLike<T>): Promise<CaptureResult<T>> {
  const list: CapturedQuery[] = [];
  active.push(list);
  try {
    const result = await fn();
    return { result, queries: list, count: list.length };
  } finally {
    active.splice(active.indexOf(list), 1);
  }
}

/** Django's assertNumQueries: throws listing the SQL when `fn` ran a different number of queries. */
export async function assertNumQueries<T>(expected: number, fn: () => T | PromiseLike<T>): Promise<T> {
  const { result, queries } = await captureQueries(fn);
  if (queries.length !== expected) {
    const listing = queries.map((q, i) => `${i + 1}. ${q.sql}`).join("\n");
    throw new Error(
      `${queries.length} queries executed, ${expected} expected. Captured queries were:\n${listing}`,
    );
  }
  return result;
}
