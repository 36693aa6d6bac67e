export interface CookieOptions {
  maxAge?: number;
  path?: string;
  domain?: string | undefined;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

/** A Set-Cookie header value. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`);
  if (options.maxAge !== undefined && options.maxAge <= 0)
    parts.push("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  parts.push(`Path=${options.path ?? "/"}`);
  if (options.domain) parts.push(`Domain=${options.domain}`);
  if (options.secure) parts.push("Secure");
  if (options.httpOnly) parts.push("HttpOnly");
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  return parts.join("; ");
}

/** Anything with Fetch-style headers: @x/views' Response or a Fetch Response. */
export interface HasHeaders {
  readonly headers: Headers;
}
