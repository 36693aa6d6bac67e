// One running shop-api for the document checks: the committed types are what
// `generate` makes of the live document, and the Swagger UI page renders the
// product operations in Debian's Chromium (where it is installed).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchDocument, SCHEMA_TYPES_PATH, schemaTypes } from "../scripts/schema-types.js";
import { type RunningShop, startShop } from "../scripts/shop-server.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop();
}, 90_000);
afterAll(async () => {
  await shop?.stop();
});

describe("src/schema.d.ts", () => {
  it("is what `generate` makes of the running shop-api's document", async () => {
    const expected = await schemaTypes(await fetchDocument(shop.baseUrl));
    const committed = await readFile(SCHEMA_TYPES_PATH, "utf8");
    expect(committed, "src/schema.d.ts is stale: run `npx pnpm@12.4.2 --filter shop-client generate`").toBe(
      expected,
    );
  });
});

describe("/api/docs/ in a browser", () => {
  it("renders the product operations of each API version's document", async () => {
    if (!existsSync(CHROMIUM)) {
      console.warn(`browser tests not run: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      return;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (request) => {
        requests.push(request.url());
      });
      const response = await page.goto(`${shop.baseUrl}/api/docs/`);
      expect(response?.status()).toBe(200);

      const renderedPaths = async (version: string) => {
        await expect
          .poll(() => page.locator(".info .title").textContent(), { timeout: 15_000 })
          .toContain(`(${version})`);
        const list = page.locator(".opblock-get", { hasText: `/api/${version}/products/` });
        await expect.poll(() => list.count(), { timeout: 15_000 }).toBeGreaterThan(0);
        const paths = await page.locator(".opblock-summary-path").allInnerTexts();
        return paths.map((text) => text.replace(/\u200b/g, "").trim());
      };
      // v1 (the default version) first; the top bar's switcher offers v1 and v2
      expect(await page.locator(".info .title").textContent({ timeout: 15_000 })).toContain("shop-api");
      expect(await renderedPaths("v1")).toEqual(
        expect.arrayContaining([
          "/api/v1/products/",
          "/api/v1/products/{pk}/",
          "/api/v1/products/{pk}/add-review/",
        ]),
      );
      const switcher = page.locator(".topbar select");
      expect(await switcher.locator("option").allInnerTexts()).toEqual(["v1", "v2"]);
      await switcher.selectOption("v2");
      const v2 = await renderedPaths("v2");
      expect(v2).toEqual(expect.arrayContaining(["/api/v2/products/", "/api/v2/products/{pk}/"]));
      expect(v2.some((p) => p.startsWith("/api/v1/"))).toBe(false);
      // Everything came from the shop-api itself: no CDN.
      expect(requests.filter((url) => !url.startsWith(shop.baseUrl))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
