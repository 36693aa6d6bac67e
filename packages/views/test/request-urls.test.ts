// Request's URL helpers: links built by concatenation must be what the URL parser gives.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { Request } from "../src/index.js";

const PATHS = [
  "/api/v1/products/7/",
  "/api/v2/products/a-slug_with.dots~/",
  "/a/b:c@d/!$&'()*+,;=/",
  "/caf%C3%A9/",
  "/100%/",
  "/a/./b/",
  "/a/../b/",
  "/a/%2e%2E/b/",
  "/a/.hidden/",
  "/a/..x/",
  "/a/x../",
  "/a.b/c.d/",
  "/a/.b/",
  "/a//b/",
  "/%41b/",
  "/a/%2e",
  "/a/.",
  "/",
  "/a/\u007f/",
  "/sp ace/",
  "/caf\u00e9/",
  "/q?x=1&y=a b#frag",
  "//evil.example/",
  "/back\\slash/",
  "/tab\there/",
  "relative/path/",
  "",
];

function withRequest(url: string, init: RequestInit, check: (request: Request) => void): Promise<void> {
  const app = new Hono();
  let error: unknown = null;
  app.all("*", (c) => {
    try {
      check(new Request(c));
    } catch (e) {
      error = e;
    }
    return c.text("ok");
  });
  return Promise.resolve(app.request(url, init)).then(() => {
    if (error) throw error;
  });
}

describe("Request.buildAbsoluteUri", () => {
  // The origin is read off the request's (already serialised) URL without parsing it again.
  it.each([
    "http://shop.bench/api/v1/",
    "https://Shop.Example:443/x/?a=1",
    "http://127.0.0.1:8000/api/",
    "http://[::1]:8080/x/?next=http://other/",
    "http://h:80/a@b/",
    "https://xn--caf-dma.example/%C3%A9/?q=caf%C3%A9",
    "http://0x7f.1/x/",
  ])("gives what new URL(path, origin) gives, on %s", async (url) => {
    await withRequest(url, {}, (request) => {
      const parsed = new URL(url);
      const origin = `${parsed.protocol}//${parsed.host}`;
      expect(request.origin).toBe(origin);
      for (const path of PATHS) expect(request.buildAbsoluteUri(path)).toBe(new URL(path, origin).toString());
      expect(request.buildAbsoluteUri()).toBe(parsed.href);
    });
  });

  it("reads the query string once, and an absent one as empty", async () => {
    await withRequest("http://h/x/?page=2&page=3&q=a+b", {}, (request) => {
      expect(request.queryParams.get("page")).toBe("3");
      expect(request.queryParams.get("q")).toBe("a b");
      expect(request.queryParams).toBe(request.queryParams);
    });
    await withRequest("http://h/x/", {}, (request) => {
      expect([...request.queryParams.keys()]).toEqual([]);
    });
  });

  // The query is sliced off the serialised URL, not parsed again: it must be what the URL parser gives.
  it.each([
    "http://h/x/?a=1#frag",
    "http://h/x/#frag?not=query",
    "http://h/x/?q=caf\u00e9&x=a b&y=a+b",
    "http://h/x/?",
    "http://h/x/?a=%23b&c",
    "http://h/x/?&&a==b&=c&d",
    "http://h/p%3Fq/?a=1",
    "http://h/x?a=1&b=%zz&c=%",
    "http://h/x/?a=<>\"'`{}|^",
    "http://h/x/?tab=a\tb&nl=a\nb",
  ])("reads the query parameters the URL parser gives, on %j", async (url) => {
    await withRequest(url, {}, (request) => {
      expect([...request.queryParams]).toEqual([...new URL(url).searchParams]);
    });
  });

  it("hands out a fresh URL each time", async () => {
    await withRequest("http://h/x/?a=1", {}, (request) => {
      const url = request.url;
      url.pathname = "/changed/";
      expect(request.url.pathname).toBe("/x/");
      expect(request.buildAbsoluteUri()).toBe("http://h/x/?a=1");
    });
  });
});
