import { createTestDatabase } from "@x/models";
import { afterAll, describe, expect, it } from "vitest";
import { authModels, createPermissions, defaultUserModel, Permission, userService } from "../src/index.js";

// A project without its own user model: Django's auth.User.
const User = defaultUserModel();
const auth = authModels(User);
const users = userService(User);
const tdb = await createTestDatabase({ models: auth.all });
afterAll(async () => {
  await tdb.close();
});

describe("the default auth.User", () => {
  it("is one model, stored in auth_user, with users, permissions and tokens", async () => {
    expect(defaultUserModel()).toBe(User);
    expect(User.meta.label).toBe("auth.User");
    expect(User.meta.dbTable).toBe("auth_user");
    const ann = await users.createUser("ann", "ann@example.com", "a-long-password");
    expect((await users.authenticate({ username: "ann", password: "a-long-password" }))?.pk).toBe(ann.pk);
    await createPermissions([User]);
    await ann.related("user_permissions").add(await Permission.objects.get({ codename: "view_user" }));
    expect(await ann.hasPerm("auth.view_user")).toBe(true);
    const token = await auth.Token.objects.create({ user: ann });
    expect(token.key).toMatch(/^[0-9a-f]{40}$/);
  });
});
