import { getApiContext } from "../api-context.js";
import { NotFound } from "../exceptions/api-exception.js";
import type { Request } from "../request/request.js";
import { BaseVersioning } from "./base-versioning.js";

/**
 * The version is the URL namespace the route was mounted under (a router
 * included as `v1`); reversed URLs stay in the request's namespace.
 */
export class NamespaceVersioning extends BaseVersioning {
  invalidVersionMessage = "Invalid version in URL path. Does not match any version namespace.";

  determineVersion(request: Request): string | null {
    const namespace = getApiContext(request.context).namespace;
    if (!namespace) return this.defaultFor(request);
    // Nested namespaces ("api:v1"): the first allowed part is the version.
    for (const part of namespace.split(":")) {
      if (this.isAllowedVersion(part, request)) return part;
    }
    throw new NotFound(this.invalidVersionMessage);
  }

  override reverse(
    name: string,
    kwargs: Record<string, string | number> | undefined,
    request: Request,
  ): string {
    const namespace = request.version ?? getApiContext(request.context).namespace;
    return request.buildAbsoluteUri(this.resolve(name, kwargs, request, namespace));
  }
}
