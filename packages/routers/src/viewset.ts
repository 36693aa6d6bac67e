// What a router needs from a ViewSet class (@x/views' "Router contract"), read structurally
// so this module stays a thin adapter over views' classes.
import type { Handler } from "hono";
import type { ActionMapping } from "./routes.js";

/** One `@action` of a viewset, as `getExtraActions()` reports it. */
export interface ExtraAction {
  readonly name: string;
  readonly detail: boolean;
  readonly methods: readonly string[];
  readonly urlPath: string;
  readonly urlName: string;
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Method → handler name when methods map to different handlers (DRF's `@x.mapping.delete`). */
  readonly mapping?: ActionMapping;
}

/** Any view class (APIView and subclasses), as the schema generator sees it. */
export interface ViewClassLike {
  readonly name: string;
  readonly prototype: object;
}

/** A ViewSet class as a router sees it. */
export interface RoutableViewSet {
  readonly name: string;
  asView(actions: ActionMapping, initkwargs?: Record<string, unknown>): Handler;
  getExtraActions(): readonly ExtraAction[];
  readonly prototype: object;
}

/** A class attribute of the viewset (DRF's class attributes are static members here). */
export function viewsetAttribute(viewset: RoutableViewSet, name: string): unknown {
  return (viewset as unknown as Record<string, unknown>)[name];
}

/** Whether the viewset implements an action (DRF's `hasattr(viewset, action)`). */
export function hasAction(viewset: RoutableViewSet, action: string): boolean {
  return typeof (viewset.prototype as Record<string, unknown>)[action] === "function";
}

/** The action's method → handler mapping. */
export function actionMapping(action: ExtraAction): ActionMapping {
  if (action.mapping) return action.mapping;
  return Object.fromEntries(action.methods.map((m) => [m.toLowerCase(), action.name]));
}
