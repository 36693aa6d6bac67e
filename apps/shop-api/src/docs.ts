// GET /api/docs/: Swagger UI rendering the OpenAPI documents (one per API version,
// chosen in its top bar), with its assets served from the installed swagger-ui-dist
// package (no CDN: the page works offline).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hono } from "hono";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "application/javascript; charset=utf-8",
};

function page(assets: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>shop-api — API documentation</title>
<link rel="stylesheet" href="${assets}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assets}swagger-ui-bundle.js"></script>
<script src="${assets}swagger-ui-standalone-preset.js"></script>
<script src="${assets}init.js"></script>
</body>
</html>
`;
}

/** One document the page offers: `name` is what the top bar's switcher shows. */
export interface DocsDocument {
  name: string;
  url: string;
}

/**
 * Mounts the documentation page and its assets under `path` (e.g. "/api/docs/"): one
 * document's URL, or several (one per API version) with the one shown first named.
 */
export function mountDocs(
  app: Hono,
  path: string,
  schema: string | { urls: readonly DocsDocument[]; primaryName?: string },
): void {
  const distDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const assets = `${path}assets/`;
  const cache = new Map<string, Promise<Buffer>>();
  const html = page(assets);
  // The initialiser is a separate script so a Content-Security-Policy without inline scripts allows it.
  const documents =
    typeof schema === "string"
      ? { url: schema }
      : { urls: schema.urls, ...(schema.primaryName ? { "urls.primaryName": schema.primaryName } : {}) };
  const config = JSON.stringify({ ...documents, dom_id: "#swagger-ui", deepLinking: true });
  const init = `window.ui = SwaggerUIBundle(Object.assign(${config}, { presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" }));\n`;

  app.get(path, (c) => c.html(html));
  // One route for every asset, the initialiser included: a literal path beside `:file` would
  // keep Hono off its RegExpRouter for the whole app.
  app.get(`${assets}:file`, async (c) => {
    const file = c.req.param("file") ?? "";
    if (file === "init.js")
      return c.body(init, 200, { "Content-Type": "application/javascript; charset=utf-8" });
    const type = ASSETS[file];
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = readFile(join(distDir, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(await body), 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=86400",
    });
  });
}
