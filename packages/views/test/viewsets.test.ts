import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  type ActionsOf,
  APIClient,
  type Authentication,
  apiContext,
  ImproperlyConfigured,
  type Permission,
  type Request,
  Response,
  type Throttle,
  type User,
  ViewSet,
} from "../src/index.js";

const alice: User = { isAuthenticated: true, pk: 1 };

class HeaderAuth implements Authentication {
  authenticate(request: Request): readonly [User, unknown] | null {
    return request.headers.get("x-user") === "alice" ? [alice, null] : null;
  }
  authenticateHeader(): string {
    return 'Bearer realm="api"';
  }
}
class IsAuthenticated implements Permission {
  hasPermission(request: Request): boolean {
    return request.user.isAuthenticated;
  }
}
class DenyAll implements Permission {
  message = "Nope.";
  hasPermission(): boolean {
    return false;
  }
}

const seen: string[] = [];
class CountingThrottle implements Throttle {
  allowRequest(request: Request): boolean {
    seen.push(`${request.method} ${request.path}`);
    return seen.length <= 100;
  }
  wait(): number | null {
    return null;
  }
}

/** The handbook's custom actions, on a ViewSet without a model. */
class NoteViewSet extends ViewSet {
  static override authenticationClasses = [HeaderAuth];
  static override throttleClasses = [CountingThrottle];
  static override actions: ActionsOf<NoteViewSet> = {
    markFavorite: {
      detail: true,
      methods: ["post"],
      urlPath: "favorite",
      permissionClasses: [IsAuthenticated],
    },
    featured: { detail: false, mapping: { delete: "unfeature" } },
    addReview: { detail: true, methods: ["post"], urlPath: "add-review", urlName: "add-review" },
    locked: { detail: false, methods: ["get", "delete"], permissionClasses: [DenyAll] },
  };

  async list(): Promise<Response> {
    return new Response([{ action: this.action }]);
  }
  async retrieve(request: Request): Promise<Response> {
    return new Response({ action: this.action, pk: request.kwargs.pk });
  }
  async markFavorite(): Promise<Response> {
    return new Response({ status: "favorited", action: this.action });
  }
  async featured(): Promise<Response> {
    return new Response({ action: this.action });
  }
  async unfeature(): Promise<Response> {
    return new Response(undefined, { status: 204 });
  }
  async addReview(): Promise<Response> {
    return new Response({ action: this.action }, { status: 201 });
  }
  async locked(): Promise<Response> {
    return new Response({});
  }
}

function mount(): Hono {
  const app = new Hono();
  app.all("/notes/", NoteViewSet.asView({ get: "list" }, { basename: "note", detail: false }));
  app.all(
    "/notes/featured/",
    NoteViewSet.asView({ get: "featured", delete: "unfeature" }, { basename: "note", detail: false }),
  );
  app.all("/notes/locked/", NoteViewSet.asView({ get: "locked", delete: "locked" }, { basename: "note" }));
  app.all("/notes/:pk/", NoteViewSet.asView({ get: "retrieve" }, { basename: "note", detail: true }));
  app.all(
    "/notes/:pk/favorite/",
    NoteViewSet.asView({ post: "markFavorite" }, { basename: "note", detail: true }),
  );
  app.all(
    "/notes/:pk/add-review/",
    NoteViewSet.asView({ post: "addReview" }, { basename: "note", detail: true }),
  );
  return app;
}

