// The browsable API page: DRF's api.html reduced to what it shows — the
// login state, the view's name and description, the request line, the
// response (status, headers, linked JSON), and the forms — in base.html's
// document (base-page.ts).
import { basePageHtml } from "./base-page.js";
import { escapeHtml } from "./escape.js";

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface PageUser {
  /** Null for an anonymous visitor. */
  name: string | null;
}

export interface PageModel {
  title: string;
  name: string;
  description: string;
  method: string;
  /** Path and query of this request. */
  fullPath: string;
  status: number;
  /** Shown response headers, in order. */
  headers: Array<[string, string]>;
  /** Already escaped and linked JSON (see json-html.ts). */
  bodyHtml: string;
  allowedMethods: readonly string[];
  user: PageUser;
  loginUrl: string | null;
  logoutUrl: string | null;
  csrfCookieName: string;
  csrfHeaderName: string;
  /** Toolbar buttons (DELETE, OPTIONS) and the forms' panels, already HTML. */
  toolbarHtml: string;
  formsHtml: string;
}

function withNext(url: string, next: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}next=${encodeURIComponent(next)}`;
}

function userHtml(page: PageModel): string {
  if (page.user.name === null) {
    if (!page.loginUrl) return "";
    return `<a class="login" href="${escapeHtml(withNext(page.loginUrl, page.fullPath))}">Log in</a>`;
  }
  const name = `<span class="username">${escapeHtml(page.user.name)}</span>`;
  if (!page.logoutUrl) return name;
  // Django's LogoutView takes a POST with the CSRF token (the page's script fills it in from the cookie).
  return `${name}<form method="post" action="${escapeHtml(page.logoutUrl)}" class="logout">
<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf-cookie>
<input type="hidden" name="next" value="${escapeHtml(page.fullPath)}">
<button type="submit">Log out</button></form>`;
}

function descriptionHtml(text: string): string {
  if (!text.trim()) return "";
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
    .join("");
  return `<div class="description">${paragraphs}</div>`;
}

export function renderPage(page: PageModel): string {
  const statusText = STATUS_TEXT[page.status] ?? "";
  const headerLines = page.headers
    .map(([name, value]) => `\n<b>${escapeHtml(name)}:</b> ${escapeHtml(value)}`)
    .join("");
  const contentHtml = `<div class="page-header">
<h1>${escapeHtml(page.name)}</h1>
<div class="toolbar">${page.toolbarHtml}</div>
</div>
${descriptionHtml(page.description)}
<p class="allowed">Allowed methods: <span class="allowed-methods">${escapeHtml(page.allowedMethods.join(", "))}</span></p>
<div class="request-info"><pre class="request"><b>${escapeHtml(page.method)}</b> ${escapeHtml(page.fullPath)}</pre></div>
<div class="response-info"><pre class="response"><span class="meta"><b>HTTP ${page.status} ${escapeHtml(statusText)}</b>${headerLines}</span>

<code class="response-body">${page.bodyHtml}</code></pre></div>
${page.formsHtml}`;
  return basePageHtml({
    brand: page.title,
    title: page.name,
    contentHtml,
    userHtml: userHtml(page),
    bodyData: { csrfCookie: page.csrfCookieName, csrfHeader: page.csrfHeaderName },
    script: true,
  });
}
