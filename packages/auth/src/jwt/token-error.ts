/** simplejwt's TokenError: why a token string was refused (message is simplejwt's). */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

export const TOKEN_INVALID = "Token is invalid or expired";
export const TOKEN_BLACKLISTED = "Token is blacklisted";
