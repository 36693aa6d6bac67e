// The parsers are made when the body is first read (or `request.parsers` asked for), once per
// request: a GET never instantiates them. And `Allow` lists what the view answers, whether
// its handlers come from the class, from the instance, or from an overridden handlerFor.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { APIClient, APIView, JSONParser, type Request, Response } from "../src/index.js";

let made = 0;
class CountingJSONParser extends JSONParser {
  constructor() {
    super();
    made++;
  }
}

class Echo extends APIView {
  static override parserClasses = [CountingJSONParser];
  get(request: Request): Response {
    return new Response({ method: request.method });
  }
  async post(request: Request): Promise<Response> {
    const data = await request.data;
    return new Response({ data, parsers: request.parsers.map((p) => p.mediaType) });
  }
}

class Listed extends APIView {
  get(request: Request): Response {
    return new Response({ parsers: request.parsers.map((p) => p.mediaType) });
  }
}

function client(): APIClient {
  const hono = new Hono();
  hono.all("/echo/", Echo.asView());
  hono.all("/listed/", Listed.asView());
  return new APIClient(hono);
}

describe("request parsers", () => {
  it("a GET never instantiates the view's parsers", async () => {
    made = 0;
    const res = await client().get("/echo/");
    expect(res.status).toBe(200);
    expect(made).toBe(0);
  });

  it("a body is parsed with the view's parsers, made once for the request", async () => {
    made = 0;
    const res = await client().post("/echo/", { a: 1 }, { format: "json" });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ data: { a: 1 }, parsers: ["application/json"] });
    expect(made).toBe(1);
  });

  it("request.parsers lists the configured parsers when asked for", async () => {
    const res = await client().get("/listed/");
    expect(res.data).toEqual({
      parsers: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
    });
  });

  it("request.parsers can be replaced before the body is read", async () => {
    class Replaced extends APIView {
      async post(request: Request): Promise<Response> {
        request.parsers = [];
        return new Response({ data: await request.data });
      }
    }
    const hono = new Hono();
    hono.all("/replaced/", Replaced.asView());
    const res = await new APIClient(hono).post("/replaced/", { a: 1 }, { format: "json" });
    expect(res.status).toBe(415);
  });
});

describe("Allow", () => {
  it("lists the class's handlers, and HEAD with GET", async () => {
    const res = await client().options("/echo/");
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("lists a handler the instance was given", async () => {
    class Given extends APIView {
      constructor() {
        super();
        (this as unknown as Record<string, unknown>).delete = () => new Response(null, { status: 204 });
      }
      get(): Response {
        return new Response({});
      }
    }
    const hono = new Hono();
    hono.all("/given/", Given.asView());
    const res = await new APIClient(hono).get("/given/");
    expect(res.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
  });

  it("asks an overridden handlerFor", async () => {
    class Custom extends APIView {
      get(): Response {
        return new Response({});
      }
      override handlerFor(method: string) {
        return method.toLowerCase() === "put" ? this.get : super.handlerFor(method);
      }
    }
    const hono = new Hono();
    hono.all("/custom/", Custom.asView());
    const res = await new APIClient(hono).get("/custom/");
    expect(res.headers.get("allow")).toBe("GET, PUT, HEAD, OPTIONS");
  });
});
