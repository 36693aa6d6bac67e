import { CASCADE, CharField, createTestDatabase, defineModel, ForeignKey, loadData } from "@x/models";
import { AbstractUser, authModels, createPermissions, userService } from "../../src/index.js";

/** The project's user model, as the shop-api defines it (AUTH_USER_MODEL = users.User). */
export const User = defineModel("users.User", {
  extends: [AbstractUser],
  fields: {},
  meta: { dbTable: "users_user" },
});
export const auth = authModels(User);
export const users = userService(User);

export const Product = defineModel("products.Product", {
  fields: { name: CharField({ maxLength: 100 }) },
  meta: { dbTable: "products_product" },
});

export const Document = defineModel("documents.Document", {
  fields: {
    title: CharField({ maxLength: 100 }),
    owner: ForeignKey(() => User, { onDelete: CASCADE, relatedName: "documents" }),
  },
  meta: { dbTable: "documents_document", ordering: ["id"] },
});

// Rows shaped as in the shop fixture (Django's dumpdata of users.user and auth.group).
const user = (pk: number, username: string, extra: Record<string, unknown> = {}) => ({
  model: "users.user",
  pk,
  fields: {
    password: `pbkdf2_sha256$20000$fixturesalt${pk}$${HASHES[pk]}`,
    last_login: null,
    is_superuser: false,
    username,
    first_name: "",
    last_name: "",
    email: `${username}@example.com`,
    is_staff: false,
    is_active: true,
    date_joined: `2026-01-01T00:0${pk}:00Z`,
    groups: [],
    user_permissions: [],
    ...extra,
  },
});
const HASHES: Record<number, string> = {
  1: "z3VbaHVeLXtYnKfEiSJzokdnK/5dftj8BgJlbnEfmkA=",
  2: "OJxiJt0XLVav3BQkIBmNOmptpppQnwNFbalZxXmB/1Q=",
  3: "wKdsDocjzFdJKW/y2r4Kb7NonJljK+upe4qqTRbA+lw=",
  4: "zBYxF28cLllxZR8M2tTX8KhnFs0U9KNlcyJWznATTz4=",
  5: "mz/68AfR8VI3yp5vfl2FetRoQsa61bxU45OYLEjDIls=",
};
export const FIXTURE = [
  {
    model: "auth.group",
    pk: 1,
    fields: {
      name: "Catalog managers",
      permissions: [
        ["add_product", "products", "product"],
        ["change_product", "products", "product"],
        ["delete_product", "products", "product"],
        ["view_product", "products", "product"],
      ],
    },
  },
  user(1, "admin", { is_superuser: true, is_staff: true }),
  user(2, "manager", { is_staff: true, groups: [1] }),
  user(3, "inactive", { is_active: false }),
  user(4, "edsger4"),
  user(5, "guido5"),
];

export async function setupDatabase() {
  const tdb = await createTestDatabase({ models: [...auth.all, Product, Document] });
  return {
    tdb,
    async reset() {
      await tdb.reset();
      await createPermissions([Product, Document, User]);
      await loadData(FIXTURE);
    },
  };
}
