import { getApiContext } from "../api-context.js";
import { NotFound } from "../exceptions/api-exception.js";
import type { Request } from "../request/request.js";
import { BaseVersioning } from "./base-versioning.js";

/** The version is a URL kwarg: `/api/:version/products/` (`versionParam`, default `version`). */
export class URLPathVersioning extends BaseVersioning {
  invalidVersionMessage = "Invalid version in URL path.";

  determineVersion(request: Request, kwargs: Record<string, string>): string | null {
    const version = kwargs[this.paramFor(request)] ?? this.defaultFor(request);
    if (!this.isAllowedVersion(version, request)) throw new NotFound(this.invalidVersionMessage);
    return version;
  }

  /** Reversed URLs keep the request's version in their path. */
  override reverse(
    name: string,
    kwargs: Record<string, string | number> | undefined,
    request: Request,
  ): string {
    // Runs for every link of a response: no copy when the kwargs carry the version already.
    const param = this.paramFor(request);
    let withVersion = kwargs;
    if (request.version !== null && kwargs?.[param] !== request.version) {
      // Object.assign, not a spread: a spread copy that then gains a property is slow in V8 (Node 20).
      withVersion = Object.assign({}, kwargs);
      withVersion[param] = request.version;
    }
    return request.buildAbsoluteUri(
      this.resolve(name, withVersion, request, getApiContext(request.context).namespace),
    );
  }
}
