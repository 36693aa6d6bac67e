// The schema as migrations see it (Django's ProjectState): the descriptions the DDL module builds
// from live models, rebuilt here by replaying migration operations.
import type { ProjectState } from "../ddl/state.js";

export { identifier } from "../ddl/names.js";
export {
  type ConstraintState,
  type FieldState,
  fieldStateFromMeta,
  getFieldState,
  getModelState,
  type IndexState,
  type ModelState,
  modelStateFromModel,
  type ProjectState,
  projectStateFromModels,
  type UniqueConstraintState,
} from "../ddl/state.js";

export function cloneState(state: ProjectState): ProjectState {
  return new Map([...state].map(([k, v]) => [k, structuredClone(v)]));
}
