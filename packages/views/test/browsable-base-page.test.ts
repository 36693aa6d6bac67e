// The page shell and the escaping @x/views exports for other packages' HTML
// pages (@x/auth's login pages use them to look like the browsable API).
import { describe, expect, it } from "vitest";
import { basePageHtml, escapeHtml } from "../src/index.js";

describe("escapeHtml", () => {
  it("escapes Django's five characters, text and attribute values alike", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;",
    );
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(undefined)).toBe("");
    expect(escapeHtml(12.5)).toBe("12.5");
  });
});

describe("basePageHtml", () => {
  it("writes the browsable API's document around the content, values escaped", () => {
    const html = basePageHtml({
      brand: "Shop <API>",
      title: `Log "in"`,
      contentHtml: "<p>content</p>",
      userHtml: '<span class="username">ann</span>',
      bodyData: { csrfCookie: 'c"srf' },
    });
    expect(html.startsWith("<!DOCTYPE html>\n")).toBe(true);
    expect(html).toContain("<title>Log &quot;in&quot; – Shop &lt;API&gt;</title>");
    expect(html).toContain('<body data-csrf-cookie="c&quot;srf">');
    expect(html).toContain(
      '<header class="navbar"><span class="brand">Shop &lt;API&gt;</span><div class="user"><span class="username">ann</span></div></header>',
    );
    expect(html).toContain("<main>\n<p>content</p>\n</main>");
    // The browsable API's stylesheet, and its form script only when asked for.
    expect(html).toContain(".field label{");
    expect(html).not.toContain("<script>");
    expect(basePageHtml({ brand: "b", title: "t", contentHtml: "", script: true })).toContain("<script>");
  });
});

it("the README's example", () => {
  const name = "<Ann>";
  const html = basePageHtml({
    brand: "Bookshop",
    title: "Welcome",
    contentHtml: `<div class="panel narrow"><h1>Hello ${escapeHtml(name)}</h1></div>`,
  });
  expect(html.includes("<h1>Hello &lt;Ann&gt;</h1>")).toBe(true);
  expect(html).toContain("<title>Welcome – Bookshop</title>");
  expect(html).toContain(".narrow{");
});
