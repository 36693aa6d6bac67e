import { type Authentication, AuthenticationFailed, type Awaitable, type Request, type User } from "@x/views";
import { JwtAuthenticationError, type SimpleJwt } from "../jwt/simple-jwt.js";
import type { AuthUser } from "../users/user-source.js";
import { authorizationParts } from "./header.js";

/**
 * simplejwt's JWTAuthentication (`Authorization: Bearer <access>`).
 * Bind it to a configuration with `JWTAuthentication.using(jwt)`.
 */
export class JWTAuthentication implements Authentication {
  static jwt: SimpleJwt<AuthUser> | undefined;

  static using<U extends AuthUser>(jwt: SimpleJwt<U>): typeof JWTAuthentication {
    return class extends JWTAuthentication {
      static override jwt = jwt as unknown as SimpleJwt<AuthUser>;
    };
  }

  private get jwt(): SimpleJwt<AuthUser> {
    const jwt = (this.constructor as typeof JWTAuthentication).jwt;
    if (!jwt) throw new Error("JWTAuthentication has no configuration: use JWTAuthentication.using(jwt)");
    return jwt;
  }

  // Synchronous when the request carries no bearer token (most anonymous requests): no promise to wait for.
  authenticate(request: Request): Awaitable<readonly [User, unknown] | null> {
    const parts = authorizationParts(request);
    // simplejwt compares the header type case-sensitively.
    if (parts.length === 0 || !this.jwt.settings.authHeaderTypes.includes(parts[0]!)) return null;
    return this.authenticateParts(parts);
  }

  private async authenticateParts(parts: string[]): Promise<readonly [User, unknown]> {
    if (parts.length !== 2) {
      throw new AuthenticationFailed({
        detail: "Authorization header must contain two space-delimited values",
        code: "bad_authorization_header",
      });
    }
    try {
      return await this.jwt.authenticateToken(parts[1]!);
    } catch (e) {
      if (e instanceof JwtAuthenticationError) throw new AuthenticationFailed(e.body, String(e.body.code));
      throw e;
    }
  }

  authenticateHeader(): string {
    const { authHeaderTypes, realm } = this.jwt.settings;
    return `${authHeaderTypes[0]} realm="${realm}"`;
  }
}
