import { APIClient, APIView, defineSettings, type Request, Response, type ViewLike, ViewSet } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  AllowAny,
  and,
  BasePermission,
  BasicAuthentication,
  DjangoModelPermissions,
  DjangoModelPermissionsOrAnonReadOnly,
  DjangoObjectPermissions,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  makePassword,
  not,
  or,
  SAFE_METHODS,
} from "../src/index.js";
import { arrayUsers, type PlainUser } from "./support/memory-users.js";

interface TestUser extends PlainUser {
  perms: string[];
  objectPerms: Record<string, string[]>;
  groupsNames: string[];
  subscription?: { is_active: boolean };
  hasPerms(perms: readonly string[], obj?: unknown): Promise<boolean>;
}

const HASH = await makePassword("shop-pass-123");

function user(pk: number, username: string, extra: Partial<TestUser> = {}): TestUser {
  const u: TestUser = {
    pk,
    username,
    email: `${username}@example.com`,
    password: HASH,
    is_active: true,
    is_staff: false,
    isAuthenticated: true,
    perms: [],
    objectPerms: {},
    groupsNames: [],
    async hasPerms(perms, obj) {
      const held =
        obj === undefined ? this.perms : (this.objectPerms[String((obj as { pk: unknown }).pk)] ?? []);
      return perms.every((p) => held.includes(p));
    },
    ...extra,
  };
  return u;
}

const users = [
  user(1, "admin", { is_staff: true }),
  user(2, "manager", { perms: ["products.add_product", "products.change_product"] }),
  user(4, "ann", {
    subscription: { is_active: true },
    perms: ["documents.change_document"],
    objectPerms: { "10": ["documents.change_document"] },
  }),
  user(5, "bob", { groupsNames: ["Editors"], perms: ["blog.can_publish"] }),
];
const settings = defineSettings({
  defaultAuthenticationClasses: [BasicAuthentication.using(arrayUsers(users))],
});
const basic = (name: string) => ({
  Authorization: `Basic ${Buffer.from(`${name}:shop-pass-123`).toString("base64")}`,
});

const productQueryset = { model: { meta: { appLabel: "products", modelName: "product" } } };
const documentQueryset = { model: { meta: { appLabel: "documents", modelName: "document" } } };

/** A view answering every method, checking `obj` when the path has an id. */
function viewWith(
  permissionClasses: (new () => BasePermission | object)[],
  attrs: Record<string, unknown> = {},
) {
  return class extends APIView {
    static override permissionClasses = permissionClasses as never;
    queryset = attrs.queryset;
    override action = attrs.action as string | undefined;
    private async handle(request: Request) {
      const id = this.kwargs.id;
      if (id)
        await this.checkObjectPermissions(request, {
          pk: Number(id),
          owner: Number(attrs.owner ?? 0),
          author: Number(attrs.owner ?? 0),
        });
      return new Response({ ok: true });
    }
    get(request: Request) {
      return this.handle(request);
    }
    post(request: Request) {
      return this.handle(request);
    }
    put(request: Request) {
      return this.handle(request);
    }
    delete(request: Request) {
      return this.handle(request);
    }
  };
}

function clientFor(View: typeof APIView) {
  const app = new Hono();
  app.all("/x/", View.asView({ settings }));
  app.all("/x/:id/", View.asView({ settings }));
  return new APIClient(app);
}

