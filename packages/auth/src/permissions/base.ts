import type { Awaitable, Permission, Request, ViewLike } from "@x/views";

/** DRF's SAFE_METHODS. */
export const SAFE_METHODS: readonly string[] = ["GET", "HEAD", "OPTIONS"];

export function isSafeMethod(request: Request): boolean {
  return SAFE_METHODS.includes(request.method);
}

/** DRF's BasePermission: allows everything until a method is overridden. */
export class BasePermission implements Permission {
  message?: string | Record<string, unknown>;
  code?: string;
  hasPermission(_request: Request, _view: ViewLike): Awaitable<boolean> {
    return true;
  }
  hasObjectPermission(_request: Request, _view: ViewLike, _obj: unknown): Awaitable<boolean> {
    return true;
  }
}

export type PermissionCtor = new () => Permission;
