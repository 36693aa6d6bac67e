// drf-nested-routers' NestedSimpleRouter: routes under a parent's detail route, to any depth.
import { ImproperlyConfigured } from "./errors.js";
import { lookupParam } from "./lookup.js";
import { joinParts, type PathParts, parseHonoPath } from "./path.js";
import { type Registration, type RouterOptions, SimpleRouter } from "./simple-router.js";

export interface NestedRouterOptions extends RouterOptions {
  /** Name of the parent lookup: `"author"` → the kwarg `author_pk` (default `nested_{depth}`). */
  lookup?: string;
}

export class NestedSimpleRouter extends SimpleRouter {
  readonly parentRouter: SimpleRouter;
  readonly parentPrefix: string;
  /** 1 under a plain router, 2 under a nested one, … */
  readonly nestCount: number;
  /** `{lookup}_`, prefixed to the parent's lookup kwarg. */
  readonly nestPrefix: string;
  /** Path from the mount to this router's registrations: `authors/{author_pk}/`. */
  readonly parentParts: PathParts;

  constructor(parentRouter: SimpleRouter, parentPrefix: string, options: NestedRouterOptions = {}) {
    super({ trailingSlash: parentRouter.trailingSlash, ...options });
    this.parentRouter = parentRouter;
    this.parentPrefix = parentPrefix;
    this.nestCount = (parentRouter instanceof NestedSimpleRouter ? parentRouter.nestCount : 0) + 1;
    const lookup = options.lookup ?? `nested_${this.nestCount}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(lookup)) {
      throw new ImproperlyConfigured(`Nested router lookup "${lookup}" must be a valid identifier.`);
    }
    this.nestPrefix = `${lookup}_`;
    const parent = parentRouter.registry.find((r) => r.prefix === parentPrefix);
    if (!parent) {
      throw new ImproperlyConfigured(
        `Nested router: no viewset is registered at prefix "${parentPrefix}" on the parent router; register it before nesting.`,
      );
    }
    const above = parentRouter instanceof NestedSimpleRouter ? parentRouter.parentParts : [];
    const lookupPart = lookupParam(parent.viewset, this.nestPrefix);
    this.parentParts = joinParts(above, parentPrefix === "" ? [] : [...parseHonoPath(parentPrefix), "/"], [
      lookupPart,
      "/",
    ]);
  }

  protected override prefixParts(registration: Registration): PathParts {
    return joinParts(this.parentParts, parseHonoPath(registration.prefix));
  }
}
