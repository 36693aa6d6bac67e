import type { FilterBackend, Request, ViewLike } from "@x/views";
import { getObjectsForUser } from "./object-permissions.js";

interface QuerySetWithModel {
  readonly model: { readonly meta: { appLabel: string; modelName: string } };
}

/**
 * djangorestframework-guardian's ObjectPermissionsFilter: list views show only
 * the objects the user may view (`app_label.view_model`), as one query.
 */
export class ObjectPermissionsFilter implements FilterBackend {
  permFormat = "%(app_label)s.view_%(model_name)s";

  filterQueryset<Q>(request: Request, queryset: Q, _view: ViewLike): Q {
    const { meta } = (queryset as unknown as QuerySetWithModel).model;
    const perm = this.permFormat
      .replace("%(app_label)s", meta.appLabel)
      .replace("%(model_name)s", meta.modelName);
    // DRF-guardian's filter looks at object permissions only.
    return getObjectsForUser(request.user as never, perm, {
      klass: queryset as never,
      acceptGlobalPerms: false,
    }) as unknown as Q;
  }
}
