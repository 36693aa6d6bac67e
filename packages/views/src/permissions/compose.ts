// DRF's permission operators `&`, `|`, `~` as functions returning a permission class.
import type { Awaitable, Permission, PermissionClass, ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";

const allow = async (permission: Permission, request: Request, view: ViewLike): Promise<boolean> =>
  permission.hasPermission ? await permission.hasPermission(request, view) : true;

const allowObject = async (
  permission: Permission,
  request: Request,
  view: ViewLike,
  obj: unknown,
): Promise<boolean> =>
  permission.hasObjectPermission ? await permission.hasObjectPermission(request, view, obj) : true;

/** Every permission must allow; the message is the first denier's. */
export function and(...classes: PermissionClass[]): PermissionClass {
  return class AndPermission implements Permission {
    private readonly parts = classes.map((C) => new C());
    message?: Permission["message"];
    code?: string;

    async hasPermission(request: Request, view: ViewLike): Promise<boolean> {
      for (const part of this.parts) {
        if (!(await allow(part, request, view))) return this.deny(part);
      }
      return true;
    }

    async hasObjectPermission(request: Request, view: ViewLike, obj: unknown): Promise<boolean> {
      for (const part of this.parts) {
        if (!(await allowObject(part, request, view, obj))) return this.deny(part);
      }
      return true;
    }

    private deny(part: Permission): false {
      this.message = part.message;
      this.code = part.code;
      return false;
    }
  };
}

/** Any permission may allow. Object level: a part allows when both its checks pass (DRF ≥ 3.14). */
export function or(...classes: PermissionClass[]): PermissionClass {
  return class OrPermission implements Permission {
    private readonly parts = classes.map((C) => new C());
    message?: Permission["message"];
    code?: string;

    async hasPermission(request: Request, view: ViewLike): Promise<boolean> {
      for (const part of this.parts) if (await allow(part, request, view)) return true;
      this.takeMessage();
      return false;
    }

    async hasObjectPermission(request: Request, view: ViewLike, obj: unknown): Promise<boolean> {
      for (const part of this.parts) {
        if ((await allow(part, request, view)) && (await allowObject(part, request, view, obj))) return true;
      }
      this.takeMessage();
      return false;
    }

    private takeMessage(): void {
      const last = this.parts.at(-1);
      this.message = last?.message;
      this.code = last?.code;
    }
  };
}

/** Inverts both checks (DRF's `~`). */
export function not(Inner: PermissionClass): PermissionClass {
  return class NotPermission implements Permission {
    private readonly inner = new Inner();

    hasPermission(request: Request, view: ViewLike): Awaitable<boolean> {
      return allow(this.inner, request, view).then((ok) => !ok);
    }

    hasObjectPermission(request: Request, view: ViewLike, obj: unknown): Awaitable<boolean> {
      return allowObject(this.inner, request, view, obj).then((ok) => !ok);
    }
  };
}

/** DRF's AllowAny: the explicit "no restriction" permission. */
export class AllowAny implements Permission {
  hasPermission(): boolean {
    return true;
  }
}
