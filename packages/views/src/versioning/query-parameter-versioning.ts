import { NotFound } from "../exceptions/api-exception.js";
import { queryParam } from "../pagination/query-param.js";
import { replaceQueryParam } from "../pagination/query-string.js";
import type { Request } from "../request/request.js";
import { BaseVersioning } from "./base-versioning.js";

/** The version is a query parameter: `/products/?version=v2`. */
export class QueryParameterVersioning extends BaseVersioning {
  invalidVersionMessage = "Invalid version in query parameter.";

  determineVersion(request: Request): string | null {
    const version = queryParam(request, this.paramFor(request)) ?? this.defaultFor(request);
    if (!this.isAllowedVersion(version, request)) throw new NotFound(this.invalidVersionMessage);
    return version;
  }

  /** Reversed URLs carry the request's version parameter. */
  override reverse(
    name: string,
    kwargs: Record<string, string | number> | undefined,
    request: Request,
  ): string {
    const url = super.reverse(name, kwargs, request);
    return request.version === null ? url : replaceQueryParam(url, this.paramFor(request), request.version);
  }
}
