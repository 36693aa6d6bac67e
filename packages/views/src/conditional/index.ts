export {
  type ConditionalOptions,
  conditional,
  conditionalActions,
  conditionalResponse,
} from "./conditional.js";
export { bodyEtag } from "./etag.js";
