// DRF's DefaultRouter: a SimpleRouter plus the API root listing every list route.
import { APIView, type Request, Response } from "@x/views";
import { NoReverseMatch } from "./errors.js";
import { type RouterOptions, SimpleRouter } from "./simple-router.js";
import type { URLPattern } from "./url-pattern.js";

/** DRF's APIRootView: `{prefix: absolute list URL}` for every registered viewset it can reverse. */
export class APIRootView extends APIView {
  static override viewName = "Api Root";
  /** DRF's `_ignore_model_permissions`: the root has no model, DjangoModelPermissions lets it through. */
  static ignoreModelPermissions = true;
  /** Not part of the OpenAPI document (DRF's `schema = None`). */
  static excludeFromSchema = true;
  /** prefix → list route name; set per router through the view's initkwargs. */
  declare apiRootDict: Readonly<Record<string, string>>;

  // Not async: a view whose handler answers at once is answered in the same tick (APIView.dispatch).
  get(request: Request): Response {
    const names = this.apiRootDict;
    let bodies = rootBodies.get(names);
    if (!bodies) {
      bodies = new Map();
      rootBodies.set(names, bodies);
    }
    // The links depend on the origin, the mount and prefix kwargs (the path) and the version only.
    const key = `${request.origin}${request.path}\n${request.version ?? ""}`;
    let body = bodies.get(key);
    if (!body) {
      body = this.links();
      if (bodies.size >= MAX_ROOT_BODIES) bodies.clear();
      bodies.set(key, body);
    }
    // A copy the caller may change (a spread: V8 clones a same-shape object in one step).
    return new Response({ ...body });
  }

  /** `{prefix: absolute list URL}` for every list route this request can reverse. */
  protected links(): Record<string, string> {
    const body: Record<string, string> = {};
    const names = this.apiRootDict;
    // for-in, not Object.entries: no array of pairs per request (a runtime call in V8).
    for (const key in names) {
      try {
        body[key] = this.reverse(names[key] as string, this.kwargs);
      } catch (error) {
        // A list route that needs more kwargs than the root has (nested) is left out, as DRF does.
        if (error instanceof NoReverseMatch || (error instanceof Error && error.name === "NoReverseMatch"))
          continue;
        throw error;
      }
    }
    return body;
  }
}

// The root's links per router registration (its apiRootDict), then per origin, path and version:
// the URL conf is fixed once mounted, so every request to the same root gets the same links.
// Bounded: the Host is the client's.
const rootBodies = new WeakMap<object, Map<string, Readonly<Record<string, string>>>>();
const MAX_ROOT_BODIES = 64;

export interface DefaultRouterOptions extends RouterOptions {
  /** Serve the API root at the mount's root (default true). */
  includeRootView?: boolean;
  /** The root view class (default APIRootView), e.g. with other permissions. */
  rootView?: typeof APIRootView;
  /** Name of the root route (default "api-root"). */
  rootViewName?: string;
}

export class DefaultRouter extends SimpleRouter {
  readonly includeRootView: boolean;
  readonly rootView: typeof APIRootView;
  readonly rootViewName: string;

  constructor(options: DefaultRouterOptions = {}) {
    super(options);
    this.includeRootView = options.includeRootView ?? true;
    this.rootView = options.rootView ?? APIRootView;
    this.rootViewName = options.rootViewName ?? "api-root";
  }

  /** prefix → `{basename}-list` for every registration (DRF's api_root_dict). */
  getApiRootDict(): Record<string, string> {
    const listRoute = this.routes.find((r) => r.kind === "route" && !r.detail);
    const template = listRoute?.name ?? "{basename}-list";
    return Object.fromEntries(
      this.registry.map((r) => [r.prefix, template.replaceAll("{basename}", r.basename)]),
    );
  }

  override getUrls(): URLPattern[] {
    const urls = super.getUrls();
    if (!this.includeRootView) return urls;
    const initkwargs = { apiRootDict: this.getApiRootDict() };
    urls.push({
      route: "",
      parts: [],
      matches: [[]],
      params: [],
      name: this.rootViewName,
      mapping: { get: "get" },
      detail: false,
      basename: null,
      prefix: "",
      kind: "root",
      viewset: null,
      viewClass: this.rootView,
      initkwargs,
      view: this.rootView.asView(initkwargs),
    });
    return urls;
  }
}
