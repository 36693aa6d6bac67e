// DRF's `api-auth/login/` and `logout/` (Django's LoginView and LogoutView):
// HTML pages for a browser using the browsable API. Form posts are CSRF
// checked (the form's `csrfmiddlewaretoken`, else the header) before anything
// else, and `next` is followed only when it stays on this site.
import { APIView, FormParser, JSONParser, MultiPartParser, PermissionDenied, type Request } from "@x/views";
import { enforceCsrf } from "../sessions/csrf.js";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";
import { csrfFailureHtml, loggedOutPageHtml, loginPageHtml } from "./login-page.js";

const INVALID_LOGIN =
  "Please enter a correct username and password. Note that both fields may be case-sensitive.";

/** Django's never_cache: a page holding a CSRF token or a session change is never stored. */
const NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private";

/**
 * Django's url_has_allowed_host_and_scheme for this request's host: a path on
 * this site, or an absolute http(s) URL of this very origin; anything else
 * (other hosts, `//host`, backslashes, control characters, `javascript:`) → fallback.
 */
export function safeNext(request: Request, next: string | null | undefined, fallback: string): string {
  const value = (next ?? "").trim();
  if (value === "" || value.includes("\\") || hasControlCharacter(value)) return fallback;
  if (value.startsWith("/")) return value.startsWith("//") ? fallback : value;
  if (!URL.canParse(value)) return fallback;
  const url = new URL(value);
  const own = request.url;
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== own.origin) return fallback;
  return url.pathname + url.search + url.hash;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function formValue(data: unknown, key: string): string {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "";
  const value = (data as Record<string, unknown>)[key];
  // A repeated key: Django's QueryDict.get takes the last value.
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === "string" ? last : "";
}

function html(body: string, status: number, headers: Headers): globalThis.Response {
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", NO_STORE);
  return new globalThis.Response(body, { status, headers });
}

function redirect(location: string, headers: Headers): globalThis.Response {
  headers.set("Location", location);
  headers.set("Cache-Control", NO_STORE);
  return new globalThis.Response(null, { status: 302, headers });
}

abstract class BrowserAuthView extends APIView {
  // The form carries its own CSRF token; session authentication would check the header only.
  static override authenticationClasses = [];
  static override permissionClasses = [];
  static override parserClasses = [FormParser, MultiPartParser, JSONParser];
  // Mounted beside the versioned API, not inside it.
  static override versioningClass = null;
  throttleScope = "auth";
  declare sessions: SessionEngine<SessionUser>;
  /** The brand shown on the pages. */
  pageTitle = "REST API";

  protected engine(): SessionEngine<SessionUser> {
    const sessions = this.getAttribute<SessionEngine<SessionUser>>("sessions");
    if (!sessions) throw new Error(`${this.constructor.name} needs .asView({ sessions })`);
    return sessions;
  }

  /** The 403 page, or null when the form's (or the header's) token matches the cookie. */
  protected csrfFailure(request: Request, data: unknown, sessions: SessionEngine<SessionUser>) {
    try {
      enforceCsrf(request, sessions.csrf, formValue(data, "csrfmiddlewaretoken"));
      return null;
    } catch (error) {
      if (!(error instanceof PermissionDenied)) throw error;
      return html(csrfFailureHtml(this.pageTitle, String(error.detail)), 403, new Headers());
    }
  }
}

/**
 * The login page: GET shows the form (setting the CSRF cookie), POST logs the
 * user in with a new session and redirects to a safe `next` (else
 * `redirectUrl`, Django's LOGIN_REDIRECT_URL); wrong credentials re-show the
 * form with Django's message. `LoginView.asView({ sessions })`.
 */
export class LoginView extends BrowserAuthView {
  static override viewName = "Log in";
  /** Where to go after logging in when `next` is absent or unsafe. */
  redirectUrl = "/";

  /** Only password attempts spend the "auth" throttle budget, not showing the form. */
  override getThrottles() {
    return this.request.method === "POST" ? super.getThrottles() : [];
  }

  async get(request: Request): Promise<globalThis.Response> {
    return this.form(request, { username: "", next: request.queryParams.get("next") ?? "", errors: [] }, 200);
  }

  async post(request: Request): Promise<globalThis.Response> {
    const sessions = this.engine();
    const data = await request.data;
    const refused = this.csrfFailure(request, data, sessions);
    if (refused) return refused;
    const username = formValue(data, "username").trim();
    const password = formValue(data, "password");
    const next = formValue(data, "next") || request.queryParams.get("next") || "";
    const errors: string[] = [];
    if (!username) errors.push("Username: This field is required.");
    if (!password) errors.push("Password: This field is required.");
    const user = errors.length === 0 ? await sessions.users.authenticate({ username, password }) : null;
    if (!user) {
      if (errors.length === 0) errors.push(INVALID_LOGIN);
      // Django re-renders the bound form with a 200.
      return this.form(request, { username, next, errors }, 200);
    }
    const headers = new Headers();
    await sessions.login(request, user, { headers });
    return redirect(safeNext(request, next, this.redirectUrl), headers);
  }

  private form(
    request: Request,
    state: { username: string; next: string; errors: string[] },
    status: number,
  ): globalThis.Response {
    const headers = new Headers();
    const csrfToken = this.engine().getCsrfToken(request, { headers });
    const page = loginPageHtml({ title: this.pageTitle, action: request.path, csrfToken, ...state });
    return html(page, status, headers);
  }
}

/**
 * Logout: a POST (Django 5's LogoutView refuses GET) with the CSRF token ends
 * the session and redirects to a safe `next`, else `redirectUrl` (Django's
 * LOGOUT_REDIRECT_URL), else shows a "Logged out" page. `LogoutView.asView({ sessions })`.
 */
export class LogoutView extends BrowserAuthView {
  static override viewName = "Log out";
  redirectUrl: string | null = null;
  /** Where the "Log in again" link of the logged-out page points. */
  loginUrl: string | null = null;

  async post(request: Request): Promise<globalThis.Response> {
    const sessions = this.engine();
    const data = await request.data;
    const refused = this.csrfFailure(request, data, sessions);
    if (refused) return refused;
    const headers = new Headers();
    await sessions.logout(request, { headers });
    const next = safeNext(request, formValue(data, "next") || request.queryParams.get("next"), "");
    const target = next || this.redirectUrl;
    if (target) return redirect(target, headers);
    return html(loggedOutPageHtml(this.pageTitle, this.loginUrl), 200, headers);
  }
}
