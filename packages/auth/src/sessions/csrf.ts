import { PermissionDenied, type Request } from "@x/views";
import { constantTimeEquals } from "../crypto/constant-time.js";
import { getRandomString } from "../crypto/random.js";

// Django's CSRF protection (django.middleware.csrf), as DRF's SessionAuthentication enforces it.
const CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const CSRF_SECRET_LENGTH = 32;
const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export function newCsrfSecret(): string {
  return getRandomString(CSRF_SECRET_LENGTH, CHARS);
}

/** A masked token for the client (differs on every call, so BREACH cannot read the secret). */
export function maskCsrfSecret(secret: string): string {
  const mask = getRandomString(CSRF_SECRET_LENGTH, CHARS);
  let cipher = "";
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    cipher += CHARS[(CHARS.indexOf(secret[i]!) + CHARS.indexOf(mask[i]!)) % CHARS.length];
  }
  return mask + cipher;
}

function unmask(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  let secret = "";
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    const x = CHARS.indexOf(cipher[i]!) - CHARS.indexOf(mask[i]!);
    secret += CHARS[(x + CHARS.length) % CHARS.length];
  }
  return secret;
}

function formatProblem(token: string): string | null {
  if (token.length !== CSRF_SECRET_LENGTH && token.length !== CSRF_TOKEN_LENGTH)
    return "has incorrect length";
  for (const ch of token) if (!CHARS.includes(ch)) return "has invalid characters";
  return null;
}

export interface CsrfOptions {
  cookieName: string;
  headerName: string;
  /** Extra origins allowed to post (Django's CSRF_TRUSTED_ORIGINS), e.g. "https://app.example.com". */
  trustedOrigins: readonly string[];
}

function reject(reason: string): never {
  throw new PermissionDenied(`CSRF Failed: ${reason}`);
}

/**
 * Django's CsrfViewMiddleware checks for an unsafe request; throws DRF's 403 `CSRF Failed: <reason>`.
 * `formToken` is a form's `csrfmiddlewaretoken`, which Django reads before the header (HTML forms).
 */
export function enforceCsrf(request: Request, options: CsrfOptions, formToken?: string | null): void {
  if (SAFE.has(request.method)) return;
  const url = request.url;
  const ownOrigin = `${url.protocol}//${url.host}`;
  const origin = request.header("origin");
  if (origin !== null) {
    if (origin !== ownOrigin && !options.trustedOrigins.includes(origin))
      reject(`Origin checking failed - ${origin} does not match any trusted origins.`);
  } else if (url.protocol === "https:") {
    const referer = request.header("referer");
    if (referer === null) reject("Referer checking failed - no Referer.");
    const refererUrl = URL.canParse(referer)
      ? new URL(referer)
      : reject("Referer checking failed - Referer is malformed.");
    if (refererUrl.protocol !== "https:")
      reject("Referer checking failed - Referer is insecure while host is secure.");
    const refOrigin = `${refererUrl.protocol}//${refererUrl.host}`;
    if (refOrigin !== ownOrigin && !options.trustedOrigins.includes(refOrigin))
      reject(`Referer checking failed - ${referer} does not match any trusted origins.`);
  }
  const secret = request.cookies[options.cookieName];
  if (secret === undefined || formatProblem(secret) !== null || secret.length !== CSRF_SECRET_LENGTH)
    reject("CSRF cookie not set.");
  const fromForm = formToken !== undefined && formToken !== null && formToken !== "";
  const token = fromForm ? formToken : request.header(options.headerName.toLowerCase());
  const source = fromForm ? "POST" : `the '${titleHeader(options.headerName)}' HTTP header`;
  if (token === null || token === "") reject("CSRF token missing.");
  const problem = formatProblem(token);
  if (problem) reject(`CSRF token from ${source} ${problem}.`);
  const candidate = token.length === CSRF_TOKEN_LENGTH ? unmask(token) : token;
  if (!constantTimeEquals(candidate, secret)) reject(`CSRF token from ${source} incorrect.`);
}

function titleHeader(name: string): string {
  return name
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())
    .join("-");
}
