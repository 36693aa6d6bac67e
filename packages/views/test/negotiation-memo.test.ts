// Content negotiation parses each Accept header once (a bounded memo): the answer still
// depends on the renderers of the view asking, and q=0 ranges are still refused.
import { describe, expect, it } from "vitest";
import { DefaultContentNegotiation, NotAcceptable, type Renderer } from "../src/index.js";

function renderer(mediaType: string, format: string): Renderer {
  return { mediaType, format, charset: null, render: () => "" } as unknown as Renderer;
}

const json = renderer("application/json", "json");
const html = renderer("text/html", "api");
const yaml = renderer("application/yaml", "yaml");

describe("DefaultContentNegotiation with a repeated Accept header", () => {
  const negotiator = new DefaultContentNegotiation();

  it("answers per renderer list, the same header every time", () => {
    const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (let i = 0; i < 3; i++) {
      expect(negotiator.selectRenderer(accept, null, [json, html]).renderer).toBe(html);
      expect(negotiator.selectRenderer(accept, null, [json, yaml])).toEqual({
        renderer: json,
        mediaType: "application/json",
      });
    }
  });

  it("keeps the client's parameters and refuses q=0 every time", () => {
    for (let i = 0; i < 3; i++) {
      expect(negotiator.selectRenderer("application/json; indent=2", null, [json]).mediaType).toBe(
        "application/json; indent=2",
      );
      expect(negotiator.selectRenderer("application/json;q=0, text/html", null, [json, html]).renderer).toBe(
        html,
      );
      expect(() => negotiator.selectRenderer("application/json;q=0, text/html", null, [json])).toThrow(
        NotAcceptable,
      );
      expect(() => negotiator.selectRenderer("image/png", null, [json])).toThrow(NotAcceptable);
    }
  });

  it("stays correct past the memo's bound", () => {
    for (let i = 0; i < 600; i++) {
      const accept = `application/x-${i}, text/html;q=0.${(i % 9) + 1}`;
      expect(negotiator.selectRenderer(accept, null, [json, html]).renderer).toBe(html);
    }
    expect(negotiator.selectRenderer("application/json", null, [html, json]).renderer).toBe(json);
  });
});
