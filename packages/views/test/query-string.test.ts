// DRF's replace_query_param / remove_query_param, with the parse of the last URL reused.
import { describe, expect, it } from "vitest";
import { removeQueryParam, replaceQueryParam } from "../src/index.js";

describe("page links", () => {
  const url = "http://h/api/v1/products/?search=a%20b&page=3&tag=x&tag=y&odd=!'()*~&%C3%A9=%C3%A9";

  it("set or drop one key, keep the rest sorted and quoted as Python's quote_plus", () => {
    expect(replaceQueryParam(url, "page", 4)).toBe(
      "http://h/api/v1/products/?odd=%21%27%28%29%2A~&page=4&search=a+b&tag=x&tag=y&%C3%A9=%C3%A9",
    );
    // Same URL again (the previous link): the first call changed nothing it reuses.
    expect(replaceQueryParam(url, "page", 2)).toBe(
      "http://h/api/v1/products/?odd=%21%27%28%29%2A~&page=2&search=a+b&tag=x&tag=y&%C3%A9=%C3%A9",
    );
    expect(removeQueryParam(url, "page")).toBe(
      "http://h/api/v1/products/?odd=%21%27%28%29%2A~&search=a+b&tag=x&tag=y&%C3%A9=%C3%A9",
    );
    expect(replaceQueryParam(url, "page", 5)).toContain("&page=5&");
    expect(removeQueryParam("http://h/x/?page=2", "page")).toBe("http://h/x/");
    expect(replaceQueryParam("http://h/x/", "page", 2)).toBe("http://h/x/?page=2");
  });

  it("puts a new key in its sorted place: first, between, last", () => {
    const u = "http://h/x/?m=1&c=2&c=1&x=3#top";
    expect(replaceQueryParam(u, "a", 1)).toBe("http://h/x/?a=1&c=2&c=1&m=1&x=3#top");
    expect(replaceQueryParam(u, "d", 1)).toBe("http://h/x/?c=2&c=1&d=1&m=1&x=3#top");
    expect(replaceQueryParam(u, "z", 1)).toBe("http://h/x/?c=2&c=1&m=1&x=3&z=1#top");
    expect(replaceQueryParam(u, "c", "a b&c")).toBe("http://h/x/?c=a+b%26c&m=1&x=3#top");
    expect(removeQueryParam(u, "c")).toBe("http://h/x/?m=1&x=3#top");
    expect(removeQueryParam(u, "absent")).toBe("http://h/x/?c=2&c=1&m=1&x=3#top");
    expect(removeQueryParam("http://h/x/?c=1#top", "c")).toBe("http://h/x/#top");
  });
});
