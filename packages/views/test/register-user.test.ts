// `request.user` typed by the application through the Register augmentation point.
import { Hono } from "hono";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Request } from "../src/index.js";
import { type AnonymousUser, APIClient, APIView, type RegisteredUser, Response } from "../src/index.js";

interface ShopUser {
  readonly isAuthenticated: true;
  readonly pk: number;
  readonly username: string;
  readonly is_staff: boolean;
}

declare module "../src/index.js" {
  interface Register {
    user: ShopUser;
  }
}

class Me extends APIView {
  async get(request: Request): Promise<Response> {
    const user = request.user;
    // Narrowed by isAuthenticated: no cast to read the application's fields.
    if (!user.isAuthenticated) return new Response({ username: null });
    return new Response({ username: user.username, staff: user.is_staff });
  }
}

describe("Register", () => {
  it("types request.user as the registered user or AnonymousUser", async () => {
    expectTypeOf<RegisteredUser>().toEqualTypeOf<ShopUser>();
    expectTypeOf<Request["user"]>().toEqualTypeOf<ShopUser | AnonymousUser>();
    const app = new Hono();
    app.all("/me/", Me.asView());
    const client = new APIClient(app);
    expect((await client.get("/me/")).data).toEqual({ username: null });
    const ada: ShopUser = { isAuthenticated: true, pk: 1, username: "ada", is_staff: false };
    expect((await client.forceAuthenticate(ada).get("/me/")).data).toEqual({ username: "ada", staff: false });
  });
});