describe("built-in permission classes", () => {
  it("AllowAny, IsAuthenticated, IsAdminUser, IsAuthenticatedOrReadOnly", async () => {
    expect((await clientFor(viewWith([AllowAny])).get("/x/")).status).toBe(200);

    const authed = clientFor(viewWith([IsAuthenticated]));
    const anon = await authed.get("/x/");
    expect(anon.status).toBe(401);
    expect(anon.data).toEqual({ detail: "Authentication credentials were not provided." });
    expect(anon.headers.get("www-authenticate")).toBe('Basic realm="api"');
    expect((await authed.get("/x/", { headers: basic("ann") })).status).toBe(200);

    const admin = clientFor(viewWith([IsAdminUser]));
    const denied = await admin.get("/x/", { headers: basic("ann") });
    expect(denied.status).toBe(403);
    expect(denied.data).toEqual({ detail: "You do not have permission to perform this action." });
    expect((await admin.get("/x/", { headers: basic("admin") })).status).toBe(200);

    const ro = clientFor(viewWith([IsAuthenticatedOrReadOnly]));
    expect((await ro.get("/x/")).status).toBe(200);
    expect((await ro.post("/x/", {})).status).toBe(401);
    expect((await ro.post("/x/", {}, { headers: basic("ann") })).status).toBe(200);
  });

  it("per-action permissions (the handbook's getPermissions)", async () => {
    class ProductViewSet extends ViewSet {
      override getPermissions() {
        if (this.action === "list" || this.action === "retrieve") return [new AllowAny()];
        if (this.action === "create") return [new IsAuthenticated()];
        return [new IsAdminUser()];
      }
      list() {
        return new Response([]);
      }
      create() {
        return new Response({}, { status: 201 });
      }
      retrieve() {
        return new Response({});
      }
      destroy() {
        return Response.empty();
      }
    }
    const app = new Hono();
    app.on(
      ["GET", "POST"],
      "/products/",
      ProductViewSet.asView({ get: "list", post: "create" }, { settings }),
    );
    app.on(
      ["GET", "DELETE"],
      "/products/:id/",
      ProductViewSet.asView({ get: "retrieve", delete: "destroy" }, { settings }),
    );
    const client = new APIClient(app);
    expect((await client.get("/products/")).status).toBe(200);
    expect((await client.get("/products/1/")).status).toBe(200);
    expect((await client.post("/products/", {})).status).toBe(401);
    expect((await client.post("/products/", {}, { headers: basic("ann") })).status).toBe(201);
    expect((await client.delete("/products/1/", undefined, { headers: basic("ann") })).status).toBe(403);
    expect((await client.delete("/products/1/", undefined, { headers: basic("admin") })).status).toBe(204);
  });
});

describe("Django model permissions", () => {
  it("maps methods to add/change/delete; anonymous 401, without permission 403", async () => {
    const client = clientFor(viewWith([DjangoModelPermissions], { queryset: productQueryset }));
    expect((await client.get("/x/")).status).toBe(401);
    expect((await client.get("/x/", { headers: basic("ann") })).status).toBe(200);
    expect((await client.post("/x/", {})).status).toBe(401);
    expect((await client.post("/x/", {}, { headers: basic("ann") })).status).toBe(403);
    expect((await client.post("/x/", {}, { headers: basic("manager") })).status).toBe(200);
    expect((await client.put("/x/", {}, { headers: basic("manager") })).status).toBe(200);
    expect((await client.delete("/x/", undefined, { headers: basic("manager") })).status).toBe(403);
  });

  it("OrAnonReadOnly lets anonymous users read", async () => {
    const client = clientFor(viewWith([DjangoModelPermissionsOrAnonReadOnly], { queryset: productQueryset }));
    expect((await client.get("/x/")).status).toBe(200);
    expect((await client.post("/x/", {})).status).toBe(401);
  });

  it("reads need no model permission: the view's queryset is not built for them, unless a subclass asks", async () => {
    let built = 0;
    class Counting extends viewWith([DjangoModelPermissionsOrAnonReadOnly]) {
      getQueryset() {
        built += 1;
        return productQueryset;
      }
    }
    const client = clientFor(Counting);
    expect((await client.get("/x/")).status).toBe(200);
    expect(built).toBe(0);
    expect((await client.post("/x/", {}, { headers: basic("manager") })).status).toBe(200);
    expect(built).toBe(1);
    // A subclass deciding read permissions from the model still gets the model.
    class ViewPermission extends DjangoModelPermissions {
      override getRequiredPermissions(method: string, meta: { appLabel: string; modelName: string }) {
        return method === "GET"
          ? [`${meta.appLabel}.view_${meta.modelName}`]
          : super.getRequiredPermissions(method, meta);
      }
    }
    const guarded = clientFor(viewWith([ViewPermission], { queryset: productQueryset }));
    expect((await guarded.get("/x/", { headers: basic("ann") })).status).toBe(403);
  });

  it("object permissions: the permission must be held on the object", async () => {
    const client = clientFor(viewWith([DjangoObjectPermissions], { queryset: documentQueryset }));
    expect((await client.put("/x/10/", {}, { headers: basic("ann") })).status).toBe(200);
    expect((await client.put("/x/11/", {}, { headers: basic("ann") })).status).toBe(403);
    expect((await client.get("/x/11/", { headers: basic("ann") })).status).toBe(200);
  });
});

// The handbook's custom permissions.
class IsOwnerOrReadOnly extends BasePermission {
  override message = "You must be the owner to perform this action.";
  override hasObjectPermission(request: Request, _view: ViewLike, obj: unknown) {
    if (SAFE_METHODS.includes(request.method)) return true;
    return (obj as { owner: unknown }).owner === request.user.pk;
  }
}

