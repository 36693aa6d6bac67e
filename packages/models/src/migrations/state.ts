// The schema as migrations see it (Django's ProjectState): the descriptions the DDL module builds
// from live models (ddl/state.ts), rebuilt by replaying migration operations.
import type { ProjectState } from "../ddl/state.js";

export function cloneState(state: ProjectState): ProjectState {
  return new Map([...state].map(([k, v]) => [k, structuredClone(v)]));
}
