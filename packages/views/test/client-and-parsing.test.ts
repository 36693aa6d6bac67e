import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  APIClient,
  APIView,
  and,
  apiView,
  not,
  or,
  type Permission,
  type Request,
  Response,
  UploadedFile,
  type User,
} from "../src/index.js";

class Upload extends APIView {
  async post(request: Request): Promise<Response> {
    const data = (await request.data) as Record<string, unknown>;
    const files = await request.files;
    const described: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      described[key] =
        value instanceof UploadedFile
          ? { file: value.name, size: value.size, type: value.contentType }
          : value;
    }
    const file = files.document;
    const text = file instanceof UploadedFile ? file.text() : null;
    return new Response({ data: described, fileText: text, contentType: request.contentType.split(";")[0] });
  }
}

function app(): Hono {
  const hono = new Hono();
  hono.all("/upload/", Upload.asView());
  hono.all(
    "/cookies/",
    apiView(["GET", "POST"], (request) => {
      if (request.method === "POST") {
        const res = new globalThis.Response(JSON.stringify({ set: true }), {
          headers: { "content-type": "application/json" },
        });
        res.headers.append("set-cookie", "sessionid=abc%20def; Path=/; HttpOnly");
        res.headers.append("set-cookie", "gone=; Max-Age=0; Path=/");
        return res;
      }
      return new Response({ cookies: request.cookies, ip: request.clientIp });
    }),
  );
  return hono;
}

describe("request parsing through the test client", () => {
  it("multipart: fields and files in request.data, files in request.files", async () => {
    const client = new APIClient(app());
    const res = await client.post(
      "/upload/",
      {
        title: "Report",
        tags: ["a", "b"],
        document: new File(["hello file"], "report.txt", { type: "text/plain" }),
      },
      { format: "multipart" },
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      data: {
        title: "Report",
        tags: ["a", "b"],
        document: { file: "report.txt", size: 10, type: "text/plain" },
      },
      fileText: "hello file",
      contentType: "multipart/form-data",
    });
  });

  it("a body a Hono middleware already read is still parsed", async () => {
    const hono = new Hono();
    let seen: unknown;
    hono.use("*", async (c, next) => {
      seen = await c.req.json();
      await next();
    });
    hono.all("/upload/", Upload.asView());
    const res = await new APIClient(hono).post("/upload/", { a: 1 });
    expect([res.status, res.data.data, seen]).toEqual([200, { a: 1 }, { a: 1 }]);
  });

  it("form-urlencoded", async () => {
    const res = await new APIClient(app()).post("/upload/", { a: "1", b: "x y" }, { format: "form" });
    expect(res.data).toEqual({
      data: { a: "1", b: "x y" },
      fileText: null,
      contentType: "application/x-www-form-urlencoded",
    });
  });

  it("an empty body is empty data, not an error", async () => {
    const res = await new APIClient(app()).post("/upload/");
    expect(res.status).toBe(200);
    expect(res.data.data).toEqual({});
  });

  it("a body without Content-Type is 415", async () => {
    const res = await new APIClient(app()).post("/upload/", "raw", { contentType: "" });
    expect(res.status).toBe(415);
    expect(res.data).toEqual({ detail: 'Unsupported media type "" in request.' });
  });

  it("cookie jar and client address", async () => {
    const client = new APIClient(app(), { remoteAddr: "10.0.0.9" });
    client.cookies.set("gone", "1");
    await client.post("/cookies/");
    expect([...client.cookies]).toEqual([["sessionid", "abc def"]]);
    const res = await client.get("/cookies/");
    expect(res.data).toEqual({ cookies: { sessionid: "abc def" }, ip: "10.0.0.9" });
    client.logout();
    expect((await client.get("/cookies/")).data.cookies).toEqual({});
  });

  it("?format= and Accept indent select the JSON rendering", async () => {
    const client = new APIClient(app());
    const pretty = await client.get("/cookies/", { headers: { Accept: "application/json; indent=2" } });
    expect(pretty.text).toBe('{\n  "cookies": {},\n  "ip": "127.0.0.1"\n}');
    expect(pretty.headers.get("content-type")).toBe("application/json; indent=2");
    expect((await client.get("/cookies/", { query: { format: "json" } })).status).toBe(200);
    expect((await client.get("/cookies/", { query: { format: "xml" } })).status).toBe(404);
  });
});

describe("permission composition", () => {
  const flag = (name: string, allowed: boolean, objectAllowed = true) =>
    class implements Permission {
      message = `${name} says no.`;
      hasPermission(): boolean {
        return allowed;
      }
      async hasObjectPermission(): Promise<boolean> {
        return objectAllowed;
      }
    };
  const Yes = flag("Yes", true);
  const No = flag("No", false);
  const YesButNotObject = flag("YesButNotObject", true, false);

  async function check(permission: new () => Permission, withObject = false) {
    const hono = new Hono();
    hono.all(
      "/p/",
      apiView(
        ["GET"],
        async (request, view) => {
          if (withObject) await view.checkObjectPermissions(request, { id: 1 });
          return new Response({ ok: true });
        },
        { permissionClasses: [permission] },
      ),
    );
    const user: User = { isAuthenticated: true, pk: 1 };
    const res = await new APIClient(hono).forceAuthenticate(user).get("/p/");
    return [res.status, res.data] as const;
  }

  it("and / or / not", async () => {
    expect(await check(and(Yes, Yes))).toEqual([200, { ok: true }]);
    expect(await check(and(Yes, No))).toEqual([403, { detail: "No says no." }]);
    expect(await check(or(No, Yes))).toEqual([200, { ok: true }]);
    expect(await check(or(No, No))).toEqual([403, { detail: "No says no." }]);
    expect(await check(not(No))).toEqual([200, { ok: true }]);
    expect((await check(not(Yes)))[0]).toBe(403);
  });

  it("object level: or() needs one operand passing both checks", async () => {
    expect((await check(or(YesButNotObject, No), true))[0]).toBe(403);
    expect((await check(or(YesButNotObject, Yes), true))[0]).toBe(200);
    expect((await check(and(Yes, YesButNotObject), true))[0]).toBe(403);
  });
});
