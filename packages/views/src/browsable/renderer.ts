// DRF's BrowsableAPIRenderer: `text/html` (or `?format=api`) answers with a
// page showing the response and forms built from the view's write
// serializer. Chosen by content negotiation only, so JSON clients never pay
// for it: the JSON renderer stays first, and `*/*` or no Accept picks it.
import { APIException } from "../exceptions/api-exception.js";
import type { SerializerClassLike, SerializerContext, SerializerLike } from "../generics/contracts.js";
import type { Request } from "../request/request.js";
import type { Renderer, RendererContext } from "../response/renderers.js";
import type { Response } from "../response/response.js";
import type { APIView } from "../views/api-view.js";
import { escapeHtml } from "./escape.js";
import { buildFormFields, type FormField } from "./form-fields.js";
import { htmlFormHtml, rawFormHtml } from "./form-html.js";
import { jsonToHtml } from "./json-html.js";
import { renderPage } from "./page.js";

export interface BrowsableAPIOptions {
  /** The brand in the page header. */
  title?: string;
  /** DRF's `rest_framework:login`: a "Log in" link (with `?next=`) when set. */
  loginUrl?: string | null;
  /** DRF's `rest_framework:logout`: the "Log out" button posts here when set. */
  logoutUrl?: string | null;
  /** Where the page's script reads the CSRF token from, and the header it sends it in (Django's defaults). */
  csrfCookieName?: string;
  csrfHeaderName?: string;
}

const DEFAULT_OPTIONS: Required<BrowsableAPIOptions> = {
  title: "REST API",
  loginUrl: null,
  logoutUrl: null,
  csrfCookieName: "csrftoken",
  csrfHeaderName: "X-CSRFToken",
};

/** The parts of a generic view the forms need (GenericAPIView and ViewSets have them). */
interface GenericLike {
  getSerializerClass(): SerializerClassLike;
  getSerializer(options?: { instance?: unknown }): SerializerLike;
  getSerializerContext(): SerializerContext;
  getObject(): Promise<unknown>;
}

function isGeneric(view: unknown): view is APIView & GenericLike {
  const v = view as Partial<GenericLike>;
  return (
    typeof v.getSerializerClass === "function" &&
    typeof v.getSerializer === "function" &&
    typeof v.getObject === "function"
  );
}

/** DRF's override_method: the view and request as if they handled `method` (its action, its serializer). */
async function asMethod<T>(view: APIView, request: Request, method: string, run: () => Promise<T>) {
  const originalMethod = request.method;
  const originalAction = view.action;
  const actionMap = (view as { actionMap?: Record<string, string | undefined> }).actionMap;
  (request as { method: string }).method = method;
  if (actionMap) view.action = actionMap[method.toLowerCase()];
  try {
    return await run();
  } finally {
    (request as { method: string }).method = originalMethod;
    view.action = originalAction;
  }
}

/** Runs `check`; an APIException (no permission, no object) means "no form", anything else is a bug. */
async function permitted(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (error instanceof APIException) return false;
    throw error;
  }
}

function titleCase(header: string): string {
  return header
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("-");
}

