import { NotAcceptable } from "../exceptions/api-exception.js";
import type { Request } from "../request/request.js";
import { parseMediaType } from "../response/negotiation.js";
import { BaseVersioning } from "./base-versioning.js";

/** The version is a parameter of the accepted media type: `Accept: application/json; version=1.0`. */
export class AcceptHeaderVersioning extends BaseVersioning {
  invalidVersionMessage = 'Invalid version in "Accept" header.';

  determineVersion(request: Request): string | null {
    const accepted = request.accepted?.mediaType ?? request.headers.get("accept") ?? "";
    const version = parseMediaType(accepted).params[this.paramFor(request)] ?? this.defaultFor(request);
    if (!this.isAllowedVersion(version, request)) throw new NotAcceptable(this.invalidVersionMessage);
    return version;
  }
}
