// Conditional GET tags the body finalizeResponse rendered without draining the Response:
// the ETag must still be the digest of the bytes on the wire, non-ASCII included.
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { APIView, conditional, JSONRenderer, Response } from "../src/index.js";

class Menu extends APIView {
  get = conditional()(async function (this: Menu) {
    return new Response({ dish: "crème brûlée ✓", price: "9.50" });
  });
}

describe("conditional GET on a rendered body", () => {
  const app = new Hono();
  app.get("/menu/", Menu.asView());

  it("sends the rendered bytes with the SHA-256 ETag of those bytes, and 304 for it", async () => {
    const res = await app.request("/menu/");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe('{"dish":"crème brûlée ✓","price":"9.50"}');
    const digest = createHash("sha256").update(bytes).digest("base64url").slice(0, 27);
    expect(res.headers.get("etag")).toBe(`"${digest}"`);
    expect(res.headers.get("content-type")).toBe("application/json");
    const again = await app.request("/menu/", { headers: { "If-None-Match": `"${digest}"` } });
    expect(again.status).toBe(304);
    const head = await app.request("/menu/", { method: "HEAD" });
    expect(head.headers.get("etag")).toBe(`"${digest}"`);
  });
});

describe("conditional GET renders the body once, in the view's own rendering", () => {
  let renders = 0;
  class CountingJSON extends JSONRenderer {
    override render(data: unknown, mediaType: string): string {
      renders++;
      return super.render(data, mediaType);
    }
  }
  class Dish extends APIView {
    static override rendererClasses = [CountingJSON];
    // Not async: with nothing to wait for, the tagged response is answered in the same tick.
    get = conditional()(function (this: Dish) {
      return new Response({ dish: "soup" });
    });
  }
  class OwnTag extends APIView {
    get = conditional()(() => new Response({ dish: "own" }, { headers: { ETag: '"mine"' } }));
  }
  class TwoCookies extends APIView {
    // Two Set-Cookie values: headers a record cannot hold (the Headers path).
    get = conditional()(() => {
      const headers = new Headers();
      headers.append("Set-Cookie", "a=1");
      headers.append("Set-Cookie", "b=2");
      return new Response({ dish: "cookies" }, { headers });
    });
  }
  const app = new Hono();
  app.get("/dish/", Dish.asView());
  app.get("/own/", OwnTag.asView());
  app.get("/cookies/", TwoCookies.asView());
  const digest = (text: string) => `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;

  it("tags a synchronous handler's response synchronously, rendering it once per request", async () => {
    renders = 0;
    const answer = app.fetch(new globalThis.Request("http://t/dish/"));
    expect(answer).not.toBeInstanceOf(Promise);
    const res = await answer;
    expect(await res.text()).toBe('{"dish":"soup"}');
    expect(res.headers.get("etag")).toBe(digest('{"dish":"soup"}'));
    expect(renders).toBe(1);
    const fresh = await app.request("/dish/", { headers: { "If-None-Match": digest('{"dish":"soup"}') } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe(digest('{"dish":"soup"}'));
    expect(renders).toBe(2);
  });

  it("keeps a response's own ETag, and tags a response whose headers are a Headers", async () => {
    const own = await app.request("/own/");
    expect(own.headers.get("etag")).toBe('"mine"');
    expect((await app.request("/own/", { headers: { "If-None-Match": '"mine"' } })).status).toBe(304);
    const cookies = await app.request("/cookies/");
    expect(cookies.headers.get("etag")).toBe(digest('{"dish":"cookies"}'));
    expect(cookies.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });
});