describe("ViewSet routing", () => {
  it("lists the extra actions for routers (sorted, with DRF's defaults)", () => {
    expect(NoteViewSet.getExtraActions()).toEqual([
      {
        name: "addReview",
        detail: true,
        methods: ["post"],
        mapping: { post: "addReview" },
        urlPath: "add-review",
        urlName: "add-review",
        kwargs: {},
      },
      {
        name: "featured",
        detail: false,
        methods: ["get", "delete"],
        mapping: { get: "featured", delete: "unfeature" },
        urlPath: "featured",
        urlName: "featured",
        kwargs: {},
      },
      {
        name: "locked",
        detail: false,
        methods: ["get", "delete"],
        mapping: { get: "locked", delete: "locked" },
        urlPath: "locked",
        urlName: "locked",
        kwargs: { permissionClasses: [DenyAll] },
      },
      {
        name: "markFavorite",
        detail: true,
        methods: ["post"],
        mapping: { post: "markFavorite" },
        urlPath: "favorite",
        urlName: "mark-favorite",
        kwargs: { permissionClasses: [IsAuthenticated] },
      },
    ]);
    expect(NoteViewSet.hasAction("list")).toBe(true);
    expect(NoteViewSet.hasAction("destroy")).toBe(false);
  });

  it("binds methods to actions and sets this.action", async () => {
    const client = new APIClient(mount());
    expect((await client.get("/notes/")).data).toEqual([{ action: "list" }]);
    expect((await client.get("/notes/7/")).data).toEqual({ action: "retrieve", pk: "7" });
    expect((await client.get("/notes/featured/")).data).toEqual({ action: "featured" });
    expect((await client.delete("/notes/featured/")).status).toBe(204);
    const res = await client.post("/notes/7/add-review/", { rating: 5 });
    expect([res.status, res.data]).toEqual([201, { action: "addReview" }]);
  });

  it("sets DRF's action for every method: HEAD as GET, OPTIONS as metadata, a PATCH in another case by name, none outside the map", async () => {
    const seen: Array<[string, string | undefined]> = [];
    class Seeing extends NoteViewSet {
      override initial(request: Request) {
        seen.push([request.method, this.action]);
        return super.initial(request);
      }
    }
    const app = new Hono();
    app.all("/notes/:pk/", Seeing.asView({ get: "retrieve", patch: "retrieve" }, { basename: "note" }));
    const client = new APIClient(app);
    await client.head("/notes/7/");
    await client.options("/notes/7/");
    await client.delete("/notes/7/");
    // Fetch upper-cases GET, HEAD, OPTIONS, POST, PUT and DELETE, never PATCH: DRF lower-cases the method.
    await app.request("/notes/7/", { method: "Patch" });
    expect(seen).toEqual([
      ["HEAD", "retrieve"],
      ["OPTIONS", "metadata"],
      ["DELETE", undefined],
      ["PATCH", "retrieve"],
    ]);
  });

  it("methods outside the action map are 405 with Allow", async () => {
    const res = await new APIClient(mount()).delete("/notes/7/");
    expect(res.status).toBe(405);
    expect(res.data).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("per-action permission classes; 401 for anonymous, 403 with the message when authenticated", async () => {
    const client = new APIClient(mount());
    const anon = await client.post("/notes/7/favorite/");
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    client.credentials({ "X-User": "alice" });
    const ok = await client.post("/notes/7/favorite/");
    expect(ok.data).toEqual({ status: "favorited", action: "markFavorite" });
    const locked = await client.delete("/notes/locked/");
    expect([locked.status, locked.data]).toEqual([403, { detail: "Nope." }]);
  });

  it("throttles run after authentication and permissions: a rejected request is not counted", async () => {
    seen.length = 0;
    const client = new APIClient(mount());
    await client.post("/notes/1/favorite/"); // 401
    await client.get("/notes/locked/"); // 401 (anonymous)
    expect(seen).toEqual([]);
    await client.get("/notes/");
    expect(seen).toEqual(["GET /notes/"]);
  });

  it("asView checks the action map at startup", () => {
    expect(() => NoteViewSet.asView({})).toThrow(ImproperlyConfigured);
    expect(() => NoteViewSet.asView({ delete: "destroy" })).toThrow(/no action "destroy"/);
    expect(() => NoteViewSet.asView({ get: "list" }, { get: "x" })).toThrow(/not accepted/);
  });

  it("OPTIONS metadata uses the view name", async () => {
    const res = await new APIClient(mount()).options("/notes/");
    expect(res.status).toBe(200);
    expect(res.data.name).toBe("Note");
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("reverse through the installed resolver", () => {
  it("builds absolute URLs on the request's host, with the namespace", async () => {
    const calls: unknown[] = [];
    class Links extends ViewSet {
      async list(): Promise<Response> {
        return new Response({
          self: this.reverse("note-detail", { pk: 3 }),
          action: this.reverseAction("featured"),
        });
      }
    }
    const app = new Hono();
    app.use(
      "*",
      apiContext({
        namespace: "v1",
        resolver: {
          reverse(name, kwargs, options) {
            calls.push([name, kwargs, options]);
            return name === "note-detail" ? `/api/v1/notes/${kwargs?.pk}/` : "/api/v1/notes/featured/";
          },
        },
      }),
    );
    app.all("/links/", Links.asView({ get: "list" }, { basename: "note" }));
    const res = await new APIClient(app, { baseUrl: "https://shop.example" }).get("/links/");
    expect(res.data).toEqual({
      self: "https://shop.example/api/v1/notes/3/",
      action: "https://shop.example/api/v1/notes/featured/",
    });
    expect(calls).toEqual([
      ["note-detail", { pk: 3 }, { namespace: "v1" }],
      ["note-featured", undefined, { namespace: "v1" }],
    ]);
  });
});
