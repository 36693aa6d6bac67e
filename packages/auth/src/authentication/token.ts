import { type Authentication, AuthenticationFailed, type Awaitable, type Request, type User } from "@x/views";
import { authorizationParts } from "./header.js";

/** The authtoken model as this class uses it (`authModels(User).Token`). */
export interface TokenModelLike {
  readonly objects: {
    selectRelated(...fields: string[]): {
      filter(lookup: Record<string, unknown>): { first(): PromiseLike<unknown> };
    };
  };
}

interface TokenRow {
  key: string;
  user: User & { is_active: boolean };
}

/**
 * DRF's TokenAuthentication (`Authorization: Token <key>`). Bind it to the
 * authtoken model with `TokenAuthentication.using(Token)`; subclass and set
 * `keyword` for another prefix (e.g. "Bearer").
 */
export class TokenAuthentication implements Authentication {
  static model: TokenModelLike | undefined;
  keyword = "Token";

  static using(model: TokenModelLike): typeof TokenAuthentication {
    return class extends TokenAuthentication {
      static override model = model;
    };
  }

  // Synchronous when the request carries no token (most anonymous requests): no promise to wait for.
  authenticate(request: Request): Awaitable<readonly [User, unknown] | null> {
    const parts = authorizationParts(request);
    if (parts.length === 0 || parts[0]!.toLowerCase() !== this.keyword.toLowerCase()) return null;
    // Malformed headers reject (as before), rather than throw synchronously.
    if (parts.length === 1)
      return Promise.reject(new AuthenticationFailed("Invalid token header. No credentials provided."));
    if (parts.length > 2)
      return Promise.reject(
        new AuthenticationFailed("Invalid token header. Token string should not contain spaces."),
      );
    return this.authenticateCredentials(parts[1]!);
  }

  async authenticateCredentials(key: string): Promise<readonly [User, unknown]> {
    const model = (this.constructor as typeof TokenAuthentication).model;
    if (!model)
      throw new Error("TokenAuthentication has no token model: use TokenAuthentication.using(Token)");
    // Keys fit the 40-character column (ours are hex); anything longer cannot match and is not looked up.
    const token = /^[\x21-\x7e]{1,40}$/.test(key)
      ? ((await model.objects.selectRelated("user").filter({ key }).first()) as TokenRow | null)
      : null;
    if (!token) throw new AuthenticationFailed("Invalid token.");
    if (!token.user.is_active) throw new AuthenticationFailed("User inactive or deleted.");
    return [token.user, token];
  }

  authenticateHeader(): string {
    return this.keyword;
  }
}
