// How a view finds its configuration for each request (DRF's getattr on the view): the
// instance's attribute (route initkwargs, action options), else the class's, else the
// settings; an overridden getAttribute decides for itself.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  AllowAny,
  APIClient,
  APIView,
  apiContext,
  defineSettings,
  JSONRenderer,
  type Permission,
  type Request,
  Response,
} from "../src/index.js";

const Deny: new () => Permission = class {
  hasPermission(): boolean {
    return false;
  }
};

class Hello extends APIView {
  static override permissionClasses = [Deny];
  get(_request: Request): Response {
    return new Response({ hello: true });
  }
}

function client(path: string, handler: ReturnType<typeof APIView.asView>): APIClient {
  const hono = new Hono();
  hono.all(path, handler);
  return new APIClient(hono);
}

describe("a view's configuration", () => {
  it("comes from the class", async () => {
    const res = await client("/h/", Hello.asView()).get("/h/");
    expect(res.status).toBe(403);
  });

  it("comes from the instance before the class (initkwargs)", async () => {
    const res = await client("/h/", Hello.asView({ permissionClasses: [] })).get("/h/");
    expect(res.status).toBe(200);
  });

  it("initkwargs of any name are the view's own attributes and break nothing", async () => {
    const handler = Hello.asView({ permissionClasses: [], attribute: 1, viewClass: 2, classOf: 3 });
    const res = await client("/h/", handler).get("/h/");
    expect(res.status).toBe(200);
  });

  it("comes from the settings when neither has it", async () => {
    class Plain extends APIView {
      get(): Response {
        return new Response({});
      }
    }
    const settings = defineSettings({ defaultPermissionClasses: [Deny] });
    const res = await client("/p/", Plain.asView({ settings })).get("/p/");
    expect(res.status).toBe(403);
  });

  it("an instance's null falls back to the settings, as before", async () => {
    class Versioned extends APIView {
      get(request: Request): Response {
        return new Response({ version: request.version });
      }
    }
    const res = await client("/v/", Versioned.asView({ versioningClass: null })).get("/v/");
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ version: null });
  });

  it("an overridden getAttribute is asked for every attribute", async () => {
    const asked: string[] = [];
    class Custom extends Hello {
      override getAttribute<T = unknown>(name: string): T | undefined {
        asked.push(name);
        if (name === "permissionClasses") return [] as unknown as T;
        if (name === "rendererClasses") return [JSONRenderer] as unknown as T;
        return super.getAttribute<T>(name);
      }
    }
    const res = await client("/c/", Custom.asView()).get("/c/");
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toBeNull(); // one renderer: nothing to vary on
    expect(asked).toEqual(
      expect.arrayContaining([
        "settings",
        "authenticationClasses",
        "permissionClasses",
        "throttleClasses",
        "rendererClasses",
        "contentNegotiationClass",
        "versioningClass",
        "maxBodySize",
      ]),
    );
  });

  it("is read once per route, and again under other settings", async () => {
    // One handler mounted under two apiContexts: each request gets its own context's settings,
    // whichever the route saw first.
    class Plain extends APIView {
      get(_request: Request): Response {
        return new Response({ hello: true });
      }
    }
    const handler = Plain.asView();
    const hono = new Hono();
    hono.use("/open/*", apiContext({ settings: defineSettings({ defaultPermissionClasses: [] }) }));
    hono.use("/closed/*", apiContext({ settings: defineSettings({ defaultPermissionClasses: [Deny] }) }));
    hono.all("/open/h/", handler);
    hono.all("/closed/h/", handler);
    const api = new APIClient(hono);
    const statuses: number[] = [];
    for (const path of ["/open/h/", "/closed/h/", "/open/h/", "/closed/h/"])
      statuses.push((await api.get(path)).status);
    expect(statuses).toEqual([200, 403, 200, 403]);
  });

  it("an overridden getAttribute answers on every request", async () => {
    class PerRequest extends Hello {
      override getAttribute<T = unknown>(name: string): T | undefined {
        if (name === "permissionClasses")
          return (this.request?.header("x-open") === "1" ? [] : [Deny]) as unknown as T;
        return super.getAttribute<T>(name);
      }
    }
    const api = client("/p/", PerRequest.asView());
    expect((await api.get("/p/")).status).toBe(403);
    expect((await api.get("/p/", { headers: { "x-open": "1" } })).status).toBe(200);
    expect((await api.get("/p/")).status).toBe(403);
  });

  it("an overridden getPermissions is asked on every request, with this.request set", async () => {
    // The README's ReportView: reads open to anyone, the rest needs the class's permissions.
    class ReportView extends APIView {
      static override permissionClasses = [Deny];
      override getPermissions(): Permission[] {
        return this.request.method === "GET" ? [new AllowAny()] : super.getPermissions();
      }
      get(_request: Request): Response {
        return new Response({ report: true });
      }
      post(_request: Request): Response {
        return new Response({ saved: true }, { status: 201 });
      }
    }
    const api = client("/r/", ReportView.asView());
    expect((await api.get("/r/")).status).toBe(200);
    expect((await api.post("/r/", {})).status).toBe(403);
    expect((await api.get("/r/")).status).toBe(200);
  });
});
