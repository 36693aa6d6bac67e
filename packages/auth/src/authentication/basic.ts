import { type Authentication, AuthenticationFailed, type Request, type User } from "@x/views";
import type { AuthUser, UserSource } from "../users/user-source.js";
import { authorizationParts } from "./header.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeCredentials(encoded: string): string {
  if (!BASE64.test(encoded)) {
    throw new AuthenticationFailed("Invalid basic header. Credentials not correctly base64 encoded.");
  }
  const bytes = Buffer.from(encoded, "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // DRF falls back to latin-1 for credentials that are not UTF-8.
    return bytes.toString("latin1");
  }
}

/**
 * DRF's BasicAuthentication (`Authorization: Basic base64(user:password)`).
 * Bind it to a user source with `BasicAuthentication.using(users)`.
 */
export class BasicAuthentication implements Authentication {
  static users: UserSource<AuthUser> | undefined;
  static realm = "api";

  static using<U extends AuthUser>(
    users: UserSource<U>,
    options: { realm?: string } = {},
  ): typeof BasicAuthentication {
    return class extends BasicAuthentication {
      static override users = users as unknown as UserSource<AuthUser>;
      static override realm = options.realm ?? "api";
    };
  }

  private get config(): typeof BasicAuthentication {
    return this.constructor as typeof BasicAuthentication;
  }

  async authenticate(request: Request): Promise<readonly [User, unknown] | null> {
    const parts = authorizationParts(request);
    if (parts.length === 0 || parts[0]!.toLowerCase() !== "basic") return null;
    if (parts.length === 1) throw new AuthenticationFailed("Invalid basic header. No credentials provided.");
    if (parts.length > 2)
      throw new AuthenticationFailed("Invalid basic header. Credentials string should not contain spaces.");
    const decoded = decodeCredentials(parts[1]!);
    const colon = decoded.indexOf(":");
    const username = colon === -1 ? decoded : decoded.slice(0, colon);
    const password = colon === -1 ? "" : decoded.slice(colon + 1);
    return this.authenticateCredentials(username, password);
  }

  async authenticateCredentials(username: string, password: string): Promise<readonly [User, unknown]> {
    const users = this.config.users;
    if (!users)
      throw new Error("BasicAuthentication has no user source: use BasicAuthentication.using(users)");
    const user = await users.authenticate({ username, password });
    if (!user) throw new AuthenticationFailed("Invalid username/password.");
    if (!user.is_active) throw new AuthenticationFailed("User inactive or deleted.");
    return [user, null];
  }

  authenticateHeader(): string {
    return `Basic realm="${this.config.realm}"`;
  }
}
