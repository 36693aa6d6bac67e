import { getApiContext } from "../api-context.js";
import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import type { Versioning } from "../interfaces.js";
import type { Request } from "../request/request.js";

/**
 * DRF's BaseVersioning. `defaultVersion`, `allowedVersions` and
 * `versionParam` fall back to the settings (`defaultVersion`,
 * `allowedVersions`, `versionParam`) when a subclass does not set them.
 */
export abstract class BaseVersioning implements Versioning {
  defaultVersion: string | null | undefined = undefined;
  allowedVersions: readonly string[] | null | undefined = undefined;
  versionParam: string | undefined = undefined;
  abstract readonly invalidVersionMessage: string;

  abstract determineVersion(request: Request, kwargs: Record<string, string>): string | null;

  protected defaultFor(request: Request): string | null {
    return this.defaultVersion === undefined ? request.settings.defaultVersion : this.defaultVersion;
  }

  protected paramFor(request: Request): string {
    return this.versionParam ?? request.settings.versionParam;
  }

  /** No allowed list: any version; else the default version or one in the list. */
  isAllowedVersion(version: string | null, request: Request): boolean {
    const allowed =
      this.allowedVersions === undefined ? request.settings.allowedVersions : this.allowedVersions;
    if (!allowed || allowed.length === 0) return true;
    return (
      (version !== null && version === this.defaultFor(request)) ||
      (version !== null && allowed.includes(version))
    );
  }

  /** The absolute URL of a named route (the resolver's path on this request's host). */
  reverse(name: string, kwargs: Record<string, string | number> | undefined, request: Request): string {
    return request.buildAbsoluteUri(
      this.resolve(name, kwargs, request, getApiContext(request.context).namespace),
    );
  }

  protected resolve(
    name: string,
    kwargs: Record<string, string | number> | undefined,
    request: Request,
    namespace: string | undefined,
  ): string {
    const resolver = getApiContext(request.context).resolver;
    if (!resolver) throw new ImproperlyConfigured(`Cannot reverse "${name}": no URL resolver installed`);
    return resolver.reverse(name, kwargs, namespace ? { namespace } : {});
  }
}