/** Allow, Content-Type and Vary first (as DRF's page), then the rest; cookies are never shown. */
function shownHeaders(headers: Headers): Array<[string, string]> {
  const first = ["allow", "content-type", "vary"];
  const out: Array<[string, string]> = [];
  for (const name of first) {
    const value = headers.get(name);
    if (value !== null) out.push([titleCase(name), value]);
  }
  for (const [name, value] of headers) {
    if (!first.includes(name) && name !== "set-cookie") out.push([titleCase(name), value]);
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function formErrors(errors: Record<string, unknown>, fields: readonly FormField[]): string[] {
  const names = new Set(fields.map((f) => f.name));
  const out: string[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (names.has(key)) continue;
    const messages = Array.isArray(value) ? value : [value];
    for (const m of messages) out.push(typeof m === "string" ? m : JSON.stringify(m));
  }
  return out;
}

/** The raw form's starting body for a create: every writable field with an empty value. */
function emptyBody(fields: readonly FormField[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.encoding === "string") body[f.name] = "";
    else if (f.encoding === "boolean") body[f.name] = false;
    else if (f.encoding === "choices") body[f.name] = [];
    else body[f.name] = null;
  }
  return body;
}

interface Bound {
  values: Record<string, unknown>;
  errors: Record<string, unknown>;
}

/** The submitted data and the errors of a failed unsafe request, to re-show them in its form. */
async function boundTo(request: Request, response: Response): Promise<Bound | null> {
  if (response.status < 400 || response.status >= 500) return null;
  if (!["POST", "PUT", "PATCH"].includes(request.method)) return null;
  let values: Record<string, unknown> = {};
  try {
    values = asRecord(await request.data);
  } catch {
    // The body did not parse (that is the error shown): the form starts empty.
  }
  return { values, errors: asRecord(response.data) };
}

export class BrowsableAPIRenderer implements Renderer {
  static options: Required<BrowsableAPIOptions> = DEFAULT_OPTIONS;

  /** A renderer class with these options (bound once at startup, like `JWTAuthentication.using`). */
  static configure(options: BrowsableAPIOptions): typeof BrowsableAPIRenderer {
    // biome-ignore lint/complexity/noThisInStatic: a subclass configures on top of its parent's options
    const merged = { ...this.options, ...options };
    // biome-ignore lint/complexity/noThisInStatic: a subclass configures on top of its parent's options
    return class extends this {
      static override options = merged;
    };
  }

  readonly mediaType = "text/html";
  readonly format = "api";
  readonly charset = "utf-8";

  async render(data: unknown, _acceptedMediaType: string, context?: RendererContext): Promise<string> {
    const options = (this.constructor as typeof BrowsableAPIRenderer).options;
    if (!context) {
      // Without a view (a HEAD's validators): the body alone.
      return renderPage(this.bareModel(data, options));
    }
    const { view, request, response, headers } = context;
    const url = request.url;
    const user = request.user;
    const forms =
      response.status >= 500 ? { toolbar: "", panels: "" } : await this.forms(view, request, response);
    return renderPage({
      title: options.title,
      name: view.getViewName(),
      description: view.getViewDescription(),
      method: request.method,
      fullPath: url.pathname + url.search,
      status: response.status,
      headers: shownHeaders(headers),
      bodyHtml: jsonToHtml(data),
      allowedMethods: view.allowedMethods,
      user: { name: user.isAuthenticated ? displayName(user) : null },
      loginUrl: options.loginUrl,
      logoutUrl: options.logoutUrl,
      csrfCookieName: options.csrfCookieName,
      csrfHeaderName: options.csrfHeaderName,
      toolbarHtml: `${forms.toolbar}${formatLinks(url)}`,
      formsHtml: forms.panels,
    });
  }

  private bareModel(data: unknown, options: Required<BrowsableAPIOptions>) {
    return {
      title: options.title,
      name: options.title,
      description: "",
      method: "",
      fullPath: "",
      status: 200,
      headers: [],
      bodyHtml: jsonToHtml(data),
      allowedMethods: [],
      user: { name: null },
      loginUrl: null,
      logoutUrl: null,
      csrfCookieName: options.csrfCookieName,
      csrfHeaderName: options.csrfHeaderName,
      toolbarHtml: "",
      formsHtml: "",
    };
  }

  /** DRF's get_context forms: POST on a collection, PUT/PATCH (and DELETE) on an object, each only if permitted. */
  protected async forms(
    view: APIView,
    request: Request,
    response: Response,
  ): Promise<{ toolbar: string; panels: string }> {
    const allowed = view.allowedMethods;
    const toolbar: string[] = [];
    const panels: string[] = [];
    const bound = await boundTo(request, response);
    const parsers = view.getParsers().map((p) => p.mediaType);
    if (allowed.includes("OPTIONS")) {
      toolbar.push(
        '<form data-form="options" class="options-form"><button type="submit" class="secondary">OPTIONS</button></form>',
      );
    }
    if (!isGeneric(view)) return { toolbar: toolbar.join(""), panels: "" };

    let instance: unknown;
    const objectMethods = ["PUT", "PATCH"].filter((m) => allowed.includes(m));
    const writeMethods: string[] = [];
    for (const method of objectMethods) {
      const ok = await asMethod(view, request, method, () =>
        permitted(async () => {
          await view.checkPermissions(request);
          instance ??= await view.getObject();
        }),
      );
      if (ok) writeMethods.push(method);
    }
    if (allowed.includes("DELETE")) {
      const ok = await asMethod(view, request, "DELETE", () =>
        permitted(async () => {
          await view.checkPermissions(request);
          if (instance !== undefined) await view.checkObjectPermissions(request, instance);
        }),
      );
      if (ok) {
        toolbar.unshift(
          '<form data-form="delete" class="delete-form"><button type="submit" class="danger">DELETE</button></form>',
        );
      }
    }
    if (writeMethods.length > 0) {
      panels.push(await this.formPanel(view, request, writeMethods, instance, bound, parsers));
    } else if (allowed.includes("POST")) {
      const ok = await asMethod(view, request, "POST", () => permitted(() => view.checkPermissions(request)));
      if (ok) panels.push(await this.formPanel(view, request, ["POST"], undefined, bound, parsers));
    }
    return {
      toolbar: toolbar.join(""),
      panels: panels.length > 0 ? `<section class="forms">${panels.join("\n")}</section>` : "",
    };
  }

  private async formPanel(
    view: APIView & GenericLike,
    request: Request,
    methods: string[],
    instance: unknown,
    bound: Bound | null,
    parsers: string[],
  ): Promise<string> {
    const primary = methods[0] as string;
    // The request that failed was this form's: show what was sent, and the errors beside it.
    const mine = bound && methods.includes(request.method) ? bound : null;
    return asMethod(view, request, primary, async () => {
      const Serializer = view.getSerializerClass();
      const context = view.getSerializerContext();
      const initial = instance === undefined ? {} : asRecord(await view.getSerializer({ instance }).data);
      const values = mine ? mine.values : initial;
      const errors = mine ? mine.errors : {};
      const fields = await buildFormFields({ Serializer, context, values, errors });
      const id = primary.toLowerCase();
      const html = htmlFormHtml({ id, methods, fields, formErrors: formErrors(errors, fields) });
      const content = mine ? mine.values : instance === undefined ? emptyBody(fields) : initial;
      const raw = rawFormHtml({
        id,
        methods,
        content: JSON.stringify(content, null, 4),
        mediaTypes: parsers,
      });
      const heading = methods.join(" / ");
      return `<div class="panel" id="${escapeHtml(id)}-panel"><h2>${escapeHtml(heading)}</h2>${html}</div>
<div class="panel" id="${escapeHtml(id)}-raw-panel"><h2>Raw data</h2>${raw}</div>`;
    });
  }
}

function displayName(user: unknown): string {
  const u = user as { username?: unknown; getUsername?: () => unknown; pk?: unknown };
  if (typeof u.getUsername === "function") return String(u.getUsername());
  if (typeof u.username === "string" && u.username) return u.username;
  return String(u.pk ?? "user");
}

/** DRF's GET dropdown: the same URL as JSON or as this page. */
function formatLinks(url: URL): string {
  const json = new URL(url);
  json.searchParams.set("format", "json");
  return `<a class="button secondary format-json" href="${escapeHtml(json.pathname + json.search)}">json</a>`;
}
