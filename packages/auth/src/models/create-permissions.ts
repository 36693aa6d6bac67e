import type { AnyModel } from "@x/models";
import { Permission } from "./permission.js";

/** Django's default_permissions. */
export const DEFAULT_PERMISSIONS = ["add", "change", "delete", "view"] as const;

/**
 * Django's create_permissions (post-migrate): `add/change/delete/view_<model>`
 * for every model given, created once (two queries, whatever the count).
 */
export async function createPermissions(models: readonly AnyModel[]): Promise<number> {
  const wanted = models
    .filter((m) => !m.meta.autoCreated)
    .flatMap((m) =>
      DEFAULT_PERMISSIONS.map((action) => ({
        codename: `${action}_${m.meta.modelName}`,
        app_label: m.meta.appLabel,
        model: m.meta.modelName,
        name: `Can ${action} ${m.meta.verboseName}`,
      })),
    );
  if (wanted.length === 0) return 0;
  const appLabels = [...new Set(wanted.map((w) => w.app_label))];
  const existing = new Set(
    (
      await Permission.objects.filter({ app_label__in: appLabels }).values("app_label", "model", "codename")
    ).map(
      (p: { app_label: string; model: string; codename: string }) =>
        `${p.app_label}.${p.model}.${p.codename}`,
    ),
  );
  const missing = wanted.filter((w) => !existing.has(`${w.app_label}.${w.model}.${w.codename}`));
  if (missing.length > 0) await Permission.objects.bulkCreate(missing.map((w) => new Permission(w)));
  return missing.length;
}
