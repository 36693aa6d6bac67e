import { MethodNotAllowed, NotFound, type Request, type ViewLike } from "@x/views";
import { BasePermission, SAFE_METHODS } from "./base.js";
import { userHasPerms } from "./permission-user.js";

interface ModelMetaLike {
  appLabel: string;
  modelName: string;
}

/** The model a view works on: its `getQueryset()` or `queryset` (DRF's `_queryset`). */
async function viewModelMeta(view: ViewLike): Promise<ModelMetaLike> {
  const getQueryset = (view as unknown as { getQueryset?: () => unknown }).getQueryset;
  const qs =
    // Never await a QuerySet: it is thenable, and awaiting it would run the query.
    (typeof getQueryset === "function" ? getQueryset.call(view) : view.getAttribute("queryset")) as
      | { model?: { meta?: ModelMetaLike } }
      | undefined;
  const meta = qs?.model?.meta;
  if (!meta) {
    throw new Error(
      "Cannot apply DjangoModelPermissions on a view that does not set `queryset` or have a `getQueryset()` method.",
    );
  }
  return meta;
}

type PermsMap = Readonly<Record<string, readonly string[]>>;

function expand(templates: readonly string[] | undefined, meta: ModelMetaLike, method: string): string[] {
  if (templates === undefined) throw new MethodNotAllowed(method);
  return templates.map((t) =>
    t.replaceAll("%(app_label)s", meta.appLabel).replaceAll("%(model_name)s", meta.modelName),
  );
}

/**
 * DRF's DjangoModelPermissions: POST needs `add`, PUT/PATCH `change`, DELETE
 * `delete` on the view's model; reads need nothing; anonymous users are refused
 * (→ 401 from the view; authenticated users without the permission → 403).
 */
export class DjangoModelPermissions extends BasePermission {
  static permsMap: PermsMap = {
    GET: [],
    OPTIONS: [],
    HEAD: [],
    POST: ["%(app_label)s.add_%(model_name)s"],
    PUT: ["%(app_label)s.change_%(model_name)s"],
    PATCH: ["%(app_label)s.change_%(model_name)s"],
    DELETE: ["%(app_label)s.delete_%(model_name)s"],
  };
  authenticatedUsersOnly = true;

  protected get permsMap(): PermsMap {
    return (this.constructor as typeof DjangoModelPermissions).permsMap;
  }

  getRequiredPermissions(method: string, meta: ModelMetaLike): string[] {
    return expand(this.permsMap[method], meta, method);
  }

  override hasPermission(request: Request, view: ViewLike): boolean | Promise<boolean> {
    if (!request.user.isAuthenticated && this.authenticatedUsersOnly) return false;
    // DRF's `_ignore_model_permissions` (the API root view sets it).
    if (view.getAttribute("ignoreModelPermissions") === true) return true;
    // A method needing no permission (reads) needs no model either: answered at once, without
    // building the view's queryset for its model (has_perms([]) is true for anyone). Unless a
    // subclass decides the permissions itself from the model.
    const templates = this.permsMap[request.method];
    if (templates?.length === 0 && this.getRequiredPermissions === DEFAULT_REQUIRED) return true;
    return this.modelPermission(request, view);
  }

  private async modelPermission(request: Request, view: ViewLike): Promise<boolean> {
    const perms = this.getRequiredPermissions(request.method, await viewModelMeta(view));
    return userHasPerms(request.user, perms);
  }
}

const DEFAULT_REQUIRED = DjangoModelPermissions.prototype.getRequiredPermissions;

/** DRF's DjangoModelPermissionsOrAnonReadOnly. */
export class DjangoModelPermissionsOrAnonReadOnly extends DjangoModelPermissions {
  override authenticatedUsersOnly = false;
}

/**
 * DRF's DjangoObjectPermissions: the model permission must be held on the object
 * (an object-permission backend answers). A user who may not even read the
 * object gets 404, so its existence is not revealed.
 */
export class DjangoObjectPermissions extends DjangoModelPermissions {
  getRequiredObjectPermissions(method: string, meta: ModelMetaLike): string[] {
    return expand(this.permsMap[method], meta, method);
  }

  override async hasObjectPermission(request: Request, view: ViewLike, obj: unknown): Promise<boolean> {
    const meta = await viewModelMeta(view);
    const perms = this.getRequiredObjectPermissions(request.method, meta);
    if (await userHasPerms(request.user, perms, obj)) return true;
    if (SAFE_METHODS.includes(request.method)) throw new NotFound();
    const readPerms = this.getRequiredObjectPermissions("GET", meta);
    if (!(await userHasPerms(request.user, readPerms, obj))) throw new NotFound();
    return false;
  }
}
