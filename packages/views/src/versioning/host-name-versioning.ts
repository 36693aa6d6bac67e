import { NotFound } from "../exceptions/api-exception.js";
import type { Request } from "../request/request.js";
import { BaseVersioning } from "./base-versioning.js";

/** The version is the first label of a three-label host name: `v1.example.com`. */
export class HostNameVersioning extends BaseVersioning {
  invalidVersionMessage = "Invalid version in hostname.";
  hostnameRegex = /^([a-zA-Z0-9]+)\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$/;

  determineVersion(request: Request): string | null {
    const host = (request.headers.get("host") ?? request.url.host).split(":")[0] ?? "";
    const match = this.hostnameRegex.exec(host);
    if (!match?.[1]) return this.defaultFor(request);
    const version = match[1];
    if (!this.isAllowedVersion(version, request)) throw new NotFound(this.invalidVersionMessage);
    return version;
  }
}
