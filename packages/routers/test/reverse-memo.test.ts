// Reverse is memoised per name and mount (it runs for every link of every response):
// the memo must give what Django's reverse gives, and see mounts added later.
import { Response, ViewSet } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DefaultRouter, mount, NoReverseMatch } from "../src/index.js";

class ThingViewSet extends ViewSet {
  list() {
    return new Response([]);
  }
  retrieve() {
    return new Response({});
  }
}

// Django's quoting, one character at a time (the reference the fast path must match).
const SAFE = /[!$&'()*+,;=:@~/]/;
const quote = (value: string) =>
  [...value].map((ch) => (SAFE.test(ch) ? ch : encodeURIComponent(ch))).join("");

describe("reverse memo", () => {
  it("quotes every value as Django does", () => {
    const router = new DefaultRouter();
    router.register("things", ThingViewSet, { basename: "thing" });
    const api = mount(new Hono(), "/api/", router);
    for (const pk of ["12", "a-b_c~d", "a b", "café", "x!$&'()*+,;=:@~", "%41", "ü+ö", "\u{1F600}"]) {
      expect(api.reverse("thing-detail", { pk })).toBe(`/api/things/${quote(pk)}/`);
    }
  });

  it("finds a name in a mount added after the first reverse, and forgets nothing wrongly", () => {
    const app = new Hono();
    const first = new DefaultRouter();
    first.register("things", ThingViewSet, { basename: "thing" });
    const api = mount(app, "/api/", first);
    expect(() => api.reverse("other-list")).toThrow(NoReverseMatch);
    expect(() => api.reverse("v9:thing-list")).toThrow("'v9' is not a registered namespace");
    const second = new DefaultRouter();
    second.register("others", ThingViewSet, { basename: "other" });
    mount(app, "/v9/", second, { namespace: "v9" });
    expect(api.reverse("other-list")).toBe("/v9/others/");
    expect(api.reverse("v9:other-detail", { pk: 3 })).toBe("/v9/others/3/");
    expect(api.reverse("thing-detail", { pk: 3 })).toBe("/api/things/3/");
    expect(() => api.reverse("thing-detail", { pk: 3, extra: 1 })).toThrow(NoReverseMatch);
  });
});
