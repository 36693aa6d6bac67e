import { CharField, defineModel, ManyToManyField } from "@x/models";

/**
 * Django's auth.Permission, keyed by app label and model name directly (no
 * ContentType table): `app_label.codename` is what hasPerm checks, and the
 * natural key `[codename, app_label, model]` is what fixtures refer to.
 */
export const Permission = defineModel("auth.Permission", {
  fields: {
    name: CharField({ maxLength: 255 }),
    codename: CharField({ maxLength: 100 }),
    app_label: CharField({ maxLength: 100 }),
    model: CharField({ maxLength: 100 }),
  },
  meta: {
    dbTable: "auth_permission",
    uniqueTogether: [["app_label", "model", "codename"]],
    ordering: ["app_label", "model", "codename"],
  },
  querySet: {
    getByNaturalKey(codename: unknown, app_label: unknown, model: unknown) {
      return this.get({ codename: String(codename), app_label: String(app_label), model: String(model) });
    },
  },
  methods: {
    toString(): string {
      return `${this.app_label} | ${this.model} | ${this.name}`;
    },
    naturalKey(): [string, string, string] {
      return [this.codename, this.app_label, this.model];
    },
  },
});

/** Django's auth.Group: a named set of permissions users belong to. */
export const Group = defineModel("auth.Group", {
  fields: {
    name: CharField({ maxLength: 150, unique: true }),
    permissions: ManyToManyField(() => Permission, { blank: true, dbTable: "auth_group_permissions" }),
  },
  meta: { dbTable: "auth_group" },
  querySet: {
    getByNaturalKey(name: unknown) {
      return this.get({ name: String(name) });
    },
  },
  methods: {
    toString(): string {
      return this.name;
    },
    naturalKey(): [string] {
      return [this.name];
    },
  },
});
