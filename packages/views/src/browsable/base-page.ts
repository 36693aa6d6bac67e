// DRF's rest_framework/base.html: the document every browsable page shares —
// head, stylesheet, the navbar with the brand and the login state, the content
// — so the API pages and the api-auth login pages (@x/auth) look alike.
import { escapeHtml } from "./escape.js";
import { PAGE_CSS, PAGE_SCRIPT } from "./page-assets.js";

export interface BasePage {
  /** The brand in the navbar; also ends the `<title>` ("Products – Bookshop"). */
  brand: string;
  /** What this page shows: starts the `<title>`. */
  title: string;
  /** The inside of `<main>`, already HTML (escape every value with `escapeHtml`). */
  contentHtml: string;
  /** The right of the navbar (login state), already HTML. Default: empty. */
  userHtml?: string;
  /**
   * `data-*` attributes of `<body>` (the page script reads its settings there):
   * names as given (`csrfCookie` → `data-csrf-cookie`), values escaped.
   */
  bodyData?: Readonly<Record<string, string>>;
  /** Include the browsable API's form script (DRF's ajax-form.js). Default false. */
  script?: boolean;
}

const dataName = (name: string): string => `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The whole HTML document of a browsable page (DRF's base.html). */
export function basePageHtml(page: BasePage): string {
  const data = Object.entries(page.bodyData ?? {})
    .map(([name, value]) => ` ${dataName(name)}="${escapeHtml(value)}"`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="NONE,NOARCHIVE">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – ${escapeHtml(page.brand)}</title>
<style>${PAGE_CSS}</style>
</head>
<body${data}>
<header class="navbar"><span class="brand">${escapeHtml(page.brand)}</span><div class="user">${page.userHtml ?? ""}</div></header>
<main>
${page.contentHtml}
</main>
${page.script ? `<script>${PAGE_SCRIPT}</script>\n` : ""}</body>
</html>
`;
}
