export { AcceptHeaderVersioning } from "./accept-header-versioning.js";
export { BaseVersioning } from "./base-versioning.js";
export { HostNameVersioning } from "./host-name-versioning.js";
export { NamespaceVersioning } from "./namespace-versioning.js";
export { QueryParameterVersioning } from "./query-parameter-versioning.js";
export { URLPathVersioning } from "./url-path-versioning.js";
