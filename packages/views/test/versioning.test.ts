import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  AcceptHeaderVersioning,
  APIClient,
  APIView,
  apiContext,
  defineSettings,
  HostNameVersioning,
  NamespaceVersioning,
  QueryParameterVersioning,
  type Request,
  Response,
  URLPathVersioning,
  type UrlResolver,
  type VersioningClass,
} from "../src/index.js";

const settings = defineSettings({ defaultVersion: "v1", allowedVersions: ["v1", "v2"] });

/** Routes: product-list at /api/{version}/products/ (or /{namespace}/products/). */
const resolver: UrlResolver = {
  reverse(name, kwargs = {}, options = {}) {
    if (name !== "product-list") throw new Error(`NoReverseMatch: ${name}`);
    if (kwargs.version !== undefined) return `/api/${kwargs.version}/products/`;
    return options.namespace ? `/${options.namespace}/products/` : "/products/";
  },
};

function client(versioningClass: VersioningClass, path: string, ns?: string, custom = settings) {
  class ProductList extends APIView {
    async get(request: Request) {
      return new Response({ version: request.version, url: this.reverse("product-list") });
    }
  }
  const app = new Hono();
  app.use("*", apiContext({ settings: custom, resolver, ...(ns ? { namespace: ns } : {}) }));
  app.get(path, ProductList.asView({ versioningClass }));
  return new APIClient(app);
}

describe("URLPathVersioning", () => {
  const api = client(URLPathVersioning, "/api/:version/products/");

  it("reads the version from the URL and keeps it in reversed URLs", async () => {
    expect((await api.get("/api/v2/products/")).data).toEqual({
      version: "v2",
      url: "http://testserver/api/v2/products/",
    });
  });

  it("answers 404 with DRF's message for a version not allowed", async () => {
    const res = await api.get("/api/v3/products/");
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ detail: "Invalid version in URL path." });
  });

  it("uses the default version when the route has no version kwarg", async () => {
    const plain = client(URLPathVersioning, "/products/");
    expect((await plain.get("/products/")).data.version).toBe("v1");
  });
});

describe("NamespaceVersioning", () => {
  it("reads the version from the route's namespace and reverses within it", async () => {
    const api = client(NamespaceVersioning, "/v2/products/", "v2");
    expect((await api.get("/v2/products/")).data).toEqual({
      version: "v2",
      url: "http://testserver/v2/products/",
    });
  });

  it("404s a namespace that is not an allowed version, and defaults without a namespace", async () => {
    const bad = await client(NamespaceVersioning, "/v9/products/", "v9").get("/v9/products/");
    expect(bad.status).toBe(404);
    expect(bad.data).toEqual({
      detail: "Invalid version in URL path. Does not match any version namespace.",
    });
    expect((await client(NamespaceVersioning, "/products/").get("/products/")).data.version).toBe("v1");
  });
});

describe("AcceptHeaderVersioning", () => {
  const custom = defineSettings({ allowedVersions: ["1.0", "2.0"], defaultVersion: "1.0" });
  const api = client(AcceptHeaderVersioning, "/products/", undefined, custom);

  it("reads `version` from the Accept header's media type parameters", async () => {
    const res = await api.get("/products/", { headers: { Accept: "application/json; version=2.0" } });
    expect(res.status).toBe(200);
    expect(res.data.version).toBe("2.0");
    expect((await api.get("/products/", { headers: { Accept: "application/json" } })).data.version).toBe(
      "1.0",
    );
  });

  it("answers 406 with DRF's message for a version not allowed", async () => {
    const res = await api.get("/products/", { headers: { Accept: "application/json; version=3.0" } });
    expect(res.status).toBe(406);
    expect(res.data).toEqual({ detail: 'Invalid version in "Accept" header.' });
  });
});

describe("QueryParameterVersioning", () => {
  const api = client(QueryParameterVersioning, "/products/");

  it("reads ?version= and carries it into reversed URLs", async () => {
    expect((await api.get("/products/", { query: { version: "v2" } })).data).toEqual({
      version: "v2",
      url: "http://testserver/products/?version=v2",
    });
    expect((await api.get("/products/")).data.version).toBe("v1");
  });

  it("answers 404 for a version not allowed", async () => {
    const res = await api.get("/products/", { query: { version: "v0" } });
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ detail: "Invalid version in query parameter." });
  });

  it("takes VERSION_PARAM from the settings, and class attributes over settings", async () => {
    const renamed = client(
      QueryParameterVersioning,
      "/products/",
      undefined,
      defineSettings({ versionParam: "v", allowedVersions: ["a", "b"], defaultVersion: "a" }),
    );
    expect((await renamed.get("/products/", { query: { v: "b" } })).data.version).toBe("b");
    class OnlyV3 extends QueryParameterVersioning {
      override allowedVersions = ["v3"];
      override defaultVersion = null;
    }
    const own = client(OnlyV3, "/products/");
    expect((await own.get("/products/", { query: { version: "v3" } })).data.version).toBe("v3");
    expect((await own.get("/products/", { query: { version: "v2" } })).status).toBe(404);
  });
});

describe("HostNameVersioning", () => {
  it("reads the version from the first label of the host", async () => {
    class ProductList extends APIView {
      async get(request: Request) {
        return new Response({ version: request.version });
      }
    }
    const app = new Hono();
    app.use("*", apiContext({ settings }));
    app.get("/products/", ProductList.asView({ versioningClass: HostNameVersioning }));
    const at = (host: string) => new APIClient(app, { baseUrl: `http://${host}` });
    expect((await at("v2.example.com:8000").get("/products/")).data.version).toBe("v2");
    expect((await at("localhost").get("/products/")).data.version).toBe("v1");
    const bad = await at("v3.example.com").get("/products/");
    expect(bad.status).toBe(404);
    expect(bad.data).toEqual({ detail: "Invalid version in hostname." });
  });
});