class IsAuthorOrReadOnly extends BasePermission {
  override hasPermission(request: Request) {
    if (request.method === "POST") return request.user.isAuthenticated;
    return true;
  }
  override hasObjectPermission(request: Request, _view: ViewLike, obj: unknown) {
    if (SAFE_METHODS.includes(request.method)) return true;
    return (obj as { author: unknown }).author === request.user.pk;
  }
}

class IsPremiumUser extends BasePermission {
  override hasPermission(request: Request) {
    const user = request.user as Partial<TestUser>;
    return request.user.isAuthenticated && user.subscription?.is_active === true;
  }
}

class IsOwnerOrAdmin extends BasePermission {
  override hasObjectPermission(request: Request, _view: ViewLike, obj: unknown) {
    if (request.user.is_staff) return true;
    if (obj && typeof obj === "object" && "owner" in obj) return obj.owner === request.user.pk;
    return false;
  }
}

class CanPublishPost extends BasePermission {
  override async hasPermission(request: Request, view: ViewLike) {
    if (!request.user.isAuthenticated) return false;
    if (request.method === "POST" && view.action === "publish") {
      return (request.user as TestUser).hasPerms(["blog.can_publish"]);
    }
    return true;
  }
  override hasObjectPermission(request: Request, view: ViewLike, obj: unknown) {
    if (view.action === "publish") {
      return (
        (obj as { author: unknown }).author === request.user.pk ||
        (request.user as TestUser).groupsNames.includes("Editors")
      );
    }
    return true;
  }
}

describe("the handbook's custom permissions", () => {
  it("IsOwnerOrReadOnly with its message", async () => {
    const client = clientFor(viewWith([IsOwnerOrReadOnly], { owner: 4 }));
    expect((await client.get("/x/1/")).status).toBe(200);
    expect((await client.put("/x/1/", {}, { headers: basic("ann") })).status).toBe(200);
    const other = await client.put("/x/1/", {}, { headers: basic("bob") });
    expect(other.status).toBe(403);
    expect(other.data).toEqual({ detail: "You must be the owner to perform this action." });
  });

  it("IsAuthorOrReadOnly", async () => {
    const client = clientFor(viewWith([IsAuthorOrReadOnly], { owner: 4 }));
    expect((await client.post("/x/", {})).status).toBe(401);
    expect((await client.post("/x/", {}, { headers: basic("bob") })).status).toBe(200);
    expect((await client.delete("/x/1/", undefined, { headers: basic("bob") })).status).toBe(403);
    expect((await client.delete("/x/1/", undefined, { headers: basic("ann") })).status).toBe(200);
  });

  it("IsPremiumUser", async () => {
    const client = clientFor(viewWith([IsPremiumUser]));
    expect((await client.get("/x/", { headers: basic("ann") })).status).toBe(200);
    expect((await client.get("/x/", { headers: basic("bob") })).status).toBe(403);
  });

  it("IsOwnerOrAdmin and CanPublishPost together (PostViewSet)", async () => {
    const publish = clientFor(
      viewWith([IsAuthenticated, IsOwnerOrAdmin, CanPublishPost], { owner: 5, action: "publish" }),
    );
    expect((await publish.post("/x/1/", {})).status).toBe(401);
    expect((await publish.post("/x/1/", {}, { headers: basic("bob") })).status).toBe(200);
    expect((await publish.post("/x/1/", {}, { headers: basic("ann") })).status).toBe(403);
    // admin owns nothing but is staff; can_publish is missing → refused at the view level
    expect((await publish.post("/x/1/", {}, { headers: basic("admin") })).status).toBe(403);
  });

  it("composes with and / or / not", async () => {
    const either = clientFor(viewWith([or(IsAdminUser, IsPremiumUser)]));
    expect((await either.get("/x/", { headers: basic("admin") })).status).toBe(200);
    expect((await either.get("/x/", { headers: basic("ann") })).status).toBe(200);
    expect((await either.get("/x/", { headers: basic("bob") })).status).toBe(403);
    const both = clientFor(viewWith([and(IsAuthenticated, not(IsAdminUser))]));
    expect((await both.get("/x/", { headers: basic("ann") })).status).toBe(200);
    expect((await both.get("/x/", { headers: basic("admin") })).status).toBe(403);
    const ownerOnly = clientFor(viewWith([and(IsAuthenticated, IsOwnerOrReadOnly)], { owner: 4 }));
    const refused = await ownerOnly.put("/x/1/", {}, { headers: basic("bob") });
    expect(refused.data).toEqual({ detail: "You must be the owner to perform this action." });
  });
});
