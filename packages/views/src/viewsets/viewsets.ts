// ViewSet, GenericViewSet, ModelViewSet, ReadOnlyModelViewSet.
import type { Handler } from "hono";
import { GenericAPIView } from "../generics/generic-api-view.js";
import {
  CreateModelMixin,
  DestroyModelMixin,
  ListModelMixin,
  RetrieveModelMixin,
  UpdateModelMixin,
} from "../generics/mixins.js";
import type { Request } from "../request/request.js";
import type { Response } from "../response/response.js";
import { APIView, type ViewOptions } from "../views/api-view.js";
import type { ActionOptions, ExtraAction } from "./action.js";
import { type ActionMap, extraActionsOf, viewSetAsView } from "./viewset-mixin.js";

/** A ViewSet without model behaviour (DRF's viewsets.ViewSet). */
export class ViewSet extends APIView {
  /** Extra actions (DRF's @action): method name → routing and per-action options. */
  static actions?: Record<string, ActionOptions | undefined>;
  actionMap: ActionMap = {};

  static override asView(actions: ActionMap, initkwargs?: ViewOptions): Handler {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return viewSetAsView(this, actions, initkwargs);
  }

  static getExtraActions(): ExtraAction[] {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return extraActionsOf(this);
  }

  /** Whether the class implements `action` (routers map only the actions a ViewSet has). */
  static hasAction(action: string): boolean {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return typeof (this.prototype as unknown as Record<string, unknown>)[action] === "function";
  }

  /** Absolute URL of `{basename}-{urlName}` (DRF's reverse_action). */
  reverseAction(urlName: string, kwargs?: Record<string, unknown>): string {
    return this.reverse(`${this.getAttribute<string>("basename")}-${urlName}`, kwargs);
  }
}

/** GenericAPIView + ViewSet routing, no actions (DRF's GenericViewSet). */
export class GenericViewSet<T = unknown> extends GenericAPIView<T> {
  static actions?: Record<string, ActionOptions | undefined>;
  actionMap: ActionMap = {};

  static override asView(actions: ActionMap, initkwargs?: ViewOptions): Handler {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return viewSetAsView(this, actions, initkwargs);
  }

  static getExtraActions(): ExtraAction[] {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return extraActionsOf(this);
  }

  static hasAction(action: string): boolean {
    // biome-ignore lint/complexity/noThisInStatic: polymorphic: `this` is the subclass the method is called on
    return typeof (this.prototype as unknown as Record<string, unknown>)[action] === "function";
  }

  reverseAction(urlName: string, kwargs?: Record<string, unknown>): string {
    return this.reverse(`${this.getAttribute<string>("basename")}-${urlName}`, kwargs);
  }
}

type View = GenericAPIView<unknown>;

export class ReadOnlyModelViewSet<T = unknown> extends GenericViewSet<T> {
  list(request: Request): Promise<Response> {
    return ListModelMixin.list.call(this as View, request);
  }
  retrieve(request: Request): Promise<Response> {
    return RetrieveModelMixin.retrieve.call(this as View, request);
  }
}

export class ModelViewSet<T = unknown> extends GenericViewSet<T> {
  list(request: Request): Promise<Response> {
    return ListModelMixin.list.call(this as View, request);
  }
  create(request: Request): Promise<Response> {
    return CreateModelMixin.create.call(this as View, request);
  }
  retrieve(request: Request): Promise<Response> {
    return RetrieveModelMixin.retrieve.call(this as View, request);
  }
  update(request: Request): Promise<Response> {
    return UpdateModelMixin.update.call(this as View, request);
  }
  partialUpdate(request: Request): Promise<Response> {
    return UpdateModelMixin.partialUpdate.call(this as View, request);
  }
  destroy(request: Request): Promise<Response> {
    return DestroyModelMixin.destroy.call(this as View, request);
  }
}
