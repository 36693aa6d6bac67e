// Conditional GET tags the body finalizeResponse rendered without draining the Response:
// the ETag must still be the digest of the bytes on the wire, non-ASCII included.
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { APIView, conditional, Response } from "../src/index.js";

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
